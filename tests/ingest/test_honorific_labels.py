"""Titles in other languages and ranks (``Mme. Dupont``, ``Revd. Smith``, ``Insp. Morse``) are speaker labels.

The sentence-end rule (``Yes. Date:`` is speech) read the full stop after a title it did not list as a
sentence end, so every answer of ``Mme. Dupont`` joined the interviewer's turn and her name was never
pseudonymised. Titles are now a wider list, and a label that opens two or more turns is a speaker even
with a full stop inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.labels import is_name_like, name_parts


@pytest.mark.parametrize("label", ["Mme. Dupont", "Revd. Smith", "Sra. García", "Insp. Morse", "Supt. Hastings",
                                   "Cllr. Ahmed", "Mlle. Roux", "Sgt. Lewis", "Dott. Rossi", "Hr. Müller"])
def test_titles_and_ranks_with_a_full_stop_are_names(label: str) -> None:
    assert is_name_like(label)


def test_a_title_is_not_a_name_part_to_replace() -> None:
    assert name_parts("Mme. Dupont") == ["Dupont"]


def test_a_recurring_label_with_a_full_stop_is_a_speaker(write: Callable[..., Path]) -> None:
    text = "".join(f"Interviewer: Question {i}?\nCmdt. Blanc: Answer {i}, it was about time.\n" for i in range(3))
    doc = read_transcript(write("blanc.txt", text), settings=IngestSettings(pseudonymise=False))
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Cmdt. Blanc"] * 3


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_madame_dupont_keeps_her_turns_and_is_pseudonymised(write: Callable[..., Path], pseudonymise: bool) -> None:
    text = "".join(f"Interviewer: Question {i}?\nMme. Dupont: Answer {i}, it was about time.\n" for i in range(4))
    doc = read_transcript(write("dupont.txt", text), settings=IngestSettings(pseudonymise=pseudonymise))
    assert len(doc.segments) == 8
    assert [s.text for s in doc.segments][1::2] == [f"Answer {i}, it was about time." for i in range(4)]
    speakers = {s.speaker for s in doc.segments[1::2]}
    assert len(speakers) == 1
    assert ("Dupont" in doc.text) is not pseudonymise


def test_a_surname_that_is_also_an_abbreviation_is_still_replaced() -> None:
    assert name_parts("Amartya Sen") == ["Amartya", "Sen"]
