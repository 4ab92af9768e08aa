"""Migrating codings to the current codebook version by applying the ``changes`` log. Loses no coding.

Each released ``rename``, ``merge``, ``split`` and ``retire`` entry applies to codings made under an
*older* codebook version (their ``codebook_version`` is below the entry's version, or unknown):

- rename / merge: ``code_id`` is remapped (an earlier migration's ``unknown code`` flag on the coding is
  cleared). When two codings become identical (same document, span, code, owner and status; an accepted
  suggestion is its reviewer's, so two people's accepted suggestions are never identical) one is
  removed, with a ``remove`` event noting ``merge: duplicate of <id> removed``, and its memo is added to
  the coding kept. The one kept has the strongest provenance: one whose quote is still there over one a
  re-ingest lost, then a coding made outside any batch (by hand) over one a batch made, then the older; so
  undoing a batch rarely touches a folded pair, and when it removes the coding kept, ``coding.undo`` puts the
  folded one back. One that differs only in status is flagged ``merge: duplicate of <id>`` instead;
- split: the code is left as it is and the coding is flagged ``split: choose b or c`` for a human;
- retire: the code is kept and the coding is flagged ``retired: ...``.

A flag the migration adds never replaces one it did not set: it goes before it (``split: ...; check
this``), and an unanchored flag (a re-ingest lost the quote, or the document went) stays exactly as it
is, so the coding is still left out of every count until someone re-codes it.

Finally every other coding made under an older version moves to the current one (flagged when its code
is no longer in the codebook). Because applied codings then carry the current version, running the
migration again changes nothing. All writes are logged ``remap`` events in one store transaction.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from ..errors import Errors, Problem, StoreError
from ..models import UNANCHORED_FLAGS, utcnow
from .changes import ChangeEntry
from .parse import codebook_error
from .semver import semver_key

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store
    from .record import CodebookRecord as Codebook

Changes = dict[str, dict[str, Any]]
REPORT_COLUMNS = ["step", "kind", "version", "codings", "remapped", "flagged", "removed"]


def meta_key(name: str) -> str:
    """The store ``meta`` key under which applied migration entries are recorded (an audit list)."""
    return f"codebook.{name}.migrations"


@dataclass(frozen=True, slots=True)
class MigrationStep:
    """What one change entry (or the final version bump) does: per-coding field changes."""

    description: str
    kind: str
    version: str
    changes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    key: str | None = None
    #: Exact duplicates this step removes: ``{removed coding id: the id of the coding kept}``.
    duplicates: Mapping[str, str] = field(default_factory=dict)

    @property
    def remapped(self) -> int:
        return sum(1 for c in self.changes.values() if "code_id" in c)

    @property
    def flagged(self) -> int:
        return sum(1 for c in self.changes.values() if c.get("flag"))

    @property
    def removed(self) -> int:
        return len(self.duplicates)


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """The outcome of ``migrate``: steps, and the coding count before and after (always equal)."""

    codebook: str
    version: str
    dry_run: bool
    steps: tuple[MigrationStep, ...]
    count_before: int
    count_after: int
    pending: tuple[str, ...] = ()
    #: ``(version, n)`` of codings made under a version newer than the codebook's (left as they are).
    newer: tuple[tuple[str, int], ...] = ()

    @property
    def touched(self) -> int:
        """How many codings changed or were removed as exact duplicates (each counted once)."""
        return len({cid for s in self.steps for cid in (*s.changes, *s.duplicates)})

    @property
    def remapped(self) -> int:
        return sum(s.remapped for s in self.steps)

    @property
    def flagged(self) -> int:
        return sum(s.flagged for s in self.steps)

    @property
    def removed(self) -> int:
        """Exact duplicates a merge or rename created and the migration removed (one of each pair was kept)."""
        return sum(s.removed for s in self.steps)

    def to_frame(self) -> "pd.DataFrame":
        """One row per step: step, kind, version, codings, remapped, flagged, removed (exact duplicates)."""
        import pandas as pd

        rows = [{"step": s.description, "kind": s.kind, "version": s.version,
                 "codings": len(set(s.changes) | set(s.duplicates)), "remapped": s.remapped, "flagged": s.flagged,
                 "removed": s.removed} for s in self.steps]
        return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def unknown_flag(code_id: str) -> str:
    """How the flag of a coding whose code left the codebook begins (cleared when a rename brings it back)."""
    return f"unknown code: '{code_id}'"


def owner_of(row: Mapping[str, Any]) -> Any:
    """Whose coding it is: an accepted suggestion is its reviewer's (as in ``coding.owner``), any other its coder's."""
    reviewer = row.get("reviewer")
    return reviewer if row.get("status") == "accepted" and isinstance(reviewer, str) and reviewer else row["coder"]


def twin_key(row: Mapping[str, Any], code_id: str | None = None) -> tuple[Any, ...]:
    """What two codings share when a merge makes them duplicates: document, span, code and owner (``owner_of``)."""
    return (row["document_id"], int(row["start"]), int(row["end"]), code_id or row["code_id"], owner_of(row))


def duplicate_note(kept: str) -> str:
    """The note of the remove event of an exact duplicate a merge or rename created."""
    return f"merge: duplicate of {kept} removed (same span, code and coder; memos kept on {kept})"


def review_flag(entry: ChangeEntry) -> str:
    """The flag a split or retire entry gives each coding of its code, for a person to review."""
    if entry.kind == "split":
        return f"split: choose {' or '.join(entry.targets)} (was {entry.sources[0]}, {entry.version})"
    return f"retired: {entry.sources[0]} ({entry.version}); keep as history or recode"


_FOLDED = re.compile(r"merge: duplicate of (\S+) removed")


def folded_into(note: str | None) -> str | None:
    """The id of the coding kept, read from the note of a ``remove`` event written by ``duplicate_note``."""
    found = _FOLDED.search(note or "")
    return found.group(1) if found else None


def _strength(row: Mapping[str, Any]) -> tuple[bool, bool, str]:
    """Sorts the coding to keep of an identical pair first: one whose quote is still there over one a re-ingest
    lost, then no batch (made by hand) over a batch's, then the older."""
    return (row.get("flag") in UNANCHORED_FLAGS, row.get("batch_id") is not None, str(row.get("created_at") or ""))


