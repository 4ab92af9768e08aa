"""A file's codings read in the codebook of a study that keeps its own (the import's codebook is not used there).

Each coding carries the study's current codebook version, so `thematic codebook migrate` never applies a release the
coding already follows. A file that uses an id the study's released changes log took away (renamed, merged, split or
retired, and not defined again) was made before that release: its codings are read through the log from there on, as
migrate reads the study's own codings made then (a rename or merge moves them, ``[W545]``; a split or retirement
flags them, ``[W546]``). A file of the study's current ids is read as it is, ids given to another code included.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Iterable

from ..codebook import ChangeEntry, Codebook
from ..codebook.migrate import review_flag
from ..codebook.semver import semver_key
from ..errors import Warnings
from ..models import Coding
from .import_plan import ImportPlan


def _takes_away(entry: ChangeEntry, code: str) -> bool:
    """Whether ``entry`` moves the codings of ``code`` elsewhere or flags them (a merge's target stays itself)."""
    if code not in entry.sources:
        return False
    return entry.kind in ("split", "retire") or (entry.kind in ("rename", "merge") and code != entry.targets[0])


def predates(codebook: Codebook, ids: Iterable[str]) -> tuple[list[ChangeEntry], list[str]]:
    """The released entries a file of code ``ids`` predates (none: it follows the current version), and the ids that
    show it: ids the log took away that the codebook does not define (or retired) since the first such release."""
    entries = [e for e in codebook.released_changes() if e.kind != "note"]
    first: dict[str, ChangeEntry] = {}
    for entry in entries:
        for code in entry.sources:
            if _takes_away(entry, code):
                first.setdefault(code, entry)
    gone = sorted(c for c in set(ids) if c in first and (c not in codebook or c in codebook.retired))
    if not gone:
        return [], []
    since = min(semver_key(first[c].version) for c in gone)
    return [e for e in entries if semver_key(e.version) >= since], gone


def read_through(code: str, entries: list[ChangeEntry]) -> tuple[str, list[str], list[str]]:
    """A coding of ``code`` made before ``entries``, as migrate leaves it: its code now, the review flags a split or
    retirement adds, and each entry that applied, in words."""
    flags: list[str] = []
    how: list[str] = []
    for entry in entries:
        if not _takes_away(entry, code):
            continue
        how.append(entry.describe())
        if entry.kind in ("rename", "merge"):
            code = entry.targets[0]
        else:
            flags.append(review_flag(entry))
    return code, flags, how


def into_study_codebook(plan: ImportPlan, codebook: Codebook) -> set[str]:
    """Stamp the plan's codings with ``codebook``'s version, reading a file that predates a release through its
    changes log (the plan's coding ids, accepted and flagged codings follow; consensus decisions keep the file's
    ids); returns the file's ids read through (none of them a code the file brings)."""
    file_ids = {c.code_id for c in plan.codings} | (set(plan.codebook.code_ids.values()) - plan.codebook.theme_ids)
    entries, gone = predates(codebook, file_ids - plan.codebook.lifecycle)  # a code the file marks is no evidence
    moves = {code: read_through(code, entries) for code in sorted(file_ids)} if entries else {}
    counts = Counter(c.code_id for c in plan.codings)
    codings: list[Coding] = []
    accepted: dict[str, str] = {}
    flagged: dict[str, str] = {}
    for c in plan.codings:
        code, review, _ = moves.get(c.code_id, (c.code_id, [], []))
        new = dataclasses.replace(c, code_id=code, codebook_version=codebook.version,
                                  id=c.id if code == c.code_id else "")
        codings.append(new)
        if c.id in plan.accepted:
            accepted[new.id] = plan.accepted[c.id]
        kept = plan.flagged.get(c.id)
        flags = [f for f in review if f not in (kept or "")] + ([kept] if kept else [])
        if flags:
            flagged[new.id] = "; ".join(flags)
    plan.codings[:] = codings
    plan.accepted.clear()
    plan.accepted.update(accepted)
    plan.flagged.clear()
    plan.flagged.update(flagged)
    _report(plan, codebook, moves, gone, counts)
    return {code for code, (now, review, _) in moves.items() if now != code or review}


def _report(plan: ImportPlan, codebook: Codebook, moves: dict[str, tuple[str, list[str], list[str]]],
            gone: list[str], counts: Counter[str]) -> None:
    """W545 for each coded id of the file read as another code, W546 for each one flagged, with how many codings."""
    file = plan.report.path.name
    shown = ", ".join(f"'{c}'" for c in gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
    evidence = f"it uses {shown}, which this study's codebook no longer defines"
    for old, (now, review, how) in sorted(moves.items()):
        if not counts[old] or (now == old and not review):
            continue
        if review:
            plan.report.notes.append(Warnings.W546.format(file=file, old=old, new=now, how="; then ".join(how),
                                                          evidence=evidence, n=counts[old]))
            continue
        again = (f" '{old}' is another code of this study now: if the file meant that one, recode these codings."
                 if old in codebook and old not in codebook.retired else "")
        plan.report.notes.append(Warnings.W545.format(file=file, old=old, new=now, how="; then ".join(how),
                                                      evidence=evidence, n=counts[old], again=again))
