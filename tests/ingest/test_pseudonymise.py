"""Pseudonymisation: the key, replacements with offsets, terms, idempotence, no real names left."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.errors import InputError
from thematic.ingest import read_transcript
from thematic.ingest.pseudonymise import PseudonymKey, replace_names, speaker_table


def test_pseudonymise_key_assigns_stable_numbers_and_persists(tmp_path: Path) -> None:
    key = PseudonymKey(tmp_path / "private" / "key.csv")
    assert key.assign("speaker", "Rowan") == "Speaker 1"
    assert key.assign("speaker", "ROWAN") == "Speaker 1"  # case and spacing ignored
    assert key.assign("speaker", "Tamsin") == "Speaker 2"
    assert key.assign("speaker", "Dean", "P01") == "P01"
    assert key.assign("place", "Harlow") == "[Place 1]"
    key.save()
    again = PseudonymKey.load(tmp_path / "private" / "key.csv")
    assert again.entries() == key.entries()
    assert again.assign("speaker", "Zed") == "Speaker 3" and again.changed


def test_pseudonymise_damaged_key_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text("kind,real,pseudonym\nspeaker,Ann,Speaker 1\nplanet,Mars\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^\[E116\] .*key\.csv:3: the pseudonym key is damaged"):
        PseudonymKey.load(path)


def test_pseudonymise_replace_names_whole_words_and_offsets() -> None:
    text = "Will said: will you call Will's mum? Willow and Ann-Marie came; ANN too."
    rep = replace_names(text, {"Will": ("P01", "speaker"), "Ann": ("Speaker 2", "speaker")},
                        case_sensitive_kinds=("speaker",))
    assert rep.text == "P01 said: will you call P01's mum? Willow and Speaker 2-Marie came; Speaker 2 too."
    assert rep.counts() == {"speaker": 4}
    m = rep.mapper()
    old = text.index("said")
    assert rep.text[m(old):m(old) + 4] == "said"
    assert m(text.index("Ann"), end=False) == rep.text.index("Speaker 2")
    assert m(text.index("Ann") + 1, end=True) == rep.text.index("Speaker 2") + len("Speaker 2")


def test_pseudonymise_terms_match_any_case_and_name_parts() -> None:
    table = speaker_table({"Caleb Mora": "Speaker 1", "Lee, Ann": "P04"})
    assert table["Caleb"] == ("Speaker 1", "speaker") and table["Ann Lee"] == ("P04", "speaker")
    table["acme trust"] = ("[Term 1]", "term")
    rep = replace_names("Caleb from ACME Trust met Ann Lee and Mora.", table, case_sensitive_kinds=("speaker",))
    assert rep.text == "Speaker 1 from [Term 1] met P04 and Speaker 1."


def test_pseudonymise_read_transcript_leaves_no_speaker_names(write: Callable[..., Path]) -> None:
    text = ("Meeting with Rowan Pike - 2 May\nInterviewer: Hi Rowan.\nRowan Pike: Hi. Tamsin says hello.\n"
            "Tamsin: I do. We met at Acme Trust in Harlow.\n")
    settings = IngestSettings(terms=("Acme Trust", "Harlow = [a town]"))
    doc = read_transcript(write("r.txt", text), settings=settings)
    for name in ("Rowan", "Pike", "Tamsin", "Acme", "Harlow"):
        assert name not in doc.text
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Speaker 1", "Speaker 2"]
    assert doc.title == "Meeting with Speaker 1 - 2 May"
    assert "[a town]" in doc.text and "[Term 1]" in doc.text
    assert doc.attributes["pseudonymised"] == {"speaker": 5, "term": 2}
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text


def test_pseudonymise_is_idempotent_on_its_own_output(write: Callable[..., Path]) -> None:
    first = read_transcript(write("a.txt", "Interviewer: Hello Ola.\nOla: Hello, I'm Ola.\n"))
    second = read_transcript(write("b.txt", first.text))
    assert second.text == first.text
    assert [s.text for s in second.segments] == [s.text for s in first.segments]


def test_pseudonymise_off_keeps_names(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("a.txt", "Interviewer: Hello Ola.\nOla: Hi.\n"),
                          settings=IngestSettings(pseudonymise=False))
    assert "Ola" in doc.text and doc.segments[1].speaker == "Ola"
    assert doc.attributes["pseudonymised"] == {}