def _join_memos(*memos: Any) -> str | None:
    parts = list(dict.fromkeys(str(m).strip() for m in memos if m is not None and str(m).strip()))
    return "\n".join(parts) or None


def _add_flag(current: Any, flag: str) -> str:
    """``flag`` added to a coding's ``current`` one: a migration never clears a flag it did not set.

    An unanchored flag (a re-ingest lost the quote, the document went) stays exactly as it is, since counts,
    quotes, exports and the next re-ingest read it as written; the step is on record in its remap event.
    """
    if not current:
        return flag
    current = str(current)
    if current in UNANCHORED_FLAGS or flag in current.split("; "):
        return current
    return f"{flag}; {current}"


def _entry_changes(entry: ChangeEntry, state: dict[str, dict[str, Any]],
                   made_under: Mapping[str, Any]) -> tuple[Changes, dict[str, str]]:
    """Per-coding changes for one entry, and the exact duplicates it removes, applied to ``state`` as planned.

    Whether the entry applies is decided by the version each coding was made under *before* this
    migration (``made_under``), so a chain (rename a->b, then b->c; merge then rename; rename then
    split) applies every step in order, even when several steps share one release. Each step stamps
    the entry's own version; the final bump moves the coding to the current version.

    A rename or merge that makes a coding identical to another (same document, span, code, owner and
    status) removes one and keeps the other (``_strength``: anchored first, then no batch, then the older;
    a tie keeps the one already on the target), with both memos; one with another status is flagged.
    """
    changes: Changes = {}
    duplicates: dict[str, str] = {}
    taken: dict[tuple[Any, ...], dict[str, str]] = {}  # twin key -> {status: coding id}
    for cid, r in state.items():
        taken.setdefault(twin_key(r), {})[r["status"]] = cid
    entry_key = semver_key(entry.version)
    for cid, row in list(state.items()):
        if row["code_id"] not in entry.sources or made_under[cid] >= entry_key:
            continue
        update: dict[str, Any] = {"codebook_version": entry.version}
        if entry.kind in ("rename", "merge") and row["code_id"] != entry.targets[0]:
            target = entry.targets[0]
            same = taken.setdefault(twin_key(row, target), {})
            twin = same.get(row["status"])
            if twin is not None and twin != cid:
                if _strength(state[twin]) <= _strength(row):  # the twin already on the target stays
                    memo = _join_memos(state[twin].get("memo"), row.get("memo"))
                    if memo != state[twin].get("memo"):
                        changes.setdefault(twin, {})["memo"] = memo
                        state[twin]["memo"] = memo
                    duplicates[cid] = twin
                    changes.pop(cid, None)
                    del state[cid]
                    continue
                # this coding is the stronger (made by hand, or older): it moves and the twin goes
                memo = _join_memos(row.get("memo"), state[twin].get("memo"))
                if memo != row.get("memo"):
                    update["memo"] = memo
                duplicates.update({d: cid for d, k in duplicates.items() if k == twin})
                duplicates[twin] = cid
                changes.pop(twin, None)
                del state[twin]
            update["code_id"] = target
            flag = row.get("flag")
            if str(flag or "").startswith(unknown_flag(row["code_id"])):
                flag = update["flag"] = None  # an earlier migration's "unknown code" flag: the code is known again
            other = next((t for st, t in same.items() if st != row["status"] and t != cid and t in state), None)
            if other is not None:  # the same coding in another status: a person keeps one
                update["flag"] = _add_flag(flag, f"merge: duplicate of {other} ({state[other]['status']}; this one "
                                                 f"{row['status']}); keep one: `thematic code remove --id`")
            same[row["status"]] = cid
        elif entry.kind in ("split", "retire"):
            update["flag"] = _add_flag(row.get("flag"), review_flag(entry))
        if update.get("flag", row.get("flag")) == row.get("flag"):
            update.pop("flag", None)  # unchanged: the remap event records only what changed
        changes.setdefault(cid, {}).update(update)  # keeps a memo joined from a duplicate removed before
        row.update(update)
    return changes, duplicates


