"""A thematic code's definition, criteria and id <-> one REFI ``<Description>`` text.

REFI codes have a single free-text description. thematic writes the definition, then labelled
blocks ("Include:", "Exclude:", "Examples:" with "- " items), then, for a code the changes log
retired or split away, a ``thematic-retired:`` or ``thematic-split:`` line, then a ``thematic-id:``
line so a round trip keeps the code's id. Reading splits the same blocks back out; any other
description becomes the definition unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import Code

BLOCKS = (("include", "Include:"), ("exclude", "Exclude:"), ("examples", "Examples:"))
_ID_LINE = re.compile(r"^thematic-id:\s*(\S+)\s*$")
_GUID_LINE = re.compile(r"^REFI guid:\s*(\S+)\s*$", re.M)
_LIFECYCLE_LINE = re.compile(r"^thematic-(retired|split):\s*(.*?)\s*$")


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Why a code may no longer be applied: ``retired``, or ``split`` into ``targets`` (their ids now), in the
    release ``version`` of the exporting codebook, with the changes entry's ``note``."""

    kind: str
    version: str
    targets: tuple[str, ...] = ()
    note: str = ""

    def line(self) -> str:
        """``thematic-retired: 1.1.0; note`` or ``thematic-split: 1.1.0; b, c; note`` (the note on one line)."""
        parts = [self.version, *([", ".join(self.targets)] if self.kind == "split" else [])]
        note = " ".join(self.note.split())
        return f"thematic-{self.kind}: " + "; ".join([*parts, *([note] if note else [])])

    @classmethod
    def parse(cls, line: str) -> "Lifecycle | None":
        """The lifecycle a ``thematic-retired:`` or ``thematic-split:`` line records (None for any other line)."""
        m = _LIFECYCLE_LINE.match(line.strip())
        if m is None:
            return None
        if m.group(1) == "retired":
            version, _, note = m.group(2).partition(";")
            return cls("retired", version.strip(), (), note.strip())
        version, _, rest = m.group(2).partition(";")
        targets, _, note = rest.partition(";")
        return cls("split", version.strip(), tuple(t.strip() for t in targets.split(",") if t.strip()), note.strip())


@dataclass(slots=True)
class ParsedDescription:
    """The parts of a REFI description."""

    definition: str = ""
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    code_id: str | None = None
    lifecycle: Lifecycle | None = None


def code_description(code: Code, lifecycle: Lifecycle | None = None) -> str:
    """The REFI description of a thematic code (definition, criteria, examples, retired/split line, id line)."""
    parts = [code.definition.strip()] if code.definition.strip() else []
    for attr, heading in BLOCKS:
        items = [i.strip() for i in getattr(code, attr) if str(i).strip()]
        if items:
            parts.append("\n".join([heading, *(f"- {i}" for i in items)]))
    if lifecycle is not None:
        parts.append(lifecycle.line())
    parts.append(f"thematic-id: {code.id}")
    return "\n\n".join(parts)


def parse_description(text: str) -> ParsedDescription:
    """Split a REFI description into definition, include/exclude/examples and a thematic id."""
    out = ParsedDescription()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    if lines and (m := _ID_LINE.match(lines[-1].strip())):
        out.code_id = m.group(1)
        lines = lines[:-1]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        if lines and (life := Lifecycle.parse(lines[-1])) is not None:  # only thematic writes it, before the id
            out.lifecycle = life
            lines = lines[:-1]
    headings = {h: a for a, h in BLOCKS}
    definition: list[str] = []
    current: list[str] | None = None
    for line in lines:
        stripped = line.strip()
        if stripped in headings:
            current = getattr(out, headings[stripped])
        elif current is not None and stripped.startswith("- "):
            current.append(stripped[2:].strip())
        elif current is not None and stripped and current:
            current[-1] += " " + stripped  # a wrapped item
        elif current is not None and not stripped:
            continue
        else:
            current = None
            definition.append(line)
    out.definition = "\n".join(definition).strip()
    return out


_SETS, _SET = "REFI sets:", "REFI set:"


def memo_with_guid(memo: str | None, guid: str, sets: list[str]) -> str:
    """A code memo that also records the REFI guid (and sets) the code came with: the sets on one ``REFI sets:`` line,
    comma-separated, less a set whose name holds a comma, which has a ``REFI set:`` line of its own."""
    lines = [memo.strip()] if memo and memo.strip() else []
    lines.append(f"REFI guid: {guid}")
    plain = [s for s in sets if "," not in s]
    if plain:
        lines.append(f"{_SETS} {', '.join(plain)}")
    lines.extend(f"{_SET} {s}" for s in sets if "," in s)
    return "\n".join(lines)


def guid_from_memo(memo: str | None) -> tuple[str | None, str]:
    """The REFI guid recorded in a code memo, and the memo without the REFI lines."""
    if not memo:
        return None, ""
    m = _GUID_LINE.search(memo)
    rest = "\n".join(line for line in memo.splitlines() if not line.startswith(("REFI guid:", _SETS, _SET)))
    return (m.group(1) if m else None), rest.strip()


def sets_from_memo(memo: str | None) -> list[str]:
    """The REFI sets a code memo records (``memo_with_guid``), in order, each once."""
    names: list[str] = []
    for line in (memo or "").splitlines():
        if line.startswith(_SETS):
            names.extend(n.strip() for n in line[len(_SETS):].split(","))
        elif line.startswith(_SET):
            names.append(line[len(_SET):].strip())
    return list(dict.fromkeys(n for n in names if n))
