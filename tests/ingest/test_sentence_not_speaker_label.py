"""D2: an utterance line such as ``Yes. Date: ...`` is not a speaker label (its words stay, the turn stays put).

Sonix/Descript put ``Speaker 2 [00:00:12]`` alone on a line and the utterance below it; a ``Word:`` inside
that utterance is speech, not a new speaker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.labels import is_name_like

SONIX = """Interview with participant 12

Speaker 1 [00:00:09]
Thanks for coming. Shall we start?

Speaker 2 [00:00:12]
Yes. Date: I think it was 2019 when I started.
Location: the old site, before they moved.

Speaker 1 [00:01:30]
And how was that?

Speaker 2 [00:01:35]
Mum: she always asked me why I bothered.
Hard.
"""


@pytest.mark.parametrize("label", ["Yes. Date", "Okay. So Then", "Right! Well", "Really? Yes", "No. I Did"])
def test_a_sentence_end_inside_a_label_is_not_a_name(label: str) -> None:
    assert not is_name_like(label)


@pytest.mark.parametrize("label", ["Dr. Smith", "Mrs. Ann Lee", "Prof. Dr. Kim", "St. John", "Mary J. Blige",
                                   "Ms. O'Neil", "Mr. T", "Ann Lee", "INTERVIEWER", "Researcher 1"])
def test_honorifics_and_initials_are_still_names(label: str) -> None:
    assert is_name_like(label)


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_utterance_with_a_colon_stays_in_its_turn(write: Callable[..., Path], pseudonymise: bool) -> None:
    doc = read_transcript(write("interview-12.txt", SONIX), settings=IngestSettings(pseudonymise=pseudonymise))
    assert [s.speaker for s in doc.segments] == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    assert doc.segments[1].text.startswith("Yes. Date: I think it was 2019")
    assert "Location: the old site" in doc.segments[1].text
    assert doc.segments[3].text.startswith("Mum: she always asked me")
    assert doc.attributes["pseudonymised"] == {}


def test_inline_labels_still_found_beside_label_alone_lines(write: Callable[..., Path]) -> None:
    text = ("Session notes\n\nSpeaker 1 [00:00:01]\nHello and welcome.\n\nSpeaker 2 [00:00:05]\nThanks.\n\n"
            "Researcher 1: A question typed in by hand.\n\nINTERVIEWER: And another.\n\n"
            "Ann Lee (SL): I answered inline.\n\nAnn Lee (SL): Twice, in fact.\n")
    doc = read_transcript(write("mixed.txt", text), settings=IngestSettings(pseudonymise=False))
    assert [s.speaker for s in doc.segments] == ["Speaker 1", "Speaker 2", "Researcher 1", "INTERVIEWER",
                                                 "Ann Lee (SL)", "Ann Lee (SL)"]


def test_inline_names_in_an_inline_file_are_unchanged(write: Callable[..., Path]) -> None:
    text = "Interview\n\nInterviewer: How was it?\n\nDr. Smith: Fine. Mum: she came too.\n\nMary J. Blige: Hello.\n"
    doc = read_transcript(write("inline.txt", text), settings=IngestSettings(pseudonymise=False))
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Dr. Smith", "Mary J. Blige"]
