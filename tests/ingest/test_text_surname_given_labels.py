"""Teams-style ``Surname, Given   0:03`` lines above each utterance in a .txt: before, the comma kept them from
being speaker labels, so the file had no turns (W108) and the real names stayed in the stored text. Now they
are read like ``Given Surname   0:03``: turns of that speaker, pseudonymised, the name parts replaced in the
text. A comma in an ordinary line (``Yes, Maria   0:03``, a one-off ``Leeds, Yorkshire   10:30``) still makes
no label."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

TEAMS = """Interview 3 transcript

Quarrie, Maren   0:03
Hello, can you hear me?

Tolland, Ysolde   0:07
Yes, I can hear you fine.

Quarrie, Maren   0:12
Great. Let's start with your role.

Tolland, Ysolde   0:18
I'm a ward manager at the hospital.
"""


def _turns(doc) -> list[tuple[str | None, str]]:  # noqa: ANN001 - a Document
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text
    return [(s.speaker, s.text) for s in doc.segments]


def test_surname_given_lines_are_speaker_labels(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("int03.txt", TEAMS), settings=plain)
    assert not [w for w in doc.warnings if "W108" in w]
    assert _turns(doc) == [("Quarrie, Maren", "Hello, can you hear me?"), ("Tolland, Ysolde", "Yes, I can hear you fine."),
                           ("Quarrie, Maren", "Great. Let's start with your role."),
                           ("Tolland, Ysolde", "I'm a ward manager at the hospital.")]
    assert [s.time_start for s in doc.segments] == [3.0, 7.0, 12.0, 18.0]
    assert doc.title == "Interview 3 transcript"


def test_surname_given_labels_are_pseudonymised(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("int03.txt", TEAMS))
    assert [s.speaker for s in doc.segments] == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    for name in ("Quarrie", "Maren", "Tolland", "Ysolde"):
        assert name not in doc.text
    _turns(doc)


def test_read_like_given_surname(write: Callable[..., Path]) -> None:
    swapped = TEAMS.replace("Quarrie, Maren", "Maren Quarrie").replace("Tolland, Ysolde", "Ysolde Tolland")
    a = read_transcript(write("a.txt", TEAMS))
    b = read_transcript(write("b.txt", swapped))
    assert _turns(a) == _turns(b)


def test_comma_lines_that_are_not_names_stay_text(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("Leeds, Yorkshire   10:30\n\n"
            "Interviewer: When did you arrive?\n"
            "Yes, Maria   0:03\n"
            "that was the day.\n\n"
            "Wren: Then, After   0:05\n"
            "Well, Then   0:09\n"
            "we left.\n")
    doc = read_transcript(write("prose.txt", text), settings=plain)
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Wren"]
    assert "Yes, Maria   0:03" in doc.segments[0].text and "Well, Then   0:09" in doc.segments[1].text
