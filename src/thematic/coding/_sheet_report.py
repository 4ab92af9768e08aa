"""What a coding-sheet import did (the record both ``sheet`` and ``_sheet_apply`` fill in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem


@dataclass(slots=True)
class SheetImportReport:
    """What an import did, and every row that needs a look (``problems()`` lists them with row numbers)."""

    path: Path
    coder: str
    rows: int = 0
    added: int = 0
    removed: int = 0
    #: Accepted suggestions unticked: rejected by the coder (not removed), so no suggester stores them again.
    rejected: int = 0
    unchanged: int = 0
    memos: int = 0
    seen: int = 0
    #: Rows read but not imported, each reported with why (W340-W345, W350): nothing of them was stored and their
    #: segments were not recorded as seen, so agreement reads no decision from them.
    skipped: int = 0
    batch_id: str | None = None
    dry_run: bool = False
    #: The copy of the store made before the import wrote anything (data/coded/backups/).
    backup: Path | None = None
    unknown_codes: list[Problem] = field(default_factory=list)
    changed_rows: list[Problem] = field(default_factory=list)
    missing_segments: list[Problem] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)
    #: About the sheet as a whole: no about stamp (W347), rows deleted (W348), columns renamed since (W349).
    notes: list[Problem] = field(default_factory=list)
    #: Codings left unticked on a row but kept, since they became the coder's after the export (W351).
    kept_codings: list[Problem] = field(default_factory=list)
    #: Ticks not imported because the coder's coding there was removed (or rejected) after the export (W555).
    left_removed: list[Problem] = field(default_factory=list)

    @property
    def kept(self) -> int:
        """How many codings the sheet leaves unticked but the import kept (coded elsewhere since the export)."""
        return len(self.kept_codings)

    @property
    def ok(self) -> bool:
        """True when every row was read and imported as written."""
        return not self.problems()

    def problems(self) -> list[Problem]:
        """All row-level problems, in sheet order (``Problem.line`` is the sheet row number)."""
        every = (self.notes + self.unknown_codes + self.changed_rows + self.missing_segments + self.unreadable
                 + self.kept_codings + self.left_removed)
        return sorted(every, key=lambda p: (p.line or 0, p.code))
