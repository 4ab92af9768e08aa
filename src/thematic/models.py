"""Records of the data model (DESIGN.md §2) as frozen dataclasses.

Offsets everywhere are Python ``str`` code-point offsets into the document's normalised text,
end exclusive: ``document.text[segment.start:segment.end] == segment.text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Mapping

CodingStatus = Literal["manual", "suggested", "accepted", "rejected"]
CODING_STATUSES: tuple[str, ...] = ("manual", "suggested", "accepted", "rejected")
#: Statuses that count as a human's decision to apply a code (tables count these by default).
COUNTED_STATUSES: tuple[str, ...] = ("manual", "accepted")
#: Flags of a coding whose offsets no longer point at what was coded: a re-ingest lost its quote, or its
#: document was removed. Such codings are not counted or quoted until a person re-codes them.
FLAG_NOT_FOUND = "re-ingest: quote not found in the changed text"
FLAG_AMBIGUOUS = "re-ingest: quote in several places of the changed text; not guessed"
FLAG_ORPHANED = "orphaned: document removed"
UNANCHORED_FLAGS: tuple[str, ...] = (FLAG_NOT_FOUND, FLAG_AMBIGUOUS, FLAG_ORPHANED)
#: Flags whose coding re-anchoring looks for again at the next re-ingest (its offsets are stale).
STALE_FLAGS: tuple[str, ...] = (FLAG_NOT_FOUND, FLAG_AMBIGUOUS)

SegmentKind = Literal["turn", "paragraph", "sentence", "answer"]


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (stored as ISO 8601)."""
    return datetime.now(UTC)


def segment_id(document_id: str, index: int) -> str:
    """The id of the ``index``-th segment of a document, e.g. ``interview-01:12``."""
    return f"{document_id}:{index}"


def coding_id(document_id: str, start: int, end: int, code_id: str, coder: str, salt: int = 0) -> str:
    """A deterministic id for a new coding, so the same act twice yields the same id.

    ``salt`` > 0 gives another id for the same span: used when the plain id already belongs to a
    coding that re-anchoring moved away from this span.
    """
    key = f"{document_id}\x1f{start}\x1f{end}\x1f{code_id}\x1f{coder}".encode() + (f"\x1f#{salt}".encode() if salt else b"")
    return hashlib.sha1(key).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Segment:
    """A unit of coding inside a document: a turn, paragraph, sentence or survey answer."""

    document_id: str
    index: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    participant_id: str | None = None
    is_interviewer: bool = False
    kind: SegmentKind = "turn"
    time_start: float | None = None
    time_end: float | None = None
    question: str | None = None

    @property
    def id(self) -> str:
        """Stable id within the current version of the document."""
        return segment_id(self.document_id, self.index)


@dataclass(frozen=True, slots=True)
class Document:
    """One ingested file: its normalised text, its segments and what was noticed reading it."""

    id: str
    path: str
    format: str
    text: str
    content_hash: str
    segments: tuple[Segment, ...] = ()
    title: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Participant:
    """A pseudonymous participant (P01…) and their attributes from participants.csv."""

    id: str
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Code:
    """An entry of the codebook: a theme (no parent, ``is_theme``) or a code under a parent."""

    id: str
    label: str
    parent: str | None = None
    definition: str = ""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()
    color: str | None = None
    memo: str | None = None
    is_theme: bool = False
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a coding came from: a person, a suggester (versioned name + params), an import."""

    source: str  # manual | suggester | search | sheet | import | migration | refi
    name: str | None = None  # e.g. "thematic.rules.v1" or "search:vetting"
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Coding:
    """A code applied to a span of a document, with its provenance and review status."""

    document_id: str
    start: int
    end: int
    code_id: str
    coder: str
    status: CodingStatus = "manual"
    text: str = ""
    segment_id: str | None = None
    confidence: float | None = None
    codebook_version: str | None = None
    provenance: Provenance = field(default_factory=lambda: Provenance("manual"))
    memo: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(
                self, "id", coding_id(self.document_id, self.start, self.end, self.code_id, self.coder)
            )
