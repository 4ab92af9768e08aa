"""The real third-party files in ../shared/samples read with the right speakers (never copied here)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)


def _speakers(doc) -> Counter:  # type: ignore[no-untyped-def]
    return Counter((s.speaker, s.is_interviewer) for s in doc.segments)


def _offsets_ok(doc) -> bool:  # type: ignore[no-untyped-def]
    return all(doc.text[s.start:s.end] == s.text for s in doc.segments)


@pytest.mark.parametrize(("name", "participant", "turns"), [
    ("Jessica.txt", "Jessica", (72, 75)), ("Ana.docx", "Ana", (123, 123)), ("David.docx", "David", (37, 37))])
def test_samples_interviews_researcher_and_participant(shared_dir: Path, name: str, participant: str,
                                                       turns: tuple[int, int]) -> None:
    doc = read_transcript(shared_dir / "samples" / "transcripts" / name, settings=PLAIN)
    assert _speakers(doc) == Counter({("Researcher 1", True): turns[0], (participant, False): turns[1]})
    assert doc.title is not None and doc.title[:2].isdigit() and _offsets_ok(doc)
    pseudo = read_transcript(shared_dir / "samples" / "transcripts" / name)
    assert participant not in pseudo.text and {s.speaker for s in pseudo.segments} == {"Researcher 1", "Speaker 1"}


def test_samples_qualcoder_bracket_speakers_and_plain_docx(shared_dir: Path) -> None:
    doc = read_transcript(shared_dir / "samples" / "transcripts" / "qualcoder_bracket_speakers.txt", settings=PLAIN)
    assert [s.speaker for s in doc.segments] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    doc = read_transcript(shared_dir / "samples" / "transcripts" / "qualcoder_ID1.docx", settings=PLAIN)
    assert len(doc.segments) == 3 and {s.speaker for s in doc.segments} == {None}


@pytest.mark.parametrize("name", ["zoom_chemistry_class_caleob.vtt",
                                  "zoom_GMT20251022-150701_Recording.transcript_VTT_CONTENT.txt"])
def test_samples_zoom_vtt_one_teacher(shared_dir: Path, name: str) -> None:
    doc = read_transcript(shared_dir / "samples" / "vtt" / name, settings=PLAIN, unit="paragraph")
    assert doc.format == "vtt" and {s.speaker for s in doc.segments} == {"Caleob King"}
    assert len(doc.segments) > 20 and all(s.time_start is not None for s in doc.segments) and _offsets_ok(doc)


@pytest.mark.parametrize(("name", "answers", "respondents"), [
    ("qualcoder_survey456.csv", 3, {"ID4", "ID5", "ID6"}), ("qualcoder_survey789.xlsx", 6, {"ID7", "ID8", "ID9"}),
    ("qualcoder_cases456.xlsx", 0, set())])
def test_samples_surveys(shared_dir: Path, name: str, answers: int, respondents: set[str]) -> None:
    doc = read_transcript(shared_dir / "samples" / "surveys" / name)
    assert len(doc.segments) == answers and {s.participant_id for s in doc.segments} == respondents


def test_samples_refi_projects_are_not_transcripts(shared_dir: Path) -> None:
    for path in (shared_dir / "samples" / "refi").iterdir():
        with pytest.raises(TranscriptParseError, match=r"^\[E102\]"):
            read_transcript(path)
