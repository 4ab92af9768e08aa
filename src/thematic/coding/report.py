"""What `thematic code` reports: one SuggesterRun per suggester, the CodeRunReport of the whole run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import pandas as pd

if TYPE_CHECKING:
    from ..ingest.report import IngestReport

#: progress(stage, done, total): stage is "ingest" or "suggest:<name>".
Progress = Callable[[str, int, int], None]


class TransientSkip(str):
    """A skip reason that may not hold next time (a server not started yet): not remembered by the run."""


def scored_documents(segments: pd.DataFrame) -> int:
    """Documents the passages a suggester scores come from (fewer than planned in a --limit/--sample try-out)."""
    return int(segments["document_id"].nunique()) if len(segments) else 0


@dataclass(frozen=True, slots=True)
class SuggesterRun:
    """What one suggester did in a run: ``status`` is ran, up to date, or skipped (with ``reason``).

    ``documents`` and ``segments`` count what it scored (a try-out's passages and their documents).
    """

    name: str
    status: str
    reason: str | None = None
    documents: int = 0
    segments: int = 0
    words: int = 0
    added: int = 0
    already: int = 0
    fit_seconds: float = 0.0
    seconds: float = 0.0
    skipped_codes: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeRunReport:
    """The result of ``code()``: the ingest report, one row per suggester, the batch holding the suggestions."""

    runs: tuple[SuggesterRun, ...]
    codebook_version: str
    batch_id: str | None = None
    ingest: "IngestReport | None" = None
    seconds: float = 0.0
    #: Warnings about the whole run (e.g. W386: codings migrated to the current codebook first).
    notes: tuple[str, ...] = ()

    @property
    def added(self) -> int:
        """Suggestions stored by this run."""
        return sum(r.added for r in self.runs)

    @property
    def nothing_changed(self) -> bool:
        """True when no document changed and no suggester had anything to do."""
        changed = bool(self.ingest.changed_documents) if self.ingest is not None else False
        return not changed and not any(r.status == "ran" for r in self.runs)

    def table(self) -> pd.DataFrame:
        """One row per suggester (for display and notebooks)."""
        return pd.DataFrame([{
            "suggester": r.name, "status": r.status, "documents": r.documents, "segments": r.segments,
            "suggested": r.added, "already decided or stored": r.already, "seconds": round(r.seconds, 2),
            "note": r.reason or "",
        } for r in self.runs])
