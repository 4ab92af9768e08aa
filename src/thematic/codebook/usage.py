"""How much each code is used in a study's store: the counts beside each code in `codebook show`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ..models import COUNTED_STATUSES

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store
    from .record import CodebookRecord as Codebook

USAGE_COLUMNS = ["code_id", "label", "theme", "depth", "is_theme", "codings", "suggested", "with_descendants",
                 "in_codebook"]


def code_usage(codebook: "Codebook", store: "Store", *, statuses: Iterable[str] = COUNTED_STATUSES) -> "pd.DataFrame":
    """One row per codebook entry with its number of codings, then any code found only in the store.

    Columns: code_id, label, theme, depth, is_theme, codings (in ``statuses``: manual and accepted by
    default), suggested (open suggestions), with_descendants (codings of the entry and everything under
    it), in_codebook (False for codes in the store the codebook no longer defines: migrate them).
    """
    import pandas as pd

    df = store.codings()
    counted = df[df["status"].isin(list(statuses))]["code_id"].value_counts().to_dict()
    suggested = df[df["status"] == "suggested"]["code_id"].value_counts().to_dict()
    rows = []
    for c in codebook:
        below = [c.id] + [d.id for d in codebook.descendants(c.id)]
        rows.append({"code_id": c.id, "label": c.label, "theme": codebook.theme_of(c.id).id,
                     "depth": codebook.depth(c.id), "is_theme": c.is_theme, "codings": int(counted.get(c.id, 0)),
                     "suggested": int(suggested.get(c.id, 0)),
                     "with_descendants": int(sum(counted.get(i, 0) for i in below)), "in_codebook": True})
    for code_id in sorted(set(df["code_id"].dropna()) - set(codebook.entries)):
        n = int(counted.get(code_id, 0))
        rows.append({"code_id": code_id, "label": code_id, "theme": None, "depth": 0, "is_theme": False,
                     "codings": n, "suggested": int(suggested.get(code_id, 0)), "with_descendants": n,
                     "in_codebook": False})
    return pd.DataFrame(rows, columns=USAGE_COLUMNS)


def codings_ahead(codebook: "Codebook", store: "Store") -> list[tuple[str, int]]:
    """``(version, n)`` for codings made under a version newer than ``codebook``'s (``version:`` lowered by hand)."""
    from .semver import is_semver, semver_key

    mine = semver_key(codebook.version)
    newer = [(str(v), int(n)) for v, n in store.counts()["by_codebook_version"] if is_semver(v) and semver_key(v) > mine]
    return sorted(newer, key=lambda vn: semver_key(vn[0]))


def ahead_warning(codebook: "Codebook", store: "Store") -> str | None:
    """W385 when codings were made under a newer version than the codebook's (None when there are none)."""
    from ..errors import Warnings

    newer = codings_ahead(codebook, store)
    if not newer:
        return None
    return Warnings.W385.format(n=sum(n for _, n in newer), path=codebook.path or codebook.name,
                                version=codebook.version, newer=", ".join(f"{n} under {v}" for v, n in newer),
                                newest=newer[-1][0])


def stray_advice(codebook: "Codebook", code_id: str, store: "Store | None" = None,
                 next_version: str | None = None) -> str:
    """What to do about codings of ``code_id``, a code the store has but the codebook does not define.

    A code the changes log already split or retired needs a person to review its flagged codings; one
    it renamed or merged needs ``migrate``; one it does not mention needs an entry (or a recode). With the
    ``store``, a rename or merge that none of the code's codings predates (added after the release it is dated
    to) is said to be out of ``migrate``'s reach, with the release to date it to instead (``next_version``).
    """
    from .semver import semver_key

    for e in reversed(codebook.released_changes()):
        if code_id not in e.sources:
            continue
        if store is not None and e.kind in ("rename", "merge"):
            made_under = store.codings(code=code_id)["codebook_version"]
            if len(made_under) and all(semver_key(v) >= semver_key(e.version) for v in made_under):
                to = f" ('version: {next_version}')" if next_version else ""
                return (f"{e.describe()} does not reach these codings: they were made under {e.version} or later, "
                        f"and `migrate` applies an entry only to older ones (was it added after {e.version} was "
                        f"released?). Date the entry to the next release{to}, `thematic codebook bump`, then "
                        "migrate; or recode them")
        if e.kind == "split":
            return (f"split into {', '.join(e.targets)} in {e.version}; its codings are flagged for a person to "
                    "choose (`thematic codebook flagged`)")
        if e.kind == "retire":
            return f"retired in {e.version}; its codings are flagged: keep them as history or recode them"
        if e.kind in ("rename", "merge"):
            return f"{'renamed' if e.kind == 'rename' else 'merged'} into {e.targets[0]} in {e.version}: run " \
                   "`thematic codebook migrate`"
    for e in codebook.pending_changes():
        if code_id in e.sources:
            return f"recorded for {e.version} ({e.kind}), not released yet: `thematic codebook bump`, then migrate"
    return "not in the changes log: record a rename, merge or retire in `changes` dated to the next release, " \
           "`thematic codebook bump`, then `thematic codebook migrate`; or recode its codings"
