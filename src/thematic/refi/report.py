"""What an import found, carried over, verified and could not carry over (the standard asks for it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class SelectionCheck:
    """One selection whose quoted text did not match the text at its offsets."""

    document_id: str
    start: int
    end: int
    expected: str
    found: str


@dataclass(slots=True)
class ImportReport:
    """The result of ``import_refi``: counts found and imported, checks, and what was lost.

    ``found`` and ``imported`` map a kind (codes, sources, codings ...) to a count; ``not_carried_over``
    holds coded warnings ([W5xx]) that say what was left behind and why.
    """

    path: Path
    origin: str = ""
    study_root: Path | None = None
    created_study: bool = False
    found: dict[str, int] = field(default_factory=dict)
    imported: dict[str, int] = field(default_factory=dict)
    verified: int = 0
    unverifiable: int = 0
    mismatches: list[SelectionCheck] = field(default_factory=list)
    not_carried_over: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sets: list[tuple[str, int, int]] = field(default_factory=list)  # (name, n codes, n sources)
    codebook_path: Path | None = None
    crlf_as_two: bool = False
    batch_id: str | None = None
    #: The copy of the store made before the import (data/coded/backups/), when it held documents.
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        """True when everything found was carried over and every checkable quote matched."""
        return not self.not_carried_over and not self.mismatches
