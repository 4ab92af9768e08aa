"""Undoing a batch: the store reverts what it wrote, and a suggester run is forgotten so it can run again.

A codebook merge may have folded another coding (say, one made by hand) into a coding of the batch as
its exact duplicate. Undoing the batch removes only what the batch added, so such a folded coding is put
back, as the merge left it (the code, span and version of the coding it was folded into), logged.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Mapping

from ..codebook.migrate import folded_into, twin_key
from ..context import HasContext, StudyContext, context_of
from ..store import BatchUndo, Store
from .plan import META_PREFIX

#: What a folded coding takes from the coding it was folded into: where it is and what code it has now.
_AS_MIGRATED = ("document_id", "segment_id", "start", "end", "text", "code_id", "codebook_version", "flag")


def undo_batch(study: StudyContext | HasContext, batch_id: str, *, actor: str) -> BatchUndo:
    """Undo ``batch_id`` (see ``Store.revert_batch``) and put back any coding a merge folded into one it
    removed; for a suggester run, also forget the suggesters' record of the documents they did, so the
    next ``thematic code`` suggests on them again."""
    store = context_of(study).store
    with store.transaction():
        before = {cid: store.coding(cid) for cid in store.codings(batch=batch_id)["coding_id"]}
        done = store.revert_batch(batch_id, actor=actor)
        left = set(store.codings()["coding_id"])  # a coding a later batch ticked again is kept, in that batch
        gone = {cid: row for cid, row in before.items() if cid not in left}
        unfolded = _unfold(store, batch_id, gone, actor=actor) if gone else 0
    batches = store.batches()
    row = batches.loc[batches["batch_id"] == batch_id]
    if len(row) and str(row["kind"].iloc[0]).startswith("suggest:"):
        params = json.loads(str(row["params"].iloc[0]) or "{}")
        for name in params.get("suggesters", []):
            store.delete_meta(META_PREFIX + str(name))
    return replace(done, unfolded=unfolded) if unfolded else done


def _key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """A coding as the merge matched twins (owner: the reviewer of an accepted suggestion), with its status:
    only an identical coding takes a folded one's place (a merge flags, not folds, one of another status)."""
    return (*twin_key(row), row["status"])


def _unfold(store: Store, batch_id: str, gone: Mapping[str, Mapping[str, Any]], *, actor: str) -> int:
    """Restore the codings a merge folded into one of ``gone`` (just removed by undoing ``batch_id``).

    A folded coding of this batch (or of a batch undone before) stays removed, but what was folded into
    it is looked at in turn. One whose place is taken again by an identical coding is left out.
    """
    events = store.events()
    folded: dict[str, dict[str, dict[str, Any]]] = {}  # kept id -> {folded id: its row when removed}
    for cid, note, payload in zip(events["coding_id"], events["note"], events["payload"]):
        kept = folded_into(note if isinstance(note, str) else None)
        if kept is not None:
            folded.setdefault(kept, {})[str(cid)] = json.loads(payload)
    if not folded:
        return 0
    batches = store.batches()
    undone = {batch_id, *batches.loc[batches["undone_at"].notna(), "batch_id"]}
    current = store.codings()
    ids = set(current["coding_id"])
    keys = {_key(r) for r in current.to_dict("records")}
    work = [(cid, row) for cid, row in gone.items()]
    seen: set[str] = set()
    restored = 0
    while work:
        kept, where = work.pop()
        for dup, payload in folded.get(kept, {}).items():
            if dup in ids or dup in seen:
                continue
            seen.add(dup)
            if payload.get("batch_id") in undone:  # the batch's own coding: stays removed
                work.append((dup, where))
                continue
            row = {**payload, **{k: where[k] for k in _AS_MIGRATED}}
            if _key(row) in keys:
                continue
            store.restore_coding(row, actor=actor, batch_id=batch_id,
                                 note=(f"undo batch {batch_id}: restored; a codebook merge had folded it into "
                                       f"{kept}, which this undo removed"))
            ids.add(dup)
            keys.add(_key(row))
            restored += 1
    return restored


__all__ = ["undo_batch"]
