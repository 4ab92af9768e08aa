"""The codebook's ``changes`` log: entries that record (and can migrate) rename, merge, split, retire.

Format (one YAML mapping per entry, oldest first)::

    changes:
    - {version: 0.2.0, rename: {from: old_id, to: new_id}, note: why}
    - {version: 0.2.0, merge: {from: [a, b], into: c}}
    - {version: 0.3.0, split: {from: a, into: [b, c]}}
    - {version: 0.3.0, retire: {code: a}}
    - {version: 0.3.0, note: free text only, recorded but never migrated}

``version`` is the release that made the change. Entries whose version is above the codebook's own
``version`` are *pending*: they are validated but not migrated until the release is bumped to it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Collection, Literal, Mapping, Sequence

from ..errors import Problem
from .parse import brief, clip
from .semver import is_semver, semver_key

ChangeKind = Literal["rename", "merge", "split", "retire", "note"]
MIGRATION_KINDS: tuple[str, ...] = ("rename", "merge", "split", "retire")
ENTRY_KEYS = ("version", "rename", "merge", "split", "retire", "note", "date", "by")
ID_RE = re.compile(r"[a-z][a-z0-9_]*")  #: use with fullmatch: '$' would accept a trailing newline

#: The keys each migration kind takes, and whether each is one id (str) or a list of ids.
_SHAPES: dict[str, dict[str, type]] = {
    "rename": {"from": str, "to": str},
    "merge": {"from": list, "into": str},
    "split": {"from": str, "into": list},
    "retire": {"code": str},
}
_EXAMPLES = {
    "rename": "rename: {from: old_id, to: new_id}",
    "merge": "merge: {from: [a, b], into: c}",
    "split": "split: {from: a, into: [b, c]}",
    "retire": "retire: {code: a}",
}


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One parsed entry of the changes log.

    ``sources`` are the ids codings move *from*; ``targets`` the ids they move *to* (rename: one,
    merge: one, split: several, retire and note: none).
    """

    version: str
    kind: ChangeKind
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    note: str | None = None
    index: int = 0
    line: int | None = None

    @property
    def key(self) -> str:
        """A stable fingerprint, recorded in the store once the entry has been migrated."""
        raw = json.dumps([self.version, self.kind, list(self.sources), list(self.targets)])
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def describe(self) -> str:
        """One readable line, e.g. ``0.2.0 merge a, b -> c``."""
        if self.kind == "note":
            return f"{self.version} note: {self.note or ''}"
        if self.kind == "retire":
            return f"{self.version} retire {self.sources[0]}"
        return f"{self.version} {self.kind} {', '.join(self.sources)} -> {', '.join(self.targets)}"