def _bump_changes(codebook: "Codebook", state: dict[str, dict[str, Any]]) -> Changes:
    """Move every remaining coding made under an older version to the current one."""
    changes: Changes = {}
    current = semver_key(codebook.version)
    for cid, row in state.items():
        if semver_key(row["codebook_version"]) >= current:
            continue
        update: dict[str, Any] = {"codebook_version": codebook.version}
        if row["code_id"] not in codebook.entries and not row.get("flag"):
            update["flag"] = (f"{unknown_flag(row['code_id'])} is not in codebook {codebook.version}; recode it, "
                              "or record a rename/merge/retire in the changes log dated to the next release, bump and "
                              "migrate again")
        changes[cid] = update
        row.update(update)
    return changes


def plan_migration(codebook: "Codebook", codings: "pd.DataFrame") -> list[MigrationStep]:
    """The steps ``migrate`` would apply to ``codings`` (a ``Store.codings()`` frame); changes nothing."""
    cols = ["coding_id", "document_id", "start", "end", "code_id", "coder", "reviewer", "status", "codebook_version",
            "flag", "memo", "batch_id", "created_at"]
    state: dict[str, dict[str, Any]] = {}
    for rec in codings[cols].astype(object).to_dict("records"):
        rec = {k: (None if _isna(v) else v) for k, v in rec.items()}
        state[str(rec["coding_id"])] = rec
    made_under = {cid: semver_key(row["codebook_version"]) for cid, row in state.items()}
    steps: list[MigrationStep] = []
    for entry in codebook.released_changes():
        if entry.kind == "note":
            continue
        _refuse_theme_target(codebook, entry, state, made_under)
        changes, duplicates = _entry_changes(entry, state, made_under)
        steps.append(MigrationStep(entry.describe(), entry.kind, entry.version, changes, entry.key, duplicates))
    bump = _bump_changes(codebook, state)
    steps.append(MigrationStep(f"move other codings to {codebook.version}", "bump", codebook.version, bump))
    return steps


