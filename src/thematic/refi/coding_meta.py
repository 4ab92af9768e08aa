"""A coding's review state and flag <-> ``thematic-…:`` lines at the end of its REFI note.

REFI has no place for a coding's status, the suggester an accepted coding came from, its review
flag, or that ``thematic reconcile`` wrote it. thematic writes them as the last lines of the coding's
note (``thematic-status:``, ``thematic-suggested-by:``, ``thematic-flag:``, ``thematic-reconcile:``
with the coders and route, ``HT,SO; sheet``) and reads them back, so a round trip keeps a suggestion
reviewable, an accepted suggestion accepted with its reviewer, a flag raised, and a consensus coding
the consensus's. The lines follow a marker line (``MARKER``), written too when the memo alone could be taken
for metadata, and only what follows the last marker is read as metadata, so a memo comes back as written;
a note without a marker (from an earlier thematic) has its trailing ``thematic-…:`` lines read, as then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINE = re.compile(r"^thematic-(status|suggested-by|flag|reconcile):[ \t]*(.*?)\s*$")
STATUSES = ("manual", "accepted", "suggested")
#: The line before the metadata thematic writes in a coding's note (a memo's own lines above it stay the memo's).
MARKER = "-- thematic --"


@dataclass(slots=True)
class CodingMeta:
    """What a coding's note says of its status, suggesters and flag (all optional)."""

    status: str | None = None
    suggested_by: list[str] = field(default_factory=list)
    flag: str | None = None
    reconcile: tuple[list[str], str] | None = None  # a consensus coding: the coders reconciled and the route

    @property
    def empty(self) -> bool:
        """True when there is nothing to write."""
        return self.status is None and not self.suggested_by and not self.flag and self.reconcile is None


def meta_lines(meta: CodingMeta) -> str:
    """The ``thematic-…:`` lines for ``meta`` (empty when there is nothing to say)."""
    lines = []
    if meta.status:
        lines.append(f"thematic-status: {meta.status}")
    if meta.suggested_by:
        lines.append(f"thematic-suggested-by: {', '.join(meta.suggested_by)}")
    if meta.flag:
        lines.append(f"thematic-flag: {' '.join(meta.flag.split())}")
    if meta.reconcile is not None:
        coders, route = meta.reconcile
        lines.append(f"thematic-reconcile: {','.join(coders)}; {route}")
    return "\n".join(lines)


def note_with_meta(memo: str | None, meta: CodingMeta) -> str:
    """A coding note: the memo, then the marker and the meta lines (the marker alone when the memo could be
    read as metadata)."""
    memo = (memo or "").strip()
    lines = meta_lines(meta)
    if not lines and not _reads_as_meta(memo):
        return memo
    return "\n\n".join(x for x in (memo, "\n".join(x for x in (MARKER, lines) if x)) if x)


def _reads_as_meta(memo: str) -> bool:
    """Whether a memo written alone would be read back as (part) metadata: it holds the marker or ends in a
    ``thematic-…:`` line."""
    lines = memo.split("\n")
    return any(line.strip() == MARKER for line in lines) or bool(_LINE.match(lines[-1].strip()))


def split_meta(text: str) -> tuple[str, CodingMeta]:
    """A note without the metadata thematic wrote (after its last marker line, else its trailing ``thematic-…:``
    lines), and what that said."""
    meta = CodingMeta()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip().split("\n")
    marks = [i for i, line in enumerate(lines) if line.strip() == MARKER]
    if marks:
        memo, rest = lines[:marks[-1]], []
        for line in lines[marks[-1] + 1:]:
            if not _read_line(line, meta) and line.strip():
                rest.append(line)  # not thematic's: kept with the memo
        return "\n".join(memo + rest).strip(), meta
    while lines and _read_line(lines[-1], meta):
        lines.pop()
    return "\n".join(lines).strip(), meta


def _read_line(line: str, meta: CodingMeta) -> bool:
    """Record what one ``thematic-…:`` line says in ``meta``; False for any other line."""
    m = _LINE.match(line.strip())
    if m is None:
        return False
    key, value = m.groups()
    if key == "status" and value in STATUSES:
        meta.status = value
    elif key == "suggested-by":
        meta.suggested_by = [v.strip() for v in value.split(",") if v.strip()]
    elif key == "flag" and value:
        meta.flag = value
    elif key == "reconcile" and value:
        coders, _, route = value.partition(";")
        meta.reconcile = ([c.strip() for c in coders.split(",") if c.strip()], route.strip() or "api")
    return True
