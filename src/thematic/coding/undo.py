"""Undoing a batch: the store reverts what it wrote, and a suggester run is forgotten so it can run again."""

from __future__ import annotations

import json

from ..context import HasContext, StudyContext, context_of
from ..store import BatchUndo
from .plan import META_PREFIX


def undo_batch(study: StudyContext | HasContext, batch_id: str, *, actor: str) -> BatchUndo:
    """Undo ``batch_id`` (see ``Store.revert_batch``); for a suggester run, also forget the suggesters'
    record of the documents they did, so the next ``thematic code`` suggests on them again."""
    store = context_of(study).store
    done = store.revert_batch(batch_id, actor=actor)
    batches = store.batches()
    row = batches.loc[batches["batch_id"] == batch_id]
    if len(row) and str(row["kind"].iloc[0]).startswith("suggest:"):
        params = json.loads(str(row["params"].iloc[0]) or "{}")
        for name in params.get("suggesters", []):
            store.delete_meta(META_PREFIX + str(name))
    return done


__all__ = ["undo_batch"]
