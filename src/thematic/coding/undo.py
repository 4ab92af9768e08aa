"""Undoing a batch: the store reverts what it wrote, and a suggester run is forgotten so it can run again.

A codebook merge may have folded another coding (say, one made by hand) into a coding of the batch as
its exact duplicate. Undoing the batch removes only what the batch added, so such a folded coding is put
back, as the merge left it (the code, span and version of the coding it was folded into), logged.

Undoing a REFI import also takes back the documents and cases it brought in (its batch's params name them):
what nothing else refers to goes, and what stays is named (W551, W553).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from ..codebook.migrate import folded_into, twin_key
from ..context import HasContext, StudyContext, context_of
from ..errors import Warnings
from ..models import Participant
from ..store import BatchUndo, Store
from .plan import META_PREFIX

#: What a folded coding takes from the coding it was folded into: where it is and what code it has now.
_AS_MIGRATED = ("document_id", "segment_id", "start", "end", "text", "code_id", "codebook_version", "flag")


def undo_batch(study: StudyContext | HasContext, batch_id: str, *, actor: str) -> BatchUndo:
    """Undo ``batch_id`` (see ``Store.revert_batch``) and put back any coding a merge folded into one it
    removed; for a suggester run, also forget the suggesters' record of the documents they did, so the
    next ``thematic code`` suggests on them again; for a REFI import, also take back the documents (and their
    ``data/raw/refi`` files) and cases it brought in that nothing else refers to (see ``_take_back_import``)."""
    context = context_of(study)
    store = context.store
    with store.transaction():
        before = {cid: store.coding(cid) for cid in store.codings(batch=batch_id)["coding_id"]}
        done = store.revert_batch(batch_id, actor=actor)
        left = set(store.codings()["coding_id"])  # a coding a later batch ticked again is kept, in that batch
        gone = {cid: row for cid, row in before.items() if cid not in left}
        unfolded = _unfold(store, batch_id, gone, actor=actor) if gone else 0
        batches = store.batches()
        row = batches.loc[batches["batch_id"] == batch_id]
        kind = str(row["kind"].iloc[0]) if len(row) else ""
        params = json.loads(str(row["params"].iloc[0]) or "{}") if len(row) else {}
        documents, files, notes = (_take_back_import(context, batch_id, params) if kind == "refi-import"
                                   else (0, [], []))
    for file in files:  # once the store no longer holds them: a failed commit leaves every file where it was
        file.unlink(missing_ok=True)
    if kind.startswith("suggest:"):
        for name in params.get("suggesters", []):
            store.delete_meta(META_PREFIX + str(name))
    if unfolded:
        done = replace(done, unfolded=unfolded)
    return replace(done, documents=documents, files=len(files), notes=tuple(notes)) if documents or notes else done


#: How W551 words what refers to a document (``Store.document_references``).
_REFERENCES = {"codings": "coding(s)", "seen records": "seen record(s)", "sample rows": "sample row(s)"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _take_back_import(study: StudyContext, batch_id: str, params: Mapping[str, Any]
                      ) -> tuple[int, list[Path], list[str]]:
    """What a REFI import made beside its codings (named in its batch's ``params``), taken back once they are gone.

    A document it brought in is removed when it still holds the text the import wrote, its file too (or none is
    there), and nothing refers to it (no coding, seen record or sample row); otherwise it is kept and W551 says why
    and how to remove it. The import's changes to its participant source are put back for each participant nothing
    changed since who speaks in no document kept. Other files it wrote (a codebook, notes in memos/) are named
    (W553), never deleted. Returns (documents removed, their files to delete once the store commits, the notes)."""
    store = study.store
    folder = (study.paths.raw / "refi").resolve()
    docs = store.documents().set_index("document_id")
    removed, files, notes, kept = 0, [], [], set()
    for doc_id, made in sorted((params.get("documents") or {}).items()):
        if doc_id not in docs.index:
            continue  # pruned or purged since
        path, want = str(made.get("path") or ""), made.get("sha256")
        file = study.root / path
        if str(docs.at[doc_id, "format"]) != "refi" or str(docs.at[doc_id, "content_hash"]) != want:
            why = "it was read again from its file since the import (the file was edited)"
        elif file.is_file() and _sha256(file) != want:
            why = "its file was changed since the import"
        elif refs := store.document_references(doc_id):
            why = ", ".join(f"{n} {_REFERENCES.get(what, what)}" for what, n in refs.items()) + \
                " not from this import refer to it"
        else:
            store.delete_document(doc_id)
            removed += 1
            if file.is_file() and file.resolve().parent == folder:
                files.append(file)
            continue
        notes.append(Warnings.W551.format(batch=batch_id, document=doc_id, path=path, why=why))
        kept.add(doc_id)
    speaking = store.segments(document=sorted(kept), with_text=False)["participant_id"] if kept else None
    _put_back_cases(store, params.get("cases"), set() if speaking is None else set(speaking.dropna().astype(str)))
    if written := [f for f in params.get("files") or [] if (study.root / f).is_file()]:
        notes.append(Warnings.W553.format(batch=batch_id, files=", ".join(written)))
    return removed, files, notes


def _put_back_cases(store: Store, cases: Mapping[str, Any] | None, keep: set[str]) -> None:
    """Put each participant the import added or changed in its source back as it was, unless changed since or one of
    ``keep`` (who speak in a document of the import that was kept)."""
    if not cases:
        return
    held = store.participant_sources()
    held = held.loc[held["source"] == cases["source"]]
    if held.empty:
        return
    rows = {str(r.participant_id): r.attributes for r in held.itertuples()}
    wanted = dict(rows)
    for pid, after in (cases.get("after") or {}).items():
        if rows.get(pid) == after and pid not in keep:
            was = (cases.get("before") or {}).get(pid)
            if was is None:
                wanted.pop(pid, None)
            else:
                wanted[pid] = was
    if wanted != rows:
        store.set_participant_source(cases["source"], [Participant(p, a) for p, a in wanted.items()],
                                     int(held["rank"].iloc[0]))


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
