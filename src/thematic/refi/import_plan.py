"""The import plan: records ready to store and files ready to write (what planning hands the importer)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Coding, Document, Participant
from .codebook_map import CodebookMap
from .report import ImportReport


@dataclass(slots=True)
class ImportPlan:
    """Records ready to store and files ready to write."""

    report: ImportReport
    codebook: CodebookMap
    documents: list[Document] = field(default_factory=list)
    raw_files: dict[str, str] = field(default_factory=dict)  # study-relative path -> text
    codings: list[Coding] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)
    participants: list[Participant] = field(default_factory=list)
    notes_markdown: str | None = None
