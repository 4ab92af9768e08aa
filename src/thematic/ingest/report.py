"""What an ingest run did, file by file (returned by ``ingest``; the CLI renders it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Mapping

import pandas as pd

STATUSES = ("new", "changed", "unchanged", "failed")


@dataclass(frozen=True, slots=True)
class IngestRow:
    """One file: its document id, status (new/changed/unchanged/failed) and what was found.

    ``speakers`` are pseudonymised; ``reanchored`` codings moved to the quote's new place and
    ``flagged`` ones could not be found (see ``store.codings(flagged=True)``); ``replaced`` counts
    pseudonymisation replacements by kind (speaker, person, place, organisation, term); ``refitted`` codings
    covered a whole turn that the file's new reading made shorter (a label line taken out) and now cover it.
    """

    path: str
    document_id: str | None
    status: str
    segments: int = 0
    speakers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    format: str | None = None
    reanchored: int = 0
    flagged: int = 0
    replaced: Mapping[str, int] = field(default_factory=dict)
    refitted: int = 0


@dataclass(frozen=True, slots=True)
class IngestReport:
    """The rows of one ingest run, plus participants loaded and stored files gone from data/raw."""

    rows: tuple[IngestRow, ...]
    participants: int = 0
    missing: tuple[str, ...] = ()
    key_path: str | None = None
    #: Warnings about the run as a whole (W010: the pseudonym key can be read by other users).
    warnings: tuple[str, ...] = ()
    study_warnings: tuple[str, ...] = ()  # who will not count towards N, and why (W020-W025)
    #: Stored files gone from data/raw that ``prune`` removed from the study.
    pruned: tuple[str, ...] = ()
    #: Documents ``purge`` erased, the codings removed with them (and with screened-out respondents), and backups
    #: made before that still hold them.
    purged: tuple[str, ...] = ()
    purged_codings: int = 0
    backups_holding: tuple[str, ...] = ()
    #: Screened-out survey respondents (``document: respondent``) whose coded words ``purge`` erased from the log.
    purged_respondents: tuple[str, ...] = ()
    #: Files under reports/ written before ``purge`` (an appendix, a workbook, sample sheets): they may hold the
    #: erased words too, so they are to be deleted or written again.
    reports_holding: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[IngestRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def failed(self) -> tuple[IngestRow, ...]:
        """Rows of files that could not be ingested (their stored state is unchanged)."""
        return tuple(r for r in self.rows if r.status == "failed")

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    @property
    def new_documents(self) -> tuple[str, ...]:
        """Ids of documents stored for the first time."""
        return tuple(r.document_id for r in self.rows if r.status == "new" and r.document_id)

    @property
    def changed_documents(self) -> tuple[str, ...]:
        """Ids of documents whose text or segments were (re)written: new and changed ones."""
        return tuple(r.document_id for r in self.rows if r.status in {"new", "changed"} and r.document_id)

    @property
    def replaced(self) -> dict[str, int]:
        """Pseudonymisation replacements by kind, over all files (counts only: no names)."""
        out: dict[str, int] = {}
        for r in self.rows:
            for kind, n in r.replaced.items():
                out[kind] = out.get(kind, 0) + n
        return out

    def counts(self) -> dict[str, int]:
        """Files per status."""
        return {s: sum(r.status == s for r in self.rows) for s in STATUSES}

    def to_frame(self) -> pd.DataFrame:
        """One row per file: path, document_id, status, format, segments, speakers, warnings, re-anchored, re-fitted and
        flagged codings, error."""
        records = [
            {"path": r.path, "document_id": r.document_id, "status": r.status, "format": r.format,
             "segments": r.segments, "speakers": len(r.speakers), "speaker_names": ", ".join(r.speakers),
             "warnings": len(r.warnings), "reanchored": r.reanchored, "refitted": r.refitted,
             "flagged": r.flagged, "error": r.error}
            for r in self.rows
        ]
        cols = ["path", "document_id", "status", "format", "segments", "speakers", "speaker_names", "warnings",
                "reanchored", "refitted", "flagged", "error"]
        return pd.DataFrame.from_records(records, columns=cols).astype(
            {"path": "string", "document_id": "string", "status": "string", "format": "string",
             "segments": "Int64", "speakers": "Int64", "speaker_names": "string", "warnings": "Int64",
             "reanchored": "Int64", "refitted": "Int64", "flagged": "Int64", "error": "string"})