def _ids(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def parse_changes(raw: Sequence[Mapping[str, Any]], lines: Sequence[int | None] = ()) -> tuple[ChangeEntry, ...]:
    """Turn validated ``changes`` mappings into ChangeEntry records (in file order)."""
    out = []
    for i, item in enumerate(raw):
        kind = next((k for k in MIGRATION_KINDS if k in item), "note")
        body = item.get(kind) or {}
        if kind == "retire":
            sources, targets = _ids(body.get("code")), ()
        elif kind == "note":
            sources, targets = (), ()
        else:
            sources = _ids(body.get("from"))
            targets = _ids(body.get("to") if kind == "rename" else body.get("into"))
        note = item.get("note")
        out.append(ChangeEntry(
            version=str(item.get("version")), kind=kind,  # type: ignore[arg-type]
            sources=sources, targets=targets, note=None if note is None else str(note),
            index=i, line=lines[i] if i < len(lines) else None,
        ))
    return tuple(out)


def _check_id_value(value: Any, where: str, path: str, line: int | None, expect: type) -> list[Problem]:
    values = value if isinstance(value, list) else [value]
    if expect is list and (not isinstance(value, list) or not value):
        return [Problem(path, line, "C013", f"{where} must be a non-empty list of code ids, e.g. [a, b].")]
    if expect is str and not isinstance(value, str):
        return [Problem(path, line, "C013", f"{where} must be one code id (a string), not {type(value).__name__}.")]
    return [
        Problem(path, line, "C013", f"{where}: {brief(v)} is not a valid code id (snake_case, e.g. peer_support).")
        for v in values if not isinstance(v, str) or not ID_RE.fullmatch(v)
    ]


def check_entry(item: Any, i: int, path: str, line: int | None) -> list[Problem]:
    """Structural problems of one ``changes`` entry (shape, keys, version)."""
    where = f"changes[{i}]"
    if not isinstance(item, Mapping):
        return [Problem(path, line, "C013", f"{where} must be a mapping like "
                        "'{version: 0.2.0, rename: {from: old_id, to: new_id}}'.")]
    problems: list[Problem] = []
    for key in item:
        if key not in ENTRY_KEYS:
            close = difflib.get_close_matches(str(key), ENTRY_KEYS, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(ENTRY_KEYS)}."
            problems.append(Problem(path, line, "C011", f"{where}: unknown key '{clip(key)}'. {hint}"))
    if not is_semver(item.get("version")):
        problems.append(Problem(path, line, "C013", f"{where} needs 'version: X.Y.Z' (the release that made the "
                                f"change; each number at most 18 digits), got {brief(item.get('version'))}."))
    kinds = [k for k in MIGRATION_KINDS if k in item]
    if len(kinds) > 1:
        problems.append(Problem(path, line, "C013", f"{where} has {' and '.join(kinds)}; write one change per "
                                "entry (split it into several entries with the same version)."))
    if not kinds and not item.get("note"):
        problems.append(Problem(path, line, "C013", f"{where} records nothing: add one of "
                                f"{', '.join(MIGRATION_KINDS)} or a 'note'."))
    if "note" in item and not isinstance(item["note"], str):
        problems.append(Problem(path, line, "C013", f"{where}: 'note' must be text."))
    for kind in kinds:
        problems.extend(_check_body(item[kind], kind, f"{where}.{kind}", path, line))
    return problems


def _check_body(body: Any, kind: str, where: str, path: str, line: int | None) -> list[Problem]:
    shape = _SHAPES[kind]
    if not isinstance(body, Mapping) or set(body) != set(shape):
        return [Problem(path, line, "C013", f"{where} must look like '{_EXAMPLES[kind]}'.")]
    problems: list[Problem] = []
    for key, expect in shape.items():
        problems.extend(_check_id_value(body[key], f"{where}.{key}", path, line, expect))
    if not problems and kind == "rename" and body["from"] == body["to"]:
        problems.append(Problem(path, line, "C013", f"{where} renames '{body['from']}' to itself; remove it."))
    if not problems and kind == "split" and len(body["into"]) < 2:
        problems.append(Problem(path, line, "C013", f"{where} splits into one code; use rename instead."))
    return problems


#: Whether an id was a theme (True) or a code (False) in the released copies before a version; None: unknown.
WasTheme = Callable[[str, str], "bool | None"]
#: Each code's parent in the newest released copy before a version that defines an id ({} when none does).
ReleasedParents = Callable[[str, str], "Mapping[str, str]"]


def check_consistency(entries: Sequence[ChangeEntry], known: Mapping[str, int | None], path: str, *,
                      themes: Collection[str] = (), was_theme: WasTheme | None = None,
                      parents: Mapping[str, str] | None = None,
                      released_parents: ReleasedParents | None = None) -> list[Problem]:
    """Problems between the log and the codes: targets must exist, renamed/merged sources must be gone.

    ``known`` maps each id defined in the file to its line; ``themes`` are the theme ids among them. A
    target that a *later* entry moves on (rename a->b, then b->c) need not exist any more, and a source
    that a later entry brings back (rename a->b, then b->a: a rename undone) may be defined again. A
    target may not be an id an earlier entry retired (its old codings keep that id, so they would be
    counted under the new meaning), nor a theme when a source is a code (in the file, or by ``was_theme``,
    which reads the released copies): no coder can apply a theme. A ``retire`` may not name a theme either: it
    acts on a code's codings and a theme holds none, so its codes (found through ``parents``, or through
    ``released_parents`` for a theme only the released copies define) are retired instead.
    """
    problems: list[Problem] = []
    ordered = sorted(entries, key=lambda e: (semver_key(e.version), e.index))
    retired: dict[str, ChangeEntry] = {}
    for pos, e in enumerate(ordered):
        later_sources = {s for other in ordered[pos + 1:] for s in other.sources}
        later_targets = {t for other in ordered[pos + 1:] if other.kind in ("rename", "merge", "split")
                         for t in other.targets}
        for t in e.targets:
            if t not in known and t not in later_sources:
                close = difflib.get_close_matches(t, list(known), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(path, e.line, "C016", f"{e.describe()}: '{t}' is not defined in this "
                                        f"codebook; add the code or fix the id.{hint}"))
            elif t in retired:
                r = retired[t]
                at = f" (line {r.line})" if r.line is not None else ""
                problems.append(Problem(path, e.line, "C016", f"{e.describe()}: '{t}' was retired in {r.version}{at}, "
                                        "and a retired id is never used again: its old codings keep that id, so they "
                                        "would be counted under the new meaning. Give the code a new id."))
            elif t in themes:
                coded = [s for s in e.sources if s != t and _was_code(s, e.version, known, themes, was_theme)]
                if coded:
                    problems.append(Problem(path, e.line, "C016", f"{e.describe()}: '{t}' is a theme, and no coder can "
                                            "apply a theme, so the codings of " + ", ".join(f"'{s}'" for s in coded)
                                            + " would end where nobody can make or change them. Move them to a code "
                                            f"(add one under '{t}' if none fits)."))
        if e.kind == "retire":
            problems.extend(_retired_theme(e, known, themes, was_theme, parents or {}, path, released_parents))
            for s in e.sources:
                retired.setdefault(s, e)
        gone = e.sources if e.kind == "rename" else [s for s in e.sources if s not in e.targets]
        if e.kind in ("rename", "merge"):
            for s in gone:
                if s in known and s not in later_targets:
                    problems.append(Problem(path, e.line, "C016", f"{e.describe()}: '{s}' is still defined "
                                            f"(line {known[s]}); delete it, or record a split instead."))
    return problems


def _retired_theme(e: ChangeEntry, known: Mapping[str, int | None], themes: Collection[str],
                   was_theme: WasTheme | None, parents: Mapping[str, str], path: str,
                   released_parents: ReleasedParents | None = None) -> list[Problem]:
    """C016 for a ``retire`` of a theme (in the file, or in the released copies): it would retire nothing."""
    theme = e.sources[0]
    if theme in known:
        if theme not in themes:
            return []
        under = [c for c in parents if _reaches(c, theme, parents)]
        what = f"'{theme}' is a theme"
    elif was_theme is not None and was_theme(theme, e.version) is True:
        was = released_parents(theme, e.version) if released_parents is not None else {}
        under = [c for c in was if _reaches(c, theme, was)]
        what = f"'{theme}' was a theme (in the released copies)"
    else:
        return []
    more = f" and {len(under) - 10} more" if len(under) > 10 else ""
    example = (f", e.g. {{version: {e.version}, retire: {{code: {under[0]}}}}} (its codes: {', '.join(under[:10])}"
               f"{more})" if under else " (it has no codes)")
    return [Problem(path, e.line, "C016", f"{e.describe()}: {what}, and a retirement acts on a code's codings (a "
                    "theme holds none), so nothing would be retired and its codes could still be applied. Retire "
                    f"each code instead, one entry per code{example}; and delete this entry.")]


def _reaches(code_id: str, theme: str, parents: Mapping[str, str]) -> bool:
    """Whether ``code_id``'s chain of parents ends at ``theme`` (a cycle ends nowhere)."""
    seen = {code_id}
    node = parents.get(code_id)
    while node is not None and node not in seen:
        if node == theme:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def _was_code(code_id: str, version: str, known: Mapping[str, int | None], themes: Collection[str],
              was_theme: WasTheme | None) -> bool:
    """Whether ``code_id`` is (or, before ``version``, was) a code rather than a theme; False when nobody can tell."""
    if code_id in known:
        return code_id not in themes
    return was_theme is not None and was_theme(code_id, version) is False
