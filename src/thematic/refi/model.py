"""An in-memory REFI-QDA project: what a .qde/.qdc file holds, independent of XML and of the store.

The exporter builds one from a study and the writer turns it into XML; the reader builds one from
XML and the importer maps it into a study. Offsets in selections are the vendor's, as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class RefiUser:
    """A person or program that created codes, selections or codings."""

    guid: str
    name: str


@dataclass(slots=True)
class RefiCode:
    """A code of the codebook; ``children`` nest to any depth."""

    guid: str
    name: str
    codable: bool = True
    color: str | None = None
    description: str = ""
    note_guids: list[str] = field(default_factory=list)
    children: list["RefiCode"] = field(default_factory=list)

    def walk(self, parent: "RefiCode | None" = None) -> list[tuple["RefiCode", "RefiCode | None"]]:
        """This code and every descendant with its parent, depth first."""
        out: list[tuple[RefiCode, RefiCode | None]] = [(self, parent)]
        for child in self.children:
            out.extend(child.walk(self))
        return out


@dataclass(slots=True)
class RefiCoding:
    """One code applied to a selection (or to a whole source)."""

    guid: str
    code_guid: str
    user_guid: str | None = None
    created: datetime | None = None
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSelection:
    """A span of a text source: ``start``/``end`` as the vendor counts them, end exclusive."""

    guid: str
    start: int
    end: int
    name: str = ""
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None
    codings: list[RefiCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    reversed: bool = False  # the file gave end < start (W515): start/end are swapped back


@dataclass(slots=True)
class RefiSource:
    """A source. Only ``TextSource`` (and a PDF's text representation) carries codable text."""

    guid: str
    name: str
    kind: str = "TextSource"
    path: str | None = None  # plainTextPath (text) or path (media)
    content: str | None = None  # PlainTextContent given inline
    description: str = ""
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # codings of the whole source
    variables: dict[str, Any] = field(default_factory=dict)
    note_guids: list[str] = field(default_factory=list)
    other_selections: int = 0  # picture/PDF-region/audio/video selections (not carried over)
    other_codings: int = 0
    user_guid: str | None = None  # creatingUser (QualCoder needs one on every source)
    unplaced_selections: int = 0  # text selections without integer positions (W512: not carried over)
    unplaced_codings: int = 0


@dataclass(slots=True)
class RefiVariable:
    """A case or source attribute definition."""

    guid: str
    name: str
    type: str = "Text"  # Text | Boolean | Integer | Float | Date | DateTime


@dataclass(slots=True)
class RefiCase:
    """A case (a participant, usually) with its variable values and the sources it covers."""

    guid: str
    name: str = ""
    description: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    source_guids: list[str] = field(default_factory=list)
    selection_guids: list[str] = field(default_factory=list)
    code_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiNote:
    """A memo: a text of its own, referenced by codes, sources, selections or codings."""

    guid: str
    name: str = ""
    text: str = ""
    description: str = ""
    user_guid: str | None = None
    created: datetime | None = None
    path: str | None = None  # plainTextPath, when the text is a file instead of inline


@dataclass(slots=True)
class RefiSet:
    """A named group of codes, sources or notes."""

    guid: str
    name: str
    description: str = ""
    code_guids: list[str] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiProject:
    """Everything read from, or to be written to, a .qde project or a .qdc codebook."""

    name: str = ""
    origin: str = ""
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)  # notes on the project itself
    description: str = ""
    created: datetime | None = None
    base_path: str | None = None
    #: Parts read but with no place in thematic: kind -> count (graphs, links, ...).
    unsupported: dict[str, int] = field(default_factory=dict)
    #: Elements skipped while reading, with why (bad GUIDs, a coding without a code ...).
    skipped: list[str] = field(default_factory=list)
    #: Coded warnings ([W5xx]) for what reading left behind (a selection without integer positions, W512).
    not_carried: list[str] = field(default_factory=list)
    #: Coded warnings ([W5xx]) for what reading carried over changed (a selection whose end came first, W515).
    warnings: list[str] = field(default_factory=list)
    is_codebook_only: bool = False

    def all_codes(self) -> list[tuple[RefiCode, RefiCode | None]]:
        """Every code with its parent, depth first."""
        out: list[tuple[RefiCode, RefiCode | None]] = []
        for code in self.codes:
            out.extend(code.walk())
        return out

    def count_codings(self) -> int:
        """All codings in the project, on text selections and elsewhere."""
        return sum(
            len(s.codings) + s.other_codings + s.unplaced_codings + sum(len(sel.codings) for sel in s.selections)
            for s in self.sources
        )
