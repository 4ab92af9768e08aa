"""Counting the consensus: where a consensus coder has settled a segment, tables count only it.

After ``reconcile`` the study holds both coders' codings and the consensus coder's. For the
segments the consensus coder covers (its recorded coverage), the other coders' codings are marked
``superseded``; ``select_codings`` leaves those out when no coder is named, so frequencies, quotes
and co-occurrence count the consensus there and everyone's codings elsewhere. Per-coder views
(agreement, ``--coder``) are unaffected. A suggestion the consensus coder accepted is the consensus
coding (an accepted suggestion is its reviewer's, see ``coding.owner``).
"""

from __future__ import annotations

import pandas as pd

from ..coding.owner import owners
from .selection import SUPERSEDED, coded_segments


def prefer_consensus(codings: pd.DataFrame, segments: pd.DataFrame, coverage: pd.DataFrame | None,
                     consensus: str) -> tuple[pd.DataFrame, int]:
    """``codings`` with a ``superseded`` column, and how many segments the consensus coder settled."""
    out = codings.copy()
    out[SUPERSEDED] = False
    if coverage is None or coverage.empty or out.empty:
        return out, 0
    settled = set(coverage.loc[coverage["coder"] == consensus, "segment_id"].astype(str))
    if not settled:
        return out, 0
    theirs = (owners(out) != consensus).fillna(True).astype(bool)  # an accepted suggestion is its reviewer's
    others = out.loc[theirs]
    hits = coded_segments(others, segments, include_interviewer=True)
    replaced = set(hits.loc[hits["segment_id"].astype(str).isin(settled), "coding_id"].astype(str))
    out[SUPERSEDED] = out["coding_id"].astype(str).isin(replaced).to_numpy() & theirs.to_numpy()
    return out, len(settled)


def consensus_note(consensus: str, n_segments: int) -> str:
    """The sentence tables carry when a consensus coding is counted ('' when there is none)."""
    if not n_segments:
        return ""
    return (f"Counts use the consensus coding ('{consensus}') on the {n_segments} segment(s) it settled, "
            "and every coder's codings elsewhere.")


__all__ = ["consensus_note", "prefer_consensus"]
