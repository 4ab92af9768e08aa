"""Comparing two codebooks (any two versions or files): what was added, removed, renamed, moved, redefined.

A rename is recognised from the ``changes`` log of either file (``rename`` entries between the two
versions, chained: a->b then b->c is a->c), or, failing that, from a removed and an added code with
the same definition. Everything else is matched by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import Code
from .changes import ChangeEntry
from .semver import semver_key

if TYPE_CHECKING:
    import pandas as pd

    from .record import CodebookRecord as Codebook

#: Kinds of change, in the order they are listed.
DIFF_KINDS = ("added", "removed", "renamed", "moved", "relabelled", "redefined", "retired", "edited")
#: Fields whose change alters what a code means (reported as ``redefined``).
MEANING_FIELDS = ("definition", "include", "exclude", "examples", "keywords", "patterns")
#: Fields that change presentation only (reported as ``edited``).
OTHER_FIELDS = ("color", "memo")
DIFF_COLUMNS = ["change", "code_id", "old_id", "field", "before", "after", "note"]


@dataclass(frozen=True, slots=True)
class CodeChange:
    """One difference. ``code_id`` is the id in the new codebook (the old id for ``removed``)."""

    kind: str
    code_id: str
    old_id: str | None = None
    field: str | None = None
    before: Any = None
    after: Any = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CodebookDiff:
    """The differences from ``old`` to ``new``, one CodeChange per code and kind (and field)."""

    old_label: str
    new_label: str
    changes: tuple[CodeChange, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def of_kind(self, kind: str) -> list[CodeChange]:
        """The changes of one kind (``added``, ``removed``, ``renamed``, ...)."""
        return [c for c in self.changes if c.kind == kind]

    @property
    def added(self) -> list[str]:
        return [c.code_id for c in self.of_kind("added")]

    @property
    def removed(self) -> list[str]:
        return [c.code_id for c in self.of_kind("removed")]

    @property
    def renamed(self) -> dict[str, str]:
        """``{old_id: new_id}``."""
        return {str(c.old_id): c.code_id for c in self.of_kind("renamed")}

    @property
    def moved(self) -> list[str]:
        return [c.code_id for c in self.of_kind("moved")]

    @property
    def redefined(self) -> list[str]:
        return list(dict.fromkeys(c.code_id for c in self.of_kind("redefined")))

    @property
    def relabelled(self) -> list[str]:
        return [c.code_id for c in self.of_kind("relabelled")]

    def summary(self) -> dict[str, int]:
        """How many codes changed in each way (kinds with none are left out)."""
        out: dict[str, int] = {}
        for kind in DIFF_KINDS:
            n = len({c.code_id for c in self.of_kind(kind)})
            if n:
                out[kind] = n
        return out

    def to_frame(self) -> "pd.DataFrame":
        """One row per change: change, code_id, old_id, field, before, after, note."""
        import pandas as pd

        rows = [{"change": c.kind, "code_id": c.code_id, "old_id": c.old_id, "field": c.field,
                 "before": _show(c.before), "after": _show(c.after), "note": c.note} for c in self.changes]
        return pd.DataFrame(rows, columns=DIFF_COLUMNS).astype("string")


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "; ".join(_show(v) or "" for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _entries_between(a: "Codebook", b: "Codebook") -> list[ChangeEntry]:
    """Change entries of either file made after the older version, up to the newer one, oldest first."""
    lo, hi = sorted((semver_key(a.version), semver_key(b.version)))
    seen: dict[str, ChangeEntry] = {}
    for e in (*a.change_log, *b.change_log):
        if lo < semver_key(e.version) <= hi:
            seen.setdefault(e.key, e)
    return sorted(seen.values(), key=lambda e: (semver_key(e.version), e.index))


def _renames(a: "Codebook", b: "Codebook", entries: list[ChangeEntry]) -> dict[str, tuple[str, str]]:
    """``{id in a: (id in b, note)}`` for codes renamed between the two."""
    pairs = [(e.sources[0], e.targets[0]) for e in entries if e.kind == "rename"]
    if semver_key(a.version) > semver_key(b.version):
        pairs = [(t, s) for s, t in reversed(pairs)]
    out: dict[str, tuple[str, str]] = {}
    for old in a.entries:
        if old in b.entries:
            continue
        new = old
        for s, t in pairs:
            new = t if new == s else new
        if new != old and new in b.entries and new not in a.entries:
            out[old] = (new, "changes log")
    gone = [c for c in a.entries.values() if c.id not in b.entries and c.id not in out and c.definition]
    taken = {n for n, _ in out.values()}
    fresh = [c for c in b.entries.values() if c.id not in a.entries and c.id not in taken and c.definition]
    for old_code in gone:
        same = [c for c in fresh if _norm(c.definition) == _norm(old_code.definition)]
        if len(same) == 1 and same[0].id not in {n for n, _ in out.values()}:
            out[old_code.id] = (same[0].id, "same definition")
    return out


def _removal_note(code_id: str, entries: list[ChangeEntry]) -> str:
    """Where a removed code went, following the log in order as ``migrate`` does (a merge into itself
    is no step), e.g. ``merged into b (1.1.0), then renamed to d (1.2.0)``."""
    steps: list[str] = []
    current = code_id
    for e in entries:
        if current not in e.sources:
            continue
        if e.kind in ("rename", "merge") and e.targets[0] != current:
            steps.append(f"{'merged into' if e.kind == 'merge' else 'renamed to'} {e.targets[0]} ({e.version})")
            current = e.targets[0]
        elif e.kind == "split":
            steps.append(f"split into {', '.join(e.targets)} ({e.version})")
            break
        elif e.kind == "retire":
            steps.append(f"retired ({e.version})")
    return ", then ".join(steps)


def _compare(old: Code, new: Code, parent_map: dict[str, str], retired_now: "ChangeEntry | bool") -> list[CodeChange]:
    out: list[CodeChange] = []
    old_parent = parent_map.get(old.parent, old.parent) if old.parent else None
    if old_parent != new.parent:
        out.append(CodeChange("moved", new.id, old.id, "parent", old.parent, new.parent))
    if old.label != new.label:
        out.append(CodeChange("relabelled", new.id, old.id, "label", old.label, new.label))
    for name in MEANING_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        if (_norm(before) != _norm(after)) if isinstance(before, str) else (list(before) != list(after)):
            out.append(CodeChange("redefined", new.id, old.id, name, before, after))
    if retired_now:  # the retire entry: its release as ``after`` and its note
        entry = retired_now if not isinstance(retired_now, bool) else None
        out.append(CodeChange("retired", new.id, old.id, "version", None, entry.version if entry else None,
                              (entry.note or "") if entry else ""))
    for name in OTHER_FIELDS:
        if getattr(old, name) != getattr(new, name):
            out.append(CodeChange("edited", new.id, old.id, name, getattr(old, name), getattr(new, name)))
    return out


def diff_codebooks(old: "Codebook", new: "Codebook") -> CodebookDiff:
    """Everything that changed from ``old`` to ``new`` (see ``Codebook.diff``)."""
    entries = _entries_between(old, new)
    renames = _renames(old, new, entries)
    parent_map = {o: n for o, (n, _) in renames.items()}
    new_ids = set(renames.get(c, (c, ""))[0] for c in old.entries)
    changes: list[CodeChange] = []
    for code in new.entries.values():
        if code.id not in new_ids:
            changes.append(CodeChange("added", code.id, None, None, None, code.label))
    for code in old.entries.values():
        if code.id in renames:
            target, how = renames[code.id]
            changes.append(CodeChange("renamed", target, code.id, "id", code.id, target, how))
        elif code.id not in new.entries:
            changes.append(CodeChange("removed", code.id, code.id, None, code.label, None,
                                      _removal_note(code.id, entries)))
    for code in old.entries.values():
        target = renames.get(code.id, (code.id, ""))[0]
        if target in new.entries:
            retired_now = target in new.retired and code.id not in old.retired
            entry = next((e for e in reversed(new.change_log) if e.kind == "retire" and e.sources[:1] == (target,)),
                         None) if retired_now else None
            changes.extend(_compare(code, new.entries[target], parent_map, entry or retired_now))
    order = {k: i for i, k in enumerate(DIFF_KINDS)}
    changes.sort(key=lambda c: order[c.kind])
    label = lambda cb: f"{cb.name} {cb.version}" + (f" ({cb.path})" if cb.path else "")  # noqa: E731
    return CodebookDiff(old_label=label(old), new_label=label(new), changes=tuple(changes))