def _refuse_theme_target(codebook: "Codebook", entry: ChangeEntry, state: Mapping[str, Mapping[str, Any]],
                         made_under: Mapping[str, Any]) -> None:
    """C016 (file:line) when ``entry`` would send codings to a theme, which no coder can apply; nothing is written.

    Validation refuses such an entry when the file or a released copy shows a source was a code; this holds
    when none can tell (e.g. the frozen copies are gone), since a source with codings was applied as a code.
    """
    themes = [t for t in entry.targets if t in codebook.entries and codebook.entries[t].is_theme]
    if not themes:
        return
    key = semver_key(entry.version)
    moving = Counter(str(r["code_id"]) for cid, r in state.items()
                     if r["code_id"] in entry.sources and r["code_id"] not in themes and made_under[cid] < key)
    if moving:
        what = ", ".join(f"{n} coding(s) of '{code}'" for code, n in sorted(moving.items()))
        problem = Problem(codebook.path or codebook.name, entry.line, "C016", f"{entry.describe()}: '{themes[0]}' is a "
                          f"theme, and no coder can apply a theme, so {what} would end where nobody can make or change "
                          f"them. Move them to a code (add one under '{themes[0]}' if none fits), bump and migrate again.")
        raise codebook_error(f"Cannot migrate codings to {codebook.name} {codebook.version}", [problem])


def _isna(value: Any) -> bool:
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def migrate(codebook: "Codebook", store: "Store", *, actor: str, dry_run: bool = False) -> MigrationReport:
    """Apply the codebook's changes log to the store's codings, in one transaction; loses no coding.

    Args:
        codebook: the current codebook (its ``version`` is the target).
        store: the study's store.
        actor: who runs the migration (recorded on every event).
        dry_run: plan only; the store is not written.

    Returns:
        A MigrationReport (``to_frame()`` for a table). ``count_before - count_after == report.removed``:
        the only codings removed are exact duplicates a rename or merge created (one of each is kept).

    Example:
        >>> report = study.codebook.migrate(study.store, actor="HT")
        >>> report.remapped, report.flagged
    """
    from .usage import codings_ahead

    before = int(store.counts()["codings"])
    steps = plan_migration(codebook, store.codings())
    newer = tuple(codings_ahead(codebook, store))
    pending = tuple(e.describe() for e in codebook.pending_changes())
    removed = sum(s.removed for s in steps)
    if not dry_run and any(s.changes or s.duplicates for s in steps):
        with store.transaction():
            for step in steps:
                note = f"codebook {codebook.name} {codebook.version}: {step.description}"
                if step.changes:
                    store.update_codings(step.changes, kind="remap", actor=actor, note=note)
                for dup, kept in step.duplicates.items():
                    store.remove_codings([dup], actor=actor, note=f"{note}: {duplicate_note(kept)}")
            _record(store, codebook, steps, actor)
            now = int(store.counts()["codings"])
            if now != before - removed:  # pragma: no cover - only exact duplicates are removed
                raise StoreError(Errors.E205.format(before=before, after=now))
    after = before - removed if dry_run else int(store.counts()["codings"])
    return MigrationReport(codebook.name, codebook.version, dry_run, tuple(steps), before, after, pending, newer)


def _record(store: "Store", codebook: "Codebook", steps: list[MigrationStep], actor: str) -> None:
    """Append the applied steps to the audit list kept in the store's meta table."""
    key = meta_key(codebook.name)
    log = json.loads(store.get_meta(key) or "[]")
    at = utcnow().isoformat()
    for s in steps:
        if s.changes or s.duplicates:
            log.append({"step": s.description, "kind": s.kind, "entry": s.key, "version": codebook.version,
                        "codings": len(s.changes), "removed": s.removed, "actor": actor, "at": at})
    store.set_meta(key, json.dumps(log))


def migration_log(store: "Store", name: str) -> list[dict[str, Any]]:
    """The migrations applied so far to the store for codebook ``name`` (oldest first)."""
    return list(json.loads(store.get_meta(meta_key(name)) or "[]"))
