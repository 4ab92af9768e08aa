"""A document ``thematic ingest --prune`` removed, come back under its own name: what of it returns, and where.

Its orphaned codings go back to their turns' very words, its kept-aside seen records and sample rows only onto
the very words they were on, and W121 says how much came back (see docs/ingest.md, moved and removed files).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..errors import Warnings
from ..models import FLAG_NOT_FOUND, FLAG_ORPHANED, STALE_FLAGS, Document
from .reanchor import ACTOR, segment_for

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class Restored:
    """What came back with a document ``--prune`` removed: its orphaned codings (``n``; ``back`` on their words
    again, ``moved`` of those at other offsets, ``lost`` flagged as not found), seen records and sample rows
    (``records`` back, ``left`` still aside) and records a prune made before they were kept aside left on
    segment ids (``dropped``: their words are unknown)."""

    n: int = 0
    back: int = 0
    moved: int = 0
    lost: tuple[str, ...] = ()
    records: int = 0
    left: int = 0
    dropped: int = 0

    def warnings(self, doc: Document) -> tuple[str, ...]:
        out: tuple[str, ...] = ()
        if self.dropped:
            out += (Warnings.W117.format(path=doc.path, n=self.dropped),)
        if self.n or self.records or self.left:
            out += (Warnings.W121.format(path=doc.path, document=doc.id, back=self.back, n=self.n,
                                         records=self.records, left=self.left),)
        if self.lost:
            out += (Warnings.W106.format(document=doc.id, n=len(self.lost)),)
        return out


def bring_back(store: "Store", doc: Document) -> Restored | None:
    """A new document with the id of one ``--prune`` removed is that document back: each orphaned coding returns
    to its turn where the turn's very words, speaker and question are back (else, if its turn's words are nowhere
    now, to the one place of its quote in a changed turn of the same speaker and question), or is flagged as not
    found (W106); decisions follow their turns; seen records and sample rows come back only onto their very
    words (``restore_parked``). A coding flagged before the prune gets that flag back. None when nothing of the
    id was kept."""
    if not store.document_in_use(doc.id) and not store.parked_count(doc.id):
        return None  # a new file, as most are
    codings = store.codings(document=doc.id)
    orphans = codings.loc[codings["flag"].eq(FLAG_ORPHANED).fillna(False).astype(bool)]
    dropped = _drop_unkept(store, doc.id)
    turns = store.returned_turns(doc.id, doc.segments)
    if orphans.empty and not turns and not dropped and not store.parked_count(doc.id):
        return None
    store.rekey_segments(doc.id, {old: t["to"] for old, t in turns.items() if t["to"] not in (None, old)})
    was = store.flags_before_removal(doc.id)
    by_id = {s.id: s for s in doc.segments}
    taken = {t["to"] for t in turns.values() if t["to"] is not None}
    updates: dict[str, dict[str, Any]] = {}
    flags: dict[str, dict[str, Any]] = {}
    lost: list[str] = []
    moved = 0
    for row in orphans.to_dict("records"):
        cid, quote, start, end = str(row["coding_id"]), str(row["text"]), int(row["start"]), int(row["end"])
        old = row["segment_id"] if isinstance(row["segment_id"], str) else None
        if was.get(cid) in STALE_FLAGS:  # lost before the prune: back only at the one place outside its turns
            spots = _spots(doc, quote, [s for s in doc.segments if s.id not in taken])
            where = spots[0] if len(spots) == 1 else None
            if where is None:
                flags[cid] = {"flag": was[cid]}
                continue
        else:
            where = _place_again(doc, by_id, quote, start, end, turns.get(old) if old else None, taken)
        if where is None:
            lost.append(cid)
            continue
        change: dict[str, Any] = {"flag": None if was.get(cid) in STALE_FLAGS else was.get(cid)}
        if where != (start, end):
            change.update(start=where[0], end=where[1], text=doc.text[where[0]:where[1]])
            moved += 1
        if (seg := segment_for(doc, *where)) != old:
            change["segment_id"] = seg
        updates[cid] = change
    note = f"re-ingest of {doc.path}: the document removed by --prune is back"
    if updates:
        store.update_codings(updates, kind="reanchor", actor=ACTOR, note=note)
    if flags:
        store.update_codings(flags, kind="flag", actor=ACTOR, note=note + " (flagged as before)")
    if lost:
        store.update_codings({cid: {"flag": FLAG_NOT_FOUND, "segment_id": None} for cid in lost}, kind="flag",
                             actor=ACTOR, note=FLAG_NOT_FOUND)
    records = store.restore_parked(doc.id, doc.segments)
    return Restored(len(orphans), len(updates), moved, tuple(lost), records, store.parked_count(doc.id), dropped)


def _place_again(doc: Document, by_id: Mapping[str, Any], quote: str, start: int, end: int,
                 turn: Mapping[str, Any] | None, taken: set[str]) -> tuple[int, int] | None:
    """Where an orphaned coding is in its document come back (see ``bring_back``), or None."""
    if turn is None:  # no turn kept (pruned before turns were kept aside): only exactly where it was
        seg = by_id.get(segment_for(doc, start, end) or "")
        fits = seg is not None and seg.start <= start <= end <= seg.end and doc.text[start:end] == quote
        return (start, end) if fits else None
    if turn["to"] is not None:
        seg = by_id[turn["to"]]
        at = (start + seg.start - turn["start"], end + seg.start - turn["start"])
        return at if seg.start <= at[0] <= at[1] <= seg.end and doc.text[at[0]:at[1]] == quote else None
    if turn["like"]:  # its words are here, in turns that cannot be told apart: not guessed
        return None
    spots = _spots(doc, quote, [s for s in doc.segments if s.id not in taken and s.speaker == turn["speaker"]
                                and s.question == turn["question"]])
    return spots[0] if len(spots) == 1 else None


def _spots(doc: Document, quote: str, segments: Iterable[Any]) -> list[tuple[int, int]]:
    """Every place of ``quote`` inside one of ``segments`` (none for a blank quote)."""
    spots: list[tuple[int, int]] = []
    for seg in segments if quote.strip() else ():
        at = doc.text.find(quote, seg.start, seg.end)
        while at >= 0:
            spots.append((at, at + len(quote)))
            at = doc.text.find(quote, at + 1, seg.end)
    return spots


def _drop_unkept(store: "Store", document_id: str) -> int:
    """Drop the seen records and sample rows a prune made before they were kept aside left on a new document's
    segment ids (which words they were on is unknown, so they cannot be told to be these); returns how many."""
    cover = store.coverage()
    ids = set(cover.loc[cover["document_id"] == document_id, "segment_id"].astype(str))
    for sample_id in store.samples()["sample_id"]:
        rows = store.sample_segments(str(sample_id))
        ids |= set(rows.loc[rows["document_id"] == document_id, "segment_id"].astype(str))
    return store.rekey_segments(document_id, dict.fromkeys(ids))["dropped"] if ids else 0


__all__ = ["Restored", "bring_back"]
