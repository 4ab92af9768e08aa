"""Re-anchoring codings when a document is re-read: find each stored quote in the new text.

A coding whose quote is still at its offsets keeps them; one whose quote moved gets the nearest
occurrence (exact, else ignoring differences in whitespace); one whose quote is gone is flagged for
review. Nothing is deleted, and every change is a logged ``reanchor`` event.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import pandas as pd

from ..models import FLAG_NOT_FOUND, Document
from ..store import Store

ACTOR = "thematic.ingest"


@dataclass(frozen=True, slots=True)
class ReanchorResult:
    """How a document's codings fared: kept in place, moved, or flagged for review."""

    kept: int = 0
    moved: int = 0
    flagged: int = 0


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    found, i = [], text.find(quote)
    while i != -1:
        found.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    if found:
        return found
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def locate(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the quote is now: its old offsets if unchanged, else the nearest occurrence, else None."""
    if 0 <= start <= end <= len(text) and text[start:end] == quote:
        return start, end
    if not quote.strip():
        return None
    spots = _occurrences(text, quote)
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


def _isna(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _changes(doc: Document, row: Mapping[str, Any], rewrite: Callable[[str], str] | None = None
             ) -> dict[str, Any] | None:
    """The field changes that re-anchor one coding row ({} if none), or None when its quote is gone.

    ``rewrite`` maps an old quote to how the new text would read it (names pseudonymised since)."""
    start, end = int(row["start"]), int(row["end"])
    quote = "" if _isna(row["text"]) else str(row["text"])
    where = locate(doc.text, quote, start, end)
    if where is None and rewrite is not None and rewrite(quote) != quote:
        where = locate(doc.text, rewrite(quote), start, end)
    if where is None:
        return None
    changes: dict[str, Any] = {}
    if doc.text[where[0]:where[1]] != quote:
        changes["text"] = doc.text[where[0]:where[1]]
    if where != (start, end):
        changes.update(start=where[0], end=where[1], text=doc.text[where[0]:where[1]])
    seg = segment_for(doc, *where)
    if seg != (None if _isna(row["segment_id"]) else str(row["segment_id"])):
        changes["segment_id"] = seg
    if not _isna(row["flag"]) and row["flag"] == FLAG_NOT_FOUND:
        changes["flag"] = None  # found again
    return changes


def segment_moves(old: pd.DataFrame, doc: Document, rewrite: Callable[[str], str] | None = None
                  ) -> dict[str, str | None]:
    """Old segment id -> the id of the new segment holding its text (found as codings' quotes are), or
    None when its text is gone; ``old`` is the document's stored segments, with text, before re-reading."""
    moves: dict[str, str | None] = {}
    for row in old.to_dict("records"):
        text, start, end = str(row["text"]), int(row["start"]), int(row["end"])
        where = locate(doc.text, text, start, end) if text.strip() else None
        if where is None and rewrite is not None and text.strip() and rewrite(text) != text:
            where = locate(doc.text, rewrite(text), start, end)
        moves[str(row["segment_id"])] = segment_for(doc, *where) if where is not None else None
    return moves


def reanchor(store: Store, doc: Document, *, actor: str = ACTOR,
             rewrite: Callable[[str], str] | None = None) -> ReanchorResult:
    """Re-anchor the stored codings of ``doc`` (just re-read) to its new text and segments.

    ``rewrite`` (pseudonymisation of an old quote) lets a quote whose names were replaced since be
    found, and a quote that is gone keep no real name in its stored text. Call inside the
    transaction that saved the document, so both commit together.
    """
    codings = store.codings(document=doc.id)
    if codings.empty:
        return ReanchorResult()
    updates: dict[str, dict[str, Any]] = {}
    lost: list[str] = []
    kept = moved = 0
    not_found = 0
    for row in codings.to_dict("records"):
        changes = _changes(doc, row, rewrite)
        if changes is None:
            not_found += 1
            if _isna(row["flag"]) or row["flag"] != FLAG_NOT_FOUND:
                lost.append(str(row["coding_id"]))
            quote = "" if _isna(row["text"]) else str(row["text"])
            gone: dict[str, Any] = {} if _isna(row["segment_id"]) else {"segment_id": None}  # its turn is another's now
            if rewrite is not None and rewrite(quote) != quote:
                gone["text"] = rewrite(quote)
            if gone:
                updates[str(row["coding_id"])] = gone
            continue
        if "start" in changes:
            moved += 1
        else:
            kept += 1
        if changes:
            updates[str(row["coding_id"])] = changes
    with store.transaction():
        if updates:
            store.update_codings(updates, kind="reanchor", actor=actor, note=f"re-ingest of {doc.path}")
        if lost:
            store.flag_codings(lost, FLAG_NOT_FOUND, actor=actor)
    return ReanchorResult(kept, moved, not_found)
