"""Speaker labels in scripts without capital letters (Arabic, Hebrew, Chinese, Devanagari) are speakers.

A label counted as a name only when each word began with a capital, which Arabic, Hebrew, Chinese and
Hindi names never do: `لينا: ...` was read as part of the interviewer's turn, so her answers were
attributed to the interviewer and her name stayed in the text unpseudonymised. A word in a script
without case now counts as capitalised; a lower-case Latin word still does not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.labels import is_name_like, name_parts

NAMES = ["لينا", "לאה כהן", "李明", "अनीता शर्मा"]


@pytest.mark.parametrize("label", NAMES)
def test_caseless_names_are_name_like(label: str) -> None:
    assert is_name_like(label)
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
