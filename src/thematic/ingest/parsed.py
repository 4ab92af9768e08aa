"""What a reader hands on: the document text and its speaker turns, before names are replaced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..models import Participant


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn (or survey answer): ``text[start:end]``, already trimmed of whitespace.

    ``label`` is the speaker as written in the file (None when the file names no speaker).
    """

    start: int
    end: int
    label: str | None = None
    time_start: float | None = None
    time_end: float | None = None
    question: str | None = None
    kind: str = "turn"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A reader's result: normalised text, turns in order, and what the file said about itself.

    ``header`` holds header keys a transcript declared (``participant``, ``speakers``);
    ``title_span`` locates the header line used as the title; ``participants`` and ``exclusions``
    come from surveys (respondents and screened-out rows with reasons); ``cues`` give subtitle
    timings so paragraphs and sentences get their own times; ``pages`` lets a PDF's segments cite their page.
    """

    text: str
    turns: tuple[Turn, ...]
    format: str
    title_span: tuple[int, int] | None = None
    header: Mapping[str, Any] = field(default_factory=dict)
    attributes: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    participants: tuple[Participant, ...] = ()
    exclusions: Mapping[str, str] = field(default_factory=dict)
    cues: tuple[tuple[int, int, float, float], ...] = ()  # subtitle cues: start, end offsets and times
    pages: tuple[int, ...] = ()  # PDF: the offset where each page's text starts (page 1 first)


def parse_time(value: str) -> float | None:
    """Seconds from ``HH:MM:SS(.mmm)``, ``MM:SS(.mmm)`` or ``H:MM:SS,mmm``; None if not a time."""
    value = value.strip().strip("[]()").replace(",", ".")
    parts = value.split(":")
    if not 2 <= len(parts) <= 3:
        return None
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for n in nums:
        seconds = seconds * 60 + n
    return round(seconds, 3)
