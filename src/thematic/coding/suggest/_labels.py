"""From human codings to per-segment label sets: what a supervised suggester learns, what evaluation scores.

A coding counts for a segment when it lies on it: by ``segment_id`` when the coding has one that is
in the frame, else when its span overlaps the segment's span in the same document. A coding flagged
as unanchored (a re-ingest lost its quote, or its document was removed: ``UNANCHORED_FLAGS``) counts
nowhere: its offsets are the old text's, so it is not placed on whatever turn lies there now. ``manual`` and
``accepted`` codings are positives; a ``rejected`` suggestion marks its segment as looked at, and so
does a ``seen`` row (no code: a coder recorded reading the turn, see ``plan.training_codings``). Where a
consensus settled a segment, the other coders' codings there are ``superseded`` (``coding.settled``): no label.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ...models import COUNTED_STATUSES, UNANCHORED_FLAGS

#: Status of a training row that records a coder having seen a segment (``Store.coverage``), with no code.
SEEN_STATUS = "seen"
#: The seen-record source of a review decision: it says a suggestion was decided, not which turns a coder read.
REVIEW_SOURCE = "review"
#: Rows that say a person decided on their segment: codes applied or accepted, a suggestion rejected, a turn seen.
DECIDED_STATUSES = (*COUNTED_STATUSES, "rejected", SEEN_STATUS)
#: Status of a coder's coding the consensus replaced (``coding.settled``): no label, though its document stays one
#: that coder coded (``whole_documents``).
SUPERSEDED_STATUS = "superseded"


def anchored(codings: pd.DataFrame) -> pd.DataFrame:
    """``codings`` without those whose offsets no longer point at what was coded (``UNANCHORED_FLAGS``)."""
    if "flag" not in codings or codings.empty:
        return codings
    return codings[~codings["flag"].isin(UNANCHORED_FLAGS).fillna(False).to_numpy(dtype=bool)]


def _locate(segments: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """``codings`` with the ``segment_id`` of every segment each one lies on (one row per pair); unanchored
    codings lie on none."""
    codings = anchored(codings)
    if codings.empty or segments.empty:
        return codings.assign(seg=pd.Series(dtype="string"))
    known = set(segments["segment_id"].astype(str).tolist())
    on_known = np.fromiter((isinstance(v, str) and v in known for v in codings["segment_id"].tolist()), dtype=bool,
                           count=len(codings))
    by_id = codings[on_known].assign(seg=lambda d: d["segment_id"])
    rest = codings.drop(index=by_id.index)
    rest = rest[(rest["start"].notna() & rest["end"].notna()).to_numpy(dtype=bool)]  # seen rows: by id only
    if rest.empty:
        return by_id
    spans = segments[["segment_id", "document_id", "start", "end"]].rename(
        columns={"segment_id": "seg", "start": "s_start", "end": "s_end"})
    joined = rest.merge(spans, on="document_id", how="inner")
    hit = (joined["start"] < joined["s_end"]) & (joined["end"] > joined["s_start"])
    return pd.concat([by_id, joined[hit.to_numpy(dtype=bool)].drop(columns=["s_start", "s_end"])],
                     ignore_index=True)


def segment_codes(segments: pd.DataFrame, codings: pd.DataFrame,
                  statuses: Iterable[str] = COUNTED_STATUSES) -> dict[str, set[str]]:
    """``{segment_id: {code_id, ...}}`` of the codings with one of ``statuses`` on each segment."""
    wanted = codings[codings["status"].isin(list(statuses))] if "status" in codings else codings
    out: dict[str, set[str]] = {}
    located = _locate(segments, wanted)
    for seg, code in zip(located["seg"].astype(str), located["code_id"].astype(str)):
        out.setdefault(seg, set()).add(code)
    return out


def decided_segments(segments: pd.DataFrame, codings: pd.DataFrame) -> list[str]:
    """Segments a person decided on: coded, accepted or rejected there, or recorded as seen (not merely in a
    coded document). The model's and the ensemble's thresholds count these."""
    if codings.empty or "status" not in codings:
        return []
    looked = set(_locate(segments, codings[codings["status"].isin(DECIDED_STATUSES)])["seg"].astype(str))
    return [s for s in segments["segment_id"].astype(str) if s in looked]


def whole_documents(codings: pd.DataFrame) -> set[str]:
    """Documents some coder coded by hand without any record of what they saw there (a sheet, the widget,
    ``mark_seen``; a review's record does not count): read as coded throughout by that coder (a coding the consensus
    superseded still says they coded it). An unanchored
    coding (its quote lost at re-ingest) does not make its document one."""
    codings = anchored(codings)
    manual = codings[codings["status"].isin(["manual", SUPERSEDED_STATUS]).fillna(False).to_numpy(dtype=bool)]
    is_seen = (codings["status"] == SEEN_STATUS).fillna(False).to_numpy(dtype=bool)
    seen = codings[is_seen]
    if "source" in seen:
        seen = seen[(seen["source"].fillna("") != REVIEW_SOURCE).to_numpy(dtype=bool)]
    recorded = set(zip(seen["document_id"].astype(str), seen["coder"].astype(str)))
    return {d for d, c in zip(manual["document_id"].astype(str), manual["coder"].astype(str))
            if (d, c) not in recorded}


def labelled_segments(segments: pd.DataFrame, codings: pd.DataFrame, *, uncoded_as_negative: bool = True) -> list[str]:
    """Segments to learn from: those a person decided on (``decided_segments``), plus (optionally) every
    segment of a ``whole_documents`` document, as negatives, on the view that a coder who coded a document
    and recorded nothing else coded all of it. Only the first kind counts towards a suggester's minimum."""
    looked = set(decided_segments(segments, codings))
    if uncoded_as_negative:
        docs = whole_documents(codings)
        looked |= set(segments.loc[segments["document_id"].astype(str).isin(docs), "segment_id"].astype(str))
    return [s for s in segments["segment_id"].astype(str) if s in looked]


def label_matrix(segment_ids: list[str], labels: dict[str, set[str]], codes: list[str]) -> np.ndarray:
    """A 0/1 matrix, segments x codes."""
    col = {c: j for j, c in enumerate(codes)}
    y = np.zeros((len(segment_ids), len(codes)), dtype=np.int8)
    for i, sid in enumerate(segment_ids):
        for c in labels.get(sid, ()):
            j = col.get(c)
            if j is not None:
                y[i, j] = 1
    return y
