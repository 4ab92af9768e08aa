"""The human truth after reconciliation: the consensus coder's codings where it settled a segment, everyone's elsewhere.

``reconcile`` records the segments it settles as the consensus coder's coverage. The tables count only the
consensus there (``analysis.consensus``); ``evaluate``, ``--curve`` and the training of the model, the ensemble
and the llm's examples read the same truth through ``settled_codings``, so a suggester is scored against, and
learns from, what the report counts, never a code the team decided against.
"""

from __future__ import annotations

import pandas as pd

from ..models import COUNTED_STATUSES
from .owner import owners


def settled_segments(coverage: pd.DataFrame | None, consensus: str) -> set[str]:
    """The segments ``consensus`` settled: its recorded coverage (what reconcile writes)."""
    if coverage is None or coverage.empty:
        return set()
    return set(coverage.loc[(coverage["coder"] == consensus).fillna(False).to_numpy(dtype=bool),
                            "segment_id"].astype(str))


def settled_codings(codings: pd.DataFrame, segments: pd.DataFrame, settled: set[str],
                    consensus: str) -> pd.DataFrame:
    """``codings`` with the consensus in charge of ``settled`` segments, as per-segment labels read them.

    Another coder's counted coding (manual, or a suggestion they accepted) that lies only on settled segments
    becomes ``superseded`` (no label); one that also lies on unsettled ones becomes one row per unsettled segment
    (its ``segment_id``, the span cut to it). The consensus's codings, rejections and seen rows are kept as
    they are.
    """
    from .suggest._labels import SUPERSEDED_STATUS, _locate

    if not settled or codings.empty or "status" not in codings:
        return codings
    theirs = (codings["status"].isin(list(COUNTED_STATUSES)) & (owners(codings) != consensus)).fillna(False)
    theirs = theirs.to_numpy(dtype=bool)
    if not theirs.any():
        return codings
    located = _locate(segments, codings[theirs])
    on = {str(c): set(g.astype(str)) for c, g in located.groupby(located["coding_id"].astype(str))["seg"]}
    unique = segments.drop_duplicates("segment_id")
    span = unique.set_index(unique["segment_id"].astype(str))[["start", "end"]]
    out = codings.copy()
    replaced, split = [], []
    for pos, (cid, mine) in enumerate(zip(out["coding_id"].astype(str), theirs)):
        where = on.get(cid, set()) if mine else set()
        if not where & settled:
            continue
        if not where - settled:
            out.iloc[pos, out.columns.get_loc("status")] = SUPERSEDED_STATUS
            continue
        replaced.append(pos)
        row = out.iloc[[pos]]
        start, end = int(row["start"].iloc[0]), int(row["end"].iloc[0])
        split += [row.assign(coding_id=f"{cid}@{seg}", segment_id=seg, start=max(start, int(span.at[seg, "start"])),
                             end=min(end, int(span.at[seg, "end"]))) for seg in sorted(where - settled)]
    if replaced:
        out = pd.concat([out.drop(index=out.index[replaced]), *split], ignore_index=True)
    return out.reset_index(drop=True)


__all__ = ["settled_codings", "settled_segments"]
