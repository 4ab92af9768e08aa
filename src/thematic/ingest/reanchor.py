"""Re-anchoring codings when a document is re-read: find each stored quote in the new text.

Old and new segments are matched (``align``: by speaker, question and text where those tell a turn
apart, else in order), so a coding follows its turn: an unchanged turn keeps its codings wherever it
went (a re-sorted survey sheet), a quote is looked for in its own (possibly edited) turn first, then
among the changed turns around it, and elsewhere only where exactly one place fits. A quote found
nowhere, or in several places that fit equally well, is flagged for review. A coding of a whole old turn
whose words are now one turn plus text no turn holds (a label line a newer reader took out of the turn) is
re-fitted to that turn. Nothing is deleted, and every change is a logged ``reanchor`` event.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import pandas as pd

from ..models import FLAG_AMBIGUOUS, FLAG_NOT_FOUND, STALE_FLAGS, Document, Segment
from ..store import Store
from .align import Alignment, Ambiguous, QuoteForms, occurrences, renamed_pseudonyms
from .normalise import CONTROLS

ACTOR = "thematic.ingest"
#: The logged reason of a coding flagged because its quote fits several places (its flag is ``FLAG_AMBIGUOUS``).
FLAG_SEVERAL = ("re-ingest: quote found in {places} places of the changed text that fit equally well "
                "(its turn has no one match); not guessed")
#: The logged note of a whole-turn coding re-fitted to its turn (``ReanchorResult.refitted``).
REFITTED = ("re-ingest of {path}: whole-turn coding re-fitted to its turn, which no longer holds the text "
            "around it (such as a speaker-label line, now read as a label)")

__all__ = ["ACTOR", "FLAG_AMBIGUOUS", "FLAG_NOT_FOUND", "ReanchorResult", "locate", "reanchor", "renamed_pseudonyms",
           "segment_for", "segment_moves"]


@dataclass(frozen=True, slots=True)
class ReanchorResult:
    """How a document's codings fared: kept in place, moved, or flagged for review; ``ambiguous`` holds, for
    each flagged coding whose quote fits several places (flagged, not guessed), its old turn id and how many
    places fit (``survey:2 (3 places)``); ``refitted`` codings covered a whole old turn and now cover the one
    turn left inside it (not counted in ``moved``)."""

    kept: int = 0
    moved: int = 0
    flagged: int = 0
    ambiguous: tuple[str, ...] = ()
    refitted: int = 0


def locate(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the quote is now: its old offsets if unchanged, else the nearest occurrence, else None."""
    if 0 <= start <= end <= len(text) and text[start:end] == quote:
        return start, end
    if not quote.strip():
        return None
    spots = occurrences(text, quote)
    return min(spots, key=lambda se: abs(se[0] - start)) if spots else None


def segment_for(doc: Document, start: int, end: int) -> str | None:
    """The id of the segment holding ``start`` (or the next one when ``start`` falls between segments)."""
    if not doc.segments:
        return None
    starts = [s.start for s in doc.segments]
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    seg = doc.segments[i]
    if start >= seg.end and i + 1 < len(doc.segments) and doc.segments[i + 1].start < end:
        seg = doc.segments[i + 1]
    return seg.id


_REFIT = "_refitted"  # marks _changes' answer for a re-fitted whole-turn coding (not a field)


