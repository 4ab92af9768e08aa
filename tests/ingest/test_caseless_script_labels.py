"""Speaker labels in scripts without capital letters (Arabic, Hebrew, Chinese, Devanagari, Georgian) are speakers.

A label counted as a name only when each word began with a capital, which Arabic, Hebrew, Chinese and
Hindi names never do: `لينا: ...` was read as part of the interviewer's turn, so her answers were
attributed to the interviewer and her name stayed in the text unpseudonymised. A word in a script
without case now counts as capitalised when the label opens two turns or more (nothing else tells a
name from a phrase: `谢谢: that is thank you` once in an English transcript is text); a lower-case Latin
word still does not. Georgian letters, which Unicode files as lower case, count as caseless; a
right-to-left mark before or after a label is space; the halves of a hyphenated Devanagari surname are
replaced like Latin ones; and a file name in another script no longer gets W114 for the id `document`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.labels import is_name_like, name_parts

NAMES = ["لينا", "לאה כהן", "李明", "अनीता शर्मा", "ნინო ბერიძე"]


@pytest.mark.parametrize("label", NAMES)
def test_caseless_names_are_name_like_when_they_recur(label: str) -> None:
    assert is_name_like(label, recurring=True)
    assert not is_name_like(label)
    if " " in label:
        assert name_parts(label) == label.split()


def test_lower_case_latin_words_are_still_not_names() -> None:
    assert not is_name_like("the thing")
    assert not is_name_like("Note that")


@pytest.mark.parametrize("name", NAMES)
def test_caseless_speaker_gets_turns_and_is_pseudonymised(write: Callable[..., Path], name: str) -> None:
    text = (f"Interviewer: How was your week, {name}?\n{name}: It was hard, the job centre kept me waiting.\n"
            f"Interviewer: And then?\n{name}: Then I found a mentor.\n")
    doc = read_transcript(write("talk.txt", text), settings=IngestSettings(pseudonymise=True))
    assert [s.text for s in doc.segments][1::2] == ["It was hard, the job centre kept me waiting.",
                                                     "Then I found a mentor."]
    assert doc.segments[1].speaker == doc.segments[3].speaker != "Interviewer"
    assert name not in doc.text and name.split()[0] not in doc.text


def test_a_phrase_in_another_script_said_once_is_not_a_speaker(write: Callable[..., Path]) -> None:
    text = ("Interviewer: Can you explain the words you used?\nP01: Sure. There are a few.\n"
            "谢谢: that is thank you in Mandarin.\nनमस्ते: how we greet elders.\n")
    doc = read_transcript(write("glossary.txt", text), settings=IngestSettings(pseudonymise=True))
    assert [s.speaker for s in doc.segments] == ["Interviewer", "P01"]
    assert "谢谢: that is thank you" in doc.text and "नमस्ते: how we greet" in doc.text


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u2067"])
def test_a_bidi_mark_around_a_label_is_space(write: Callable[..., Path], mark: str) -> None:
    text = "".join(f"Interviewer: How was it?\n{mark}{name}{mark}: It was {n}.\n"
                   for name in ("לאה", "Dana Levi") for n in ("hard", "better"))
    doc = read_transcript(write("talk.txt", text), settings=IngestSettings(pseudonymise=True))
    assert [s.text for s in doc.segments][1::2] == ["It was hard.", "It was better."] * 2
    assert "לאה" not in doc.text and "Dana" not in doc.text


def test_halves_of_a_hyphenated_devanagari_surname_are_name_parts() -> None:
    assert {"शर्मा", "वर्मा"} <= set(name_parts("अनीता शर्मा-वर्मा"))


def test_a_file_named_in_another_script_gets_no_w114(tmp_path: Path) -> None:
    from regression.tiny_study import CODEBOOK, cli, study_with

    text = "Interviewer: How was it?\nلينا: It was hard.\nInterviewer: And then?\nلينا: Better.\n"
    root = study_with(tmp_path / "s", CODEBOOK, {"لينا.txt": text})
    out = cli(root, "ingest")
    assert "[W114]" not in out
