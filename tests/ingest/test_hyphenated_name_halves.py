"""Each half of a hyphenated name (``Hartley-Smith`` -> ``Hartley``, ``Smith``; ``Mary-Jo`` -> ``Mary``) is
replaced on its own, when it is capitalised and at least 3 letters long (``Jo`` is left: too short to tell
from other words)."""

from __future__ import annotations

from thematic.ingest.labels import name_parts
from thematic.ingest.pseudonymise import replace_names, speaker_table
from thematic.study import Study


def test_name_parts_include_the_halves_of_a_hyphenated_part() -> None:
    assert name_parts("Zoë Hartley-Smith") == ["Zoë", "Hartley-Smith", "Hartley", "Smith"]
    assert name_parts("Mary-Jo Ng") == ["Mary-Jo", "Ng", "Mary"]
    assert name_parts("Hartley‑Smith") == ["Hartley", "Smith"]  # one word, non-breaking hyphen
    assert name_parts("Ana") == []


def test_a_half_two_people_share_is_not_given_to_either() -> None:
    table = speaker_table({"Zoë Hartley-Smith": "P01", "Tom Smith-Jones": "P03"})
    assert table["Hartley"] == ("P01", "speaker") and table["Smith"] == ("[name]", "speaker")


def test_halves_are_replaced_in_the_text(study: Study) -> None:
    (study.paths.raw / "participants.csv").write_text(
        "participant_id,name\nP01,Zoë Hartley-Smith\nP02,Mary-Jo Ng\n", encoding="utf-8")
    (study.paths.raw / "int-01.txt").write_text(
        "Interviewer: Hi.\nZoë Hartley-Smith: P01 is my married name, Hartley my maiden one. "
        "Students call me Dr Smith.\nMary-Jo Ng: Everyone calls me Mary; Jo is rare.\n", encoding="utf-8")
    study.ingest()
    text = study.store.document_text("int-01")
    assert "Hartley" not in text and "Smith" not in text and "Mary" not in text
    assert "Dr P01" in text and "calls me P02;" in text


def test_replace_names_with_a_hyphenated_speaker() -> None:
    table = speaker_table({"Zoë Hartley-Smith": "P01"})
    out = replace_names("Hartley was my maiden name.", table, case_sensitive_kinds=("speaker",))
    assert out.text == "P01 was my maiden name."