def _isna(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _changes(align: Alignment, row: Mapping[str, Any], fit: _Fit | None = None) -> dict[str, Any] | Ambiguous | None:
    """The field changes that re-anchor one coding row ({} if none), ``Ambiguous``, or None when its quote is gone.

    A coding already flagged at a re-ingest has stale offsets: it comes back only where its quote has exactly
    one place that is no unchanged turn's (``Alignment.one_place``); one with no turn is looked for anywhere.
    With ``fit``, a whole-turn coding may be re-fitted to its new turn (``_refit``; marked ``_REFIT``)."""
    doc = align.doc
    start, end = int(row["start"]), int(row["end"])
    stored = "" if _isna(row["text"]) else str(row["text"])
    quote = CONTROLS.sub("", stored)  # as the reader now reads it (an older thematic kept U+FFFF...)
    flagged = not _isna(row["flag"]) and row["flag"] in STALE_FLAGS
    if not quote.strip():
        where: tuple[int, int] | Ambiguous | None = locate(doc.text, quote, start, end)
    elif flagged:
        where = align.one_place(quote)
    elif _isna(row["segment_id"]) or not align.old:
        where = locate(doc.text, quote, start, end) or align.nearest(quote, start)
    else:
        where = align.find(quote, start, end)
    if where is None or isinstance(where, Ambiguous):
        return where
    if fit is not None and not flagged and (seg := _refit(fit, align.doc, row, where)) is not None:
        return {"start": seg.start, "end": seg.end, "text": seg.text, "segment_id": seg.id, _REFIT: True}
    changes: dict[str, Any] = {}
    if doc.text[where[0]:where[1]] != stored:
        changes["text"] = doc.text[where[0]:where[1]]
    if where != (start, end):
        changes.update(start=where[0], end=where[1], text=doc.text[where[0]:where[1]])
    seg = segment_for(doc, *where)
    if seg != (None if _isna(row["segment_id"]) else str(row["segment_id"])):
        changes["segment_id"] = seg
    if not _isna(row["flag"]) and row["flag"] in STALE_FLAGS:
        changes["flag"] = None  # found again
    return changes


@dataclass(frozen=True, slots=True)
class _Fit:
    """Look-ups for ``_refit``: the old turns' spans by id, the new segments' starts."""

    turns: dict[str, tuple[int, int]]
    starts: list[int]

    @classmethod
    def of(cls, align: Alignment) -> "_Fit":
        return cls({t.id: (t.start, t.end) for t in align.old}, [s.start for s in align.doc.segments])


def _refit(fit: _Fit, doc: Document, row: Mapping[str, Any], where: tuple[int, int]) -> Segment | None:
    """The new segment a whole-turn coding found at ``where`` should now cover whole, or None.

    Only a coding whose span was its old turn's whole span, and only where exactly one new segment overlaps
    ``where``, lies inside it, and leaves outside it nothing but text no segment holds (a label line the
    reader now takes out of the turn, spacing): the coder coded that turn, not the label."""
    if _isna(row["segment_id"]) or fit.turns.get(str(row["segment_id"])) != (int(row["start"]), int(row["end"])):
        return None
    lo = max(bisect.bisect_right(fit.starts, where[0]) - 1, 0)
    inside = [s for s in doc.segments[lo:bisect.bisect_left(fit.starts, where[1])]
              if s.start < where[1] and where[0] < s.end]
    if len(inside) != 1:
        return None
    seg = inside[0]
    if not (where[0] <= seg.start and seg.end <= where[1]) or (seg.start, seg.end) == where or not seg.text.strip():
        return None
    return seg


def _whole_turn(doc: Document, seg: Segment, start: int, end: int) -> bool:
    """Whether ``doc.text[start:end]`` is the whole text of ``seg`` (give or take surrounding whitespace)."""
    return seg.start <= start and end <= max(seg.end, start) and doc.text[start:end].strip() == seg.text.strip()


def segment_moves(old: pd.DataFrame, doc: Document, rewrite: Callable[[str], str] | None = None,
                  renamed: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Old segment id -> the id of the new segment whose whole text is its text (its own turn when unchanged,
    wherever it went, else found as codings' quotes are), or None when its words changed (text added, turns
    merged), are gone or fit several turns: what a coder saw follows only the very words seen; ``old`` is
    the document's stored segments, with text, before re-reading; ``renamed`` maps old pseudonyms to new ones."""
    align = Alignment(old, doc, QuoteForms(rewrite, renamed))
    align.forms.prime(t.text for i, t in enumerate(align.old) if i not in align.pair)
    moves: dict[str, str | None] = {}
    by_id = {s.id: s for s in doc.segments}
    for i, turn in enumerate(align.old):
        j = align.pair.get(i)
        if j is not None:
            moves[turn.id] = align.new[j].id
            continue
        where = align.find(turn.text, turn.start, turn.end) if turn.text.strip() else None
        seg = segment_for(doc, *where) if where is not None and not isinstance(where, Ambiguous) else None
        moves[turn.id] = seg if seg is not None and _whole_turn(doc, by_id[seg], *where) else None
    return moves


def reanchor(store: Store, doc: Document, *, actor: str = ACTOR, rewrite: Callable[[str], str] | None = None,
             before: pd.DataFrame | None = None, renamed: Mapping[str, str] | None = None) -> ReanchorResult:
    """Re-anchor the stored codings of ``doc`` (just re-read) to its new text and segments.

    ``before`` (the document's stored segments, with text, before re-reading) lets a coding follow its
    turn; without it a quote goes to its nearest occurrence. ``rewrite`` (pseudonymisation of an old
    quote) and ``renamed`` (old pseudonym -> new, e.g. participants.csv added since) let a quote whose
    names changed be found, and a quote that is gone keep no real name in its stored text. Call inside
    the transaction that saved the document, so both commit together.
    """
    codings = store.codings(document=doc.id)
    if codings.empty:
        return ReanchorResult()
    forms = QuoteForms(rewrite, renamed)
    align = Alignment(before, doc, forms)  # learns the document's own renamed speakers first
    forms.prime(str(t) for t in codings["text"].dropna())
    updates: dict[str, dict[str, Any]] = {}
    refits: dict[str, dict[str, Any]] = {}
    taken = {(int(r.start), int(r.end), r.code_id, r.coder) for r in codings.itertuples()}
    lost: list[str] = []
    puzzled: dict[int, list[str]] = {}  # places -> codings whose quote fits that many places
    ambiguous: list[str] = []
    kept = moved = 0
    not_found = 0
    fit = _Fit.of(align) if align.old else None
    for row in codings.to_dict("records"):
        changes = _changes(align, row, fit)
        if changes is None or isinstance(changes, Ambiguous):
            not_found += 1
            if isinstance(changes, Ambiguous):
                turn = "?" if _isna(row["segment_id"]) else str(row["segment_id"])
                ambiguous.append(f"{turn} ({changes.places} places)")
            if _isna(row["flag"]) or row["flag"] not in STALE_FLAGS:
                if isinstance(changes, Ambiguous):
                    puzzled.setdefault(changes.places, []).append(str(row["coding_id"]))
                else:
                    lost.append(str(row["coding_id"]))
            quote = "" if _isna(row["text"]) else str(row["text"])
            gone: dict[str, Any] = {} if _isna(row["segment_id"]) else {"segment_id": None}  # its turn is another's now
            if forms.newest(quote) != quote:
                gone["text"] = forms.newest(quote)
            if gone:
                updates[str(row["coding_id"])] = gone
            continue
        if changes.pop(_REFIT, False):
            spot = (changes["start"], changes["end"], row["code_id"], row["coder"])
            if spot not in taken:  # else the coder has that coding already: left as it was found
                taken.add(spot)
                refits[str(row["coding_id"])] = changes
                continue
            again = _changes(align, row)
            changes = again if isinstance(again, dict) else {}
        if "start" in changes:
            moved += 1
        else:
            kept += 1
        if changes:
            updates[str(row["coding_id"])] = changes
    with store.transaction():
        if updates:
            store.update_codings(updates, kind="reanchor", actor=actor, note=f"re-ingest of {doc.path}")
        if refits:
            store.update_codings(refits, kind="reanchor", actor=actor, note=REFITTED.format(path=doc.path))
        if lost:
            store.flag_codings(lost, FLAG_NOT_FOUND, actor=actor)
        for places, ids in puzzled.items():  # not counted until re-coded; the log says how many places
            store.update_codings({cid: {"flag": FLAG_AMBIGUOUS} for cid in ids}, kind="flag", actor=actor,
                                 note=FLAG_SEVERAL.format(places=places))
    return ReanchorResult(kept, moved, not_found, tuple(ambiguous), len(refits))
