"""A name written with one apostrophe or hyphen (``O'Brien``, ``Hartley-Smith``) is the same name written with
another (``O’Brien``, ``Oʼ Brien``, ``Hartley‑Smith``): pseudonymisation replaces it and a speaker label maps."""

from __future__ import annotations

import pytest

from thematic.ingest.labels import label_key
from thematic.ingest.participants import parse_roster
from thematic.ingest.pseudonymise import replace_names
from thematic.study import Study

STRICT = ("speaker",)


@pytest.mark.parametrize("written", ["O'Brien", "O’Brien", "Oʼ Brien", "O‘Brien", "O’BRIEN", "Oʼbrien"])
def test_apostrophe_variants_are_replaced(written: str) -> None:
    out = replace_names(f"The {written} family helped.", {"O'Brien": ("P02", "speaker")},
                        case_sensitive_kinds=STRICT)
    if written == "Oʼbrien":  # lower case after the apostrophe: not one of the spellings a name matches in
        assert out.text == f"The {written} family helped."
    else:
        assert out.text == "The P02 family helped."


def test_a_curly_name_in_the_table_replaces_the_straight_spelling() -> None:
    out = replace_names("I'm an O'Brien, and O’Brien too.", {"O’Brien": ("P02", "speaker")},
                        case_sensitive_kinds=STRICT)
    assert out.text == "I'm an P02, and P02 too."


@pytest.mark.parametrize("written", ["Hartley-Smith", "Hartley‐Smith", "Hartley‑Smith"])
def test_hyphen_variants_are_replaced(written: str) -> None:
    out = replace_names(f"Dr {written} said so.", {"Hartley-Smith": ("P01", "speaker")}, case_sensitive_kinds=STRICT)
    assert out.text == "Dr P01 said so."


def test_listed_terms_match_any_apostrophe() -> None:
    out = replace_names("We met at St Mary’s Trust.", {"St Mary's Trust": ("[Term 1]", "term")})
    assert out.text == "We met at [Term 1]."


def test_label_key_folds_apostrophes_and_hyphens() -> None:
    assert label_key("Seán O’Brien") == label_key("Seán O'Brien") == label_key("seán oʼbrien") == label_key("Seán O‘Brien")
    assert label_key("Mary‑Jo Ng") == label_key("Mary-Jo Ng") == label_key("Mary‐Jo Ng")


def test_roster_finds_a_label_written_with_a_curly_apostrophe() -> None:
    roster = parse_roster("participant_id,name\nP02,Seán O'Brien\n", "participants.csv")
    assert roster.find("Seán O’Brien") == "P02"


def test_ingest_maps_the_label_and_replaces_every_spelling(study: Study) -> None:
    (study.paths.raw / "participants.csv").write_text("participant_id,name,role\nP02,Seán O'Brien,staff\n",
                                                       encoding="utf-8")
    (study.paths.raw / "int-02.txt").write_text(
        "Interviewer: Hello, tell me about your PhD.\n"
        "Seán O’Brien: My PhD was qualitative. The O’Brien family helped, and I'm an O'Brien through and through.\n",
        encoding="utf-8")
    report = study.ingest()
    assert not report.study_warnings or not any("[W021]" in w for w in report.study_warnings)
    segs = study.segments()
    assert list(segs["participant_id"].fillna("-")) == ["-", "P02"]
    text = study.store.document_text("int-02")
    assert "Brien" not in text
