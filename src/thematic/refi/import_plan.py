"""The import plan: records ready to store and files ready to write (what planning hands the importer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Coding, Document, Participant
from .codebook_map import CodebookMap
from .report import ImportReport


MISMATCH_FLAG = "refi: the quoted text differs from the text at these offsets"
#: The flag of codings on a selection whose end came before its start (W515) and whose quote does not confirm it.
REVERSED_FLAG = "refi: the file gave this span reversed (end before start); check it"
#: The coder of codings (and author of memos) whose REFI file names nobody.
UNKNOWN_CODER = "refi-unknown"
#: The first line of the ``memos/<file>.md`` an import writes its loose notes to (export reads those notes back).
MEMO_HEADER = "# Memos imported from "
#: Names of the document memos an import makes of a source's notes and of its description (export reverses them).
SOURCE_MEMO, SOURCE_DESCRIPTION = "source memo", "source description"


@dataclass(slots=True)
class ImportPlan:
    """Records ready to store and files ready to write."""

    report: ImportReport
    codebook: CodebookMap
    documents: list[Document] = field(default_factory=list)
    raw_files: dict[str, str] = field(default_factory=dict)  # study-relative path -> text
    codings: list[Coding] = field(default_factory=list)
    flagged: dict[str, str] = field(default_factory=dict)  # coding id -> flag (a moved quote, a carried flag)
    accepted: dict[str, str] = field(default_factory=dict)  # coding id of an accepted suggestion -> its reviewer
    participants: list[Participant] = field(default_factory=list)
    notes_markdown: str | None = None
    #: What each coder saw: (coder, segment id, source), from a thematic export's records files.
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    #: Consensus decisions (``store.add_decisions`` rows), from the same files.
    decisions: list[dict[str, Any]] = field(default_factory=list)
    #: The files the import writes beside its texts (study-relative: a codebook, memos/<file>.md): an undo names them.
    written: list[str] = field(default_factory=list)
