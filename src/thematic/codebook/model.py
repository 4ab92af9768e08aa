"""The Codebook: the record (``record.CodebookRecord``) with its diff and migrate operations as methods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .diff import CodebookDiff, diff_codebooks
from .migrate import MigrationReport, migrate
from .record import CodebookRecord, CodebookVersionInfo

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["Codebook", "CodebookRecord", "CodebookVersionInfo"]


@dataclass(frozen=True, slots=True)
class Codebook(CodebookRecord):
    """A parsed codebook. ``entries`` holds themes and codes in file order, keyed by id.

    ``changes`` keeps the raw ``changes`` log mappings; ``change_log`` the same entries parsed.
    """

    def diff(self, other: CodebookRecord) -> CodebookDiff:
        """What changed from this codebook to ``other``: added, removed, renamed, moved, redefined, relabelled.

        Example:
            >>> old = load_codebook("codebooks/.versions/study-0.1.0.yaml")
            >>> old.diff(load_codebook("codebooks/study.yaml")).to_frame()
        """
        return diff_codebooks(self, other)

    def migrate(self, store: "Store", *, actor: str, dry_run: bool = False) -> MigrationReport:
        """Bring the store's codings to this version by applying the ``changes`` log (loses no coding).

        See ``thematic.codebook.migrate.migrate``.
        """
        return migrate(self, store, actor=actor, dry_run=dry_run)
