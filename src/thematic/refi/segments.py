"""Segments for an imported text: ingest's speaker turns when it reads the text unchanged, else paragraphs.

A survey exported by thematic (one block per respondent: the respondent's id, then each question
and its answer, a line each) comes back as answers with their respondent and question.

Ingest (``thematic.ingest.read_transcript``) is used without pseudonymisation so the text keeps the
offsets the REFI file gave; when its text differs in any way (or ingest is unavailable), one
segment per paragraph is used instead, so imported offsets are never shifted. (A study that
pseudonymises then has the text pseudonymised by ``refi.pseudonyms``, which moves every offset along, and the
participants ingest made of the document id, found by ``document_participants``, become cases of its key.)
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any, Iterable

from ..errors import ThematicError
from ..models import Segment
from .text import paragraph_segments


def _ingest_segments(doc_id: str, text: str, settings: Any, speakers: Iterable[str] = ()) -> tuple[Segment, ...] | None:
    try:
        from ..config import IngestSettings
        from ..ingest import read_transcript
    except ImportError:
        return None
    base = settings if isinstance(settings, IngestSettings) else IngestSettings()
    # Participant ids used as speaker labels (thematic's own exports: `815U3321N28865LI: ...`) are speakers.
    files = {"source.txt": {"speakers": {pid: pid for pid in speakers}}} if speakers else {}
    plain = dataclasses.replace(base, pseudonymise=False, ner=False, files=files, survey={})
    with tempfile.TemporaryDirectory(prefix="thematic-refi-") as tmp:
        path = Path(tmp) / "source.txt"
        path.write_text(text, encoding="utf-8", newline="")
        try:
            doc = read_transcript(path, unit=plain.unit, settings=plain, document_id=doc_id)
        except (ThematicError, ValueError, OSError):
            return None
    if doc.text != text or not doc.segments:
        return None
    return doc.segments


def document_participants(doc_id: str, segments: Iterable[Segment]) -> dict[int, str | None]:
    """Segments (by place) whose participant segmentation made of the document id, as ingest does without
    pseudonymisation for a role-labelled speaker (``Respondent``) or a text without speaker labels -> that label
    (None for unlabelled text): the speakers a pseudonymising import stores as cases of the key instead."""
    out: dict[int, str | None] = {}
    for i, s in enumerate(segments):
        pid, label = s.participant_id, s.speaker
        if pid is None or s.is_interviewer or pid == (label or "").strip():
            continue
        if pid == doc_id or pid == f"{doc_id} {label or 'unlabelled'}":
            out[i] = label
    return out


def survey_segments(doc_id: str, text: str, respondents: Iterable[str]) -> tuple[Segment, ...] | None:
    """Answers of a survey laid out as thematic writes it, when every block starts with a respondent; else None."""
    known = set(respondents)
    out: list[Segment] = []
    pos = 0
    for block in text.split("\n\n"):
        lines = block.split("\n")
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            pos += len(block) + 2
            continue
        if lines[0] not in known or len(lines) < 3 or len(lines) % 2 == 0:
            return None
        start = pos + len(lines[0]) + 1
        for question, answer in zip(lines[1::2], lines[2::2]):
            start += len(question) + 1
            if answer.strip():
                out.append(Segment(doc_id, len(out), start, start + len(answer), answer, speaker=lines[0],
                                   participant_id=lines[0], kind="answer", question=question))
            start += len(answer) + 1
        pos += len(block) + 2
    return tuple(out) or None


def segment_text(doc_id: str, text: str, *, participant: str | None = None, settings: Any = None,
                 use_ingest: bool = True, speakers: Iterable[str] = ()) -> tuple[Segment, ...]:
    """Segments of an imported text; ``participant`` (from a REFI case) goes on every non-interviewer one.

    ``speakers``: participant ids (the project's case names) that label turns, each mapped to itself.
    """
    speakers = tuple(speakers)
    survey = survey_segments(doc_id, text, speakers) if speakers and participant is None else None
    if survey is not None:
        return survey
    segments = _ingest_segments(doc_id, text, settings, speakers) if use_ingest and text.strip() else None
    if segments is None:
        return paragraph_segments(doc_id, text, participant_id=participant)
    if participant is None:
        return segments
    return tuple(s if s.is_interviewer else dataclasses.replace(s, participant_id=participant) for s in segments)
