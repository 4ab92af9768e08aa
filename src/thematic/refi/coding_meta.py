"""A coding's review state and flag <-> ``thematic-…:`` lines at the end of its REFI note.

REFI has no place for a coding's status, the suggester an accepted coding came from, its review
flag, or that ``thematic reconcile`` wrote it. thematic writes them as the last lines of the coding's
note (``thematic-status:``, ``thematic-suggested-by:``, ``thematic-flag:``, ``thematic-reconcile:``
with the coders and route, ``HT,SO; sheet``) and reads them back, so a round trip keeps a suggestion
reviewable, an accepted suggestion accepted with its reviewer, a flag raised, and a consensus coding
the consensus's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LINE = re.compile(r"^thematic-(status|suggested-by|flag|reconcile):[ \t]*(.*?)\s*$")
STATUSES = ("manual", "accepted", "suggested")


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
    """A coding note: the memo, then the meta lines."""
    return "\n\n".join(x for x in ((memo or "").strip(), meta_lines(meta)) if x)


def split_meta(text: str) -> tuple[str, CodingMeta]:
    """A note without its trailing ``thematic-…:`` lines, and what they said."""
    meta = CodingMeta()
    lines = text.replace("\r\n", "\n").rstrip().split("\n")
    while lines and (m := _LINE.match(lines[-1].strip())):
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
        lines.pop()
    return "\n".join(lines).strip(), meta
