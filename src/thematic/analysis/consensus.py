"""Counting the consensus: where a consensus coder has settled a segment, tables count only it.

After ``reconcile`` the study holds both coders' codings and the consensus coder's. For the
segments the consensus coder covers (its recorded coverage), the other coders' codings are replaced: one
lying only on settled segments is marked ``superseded`` and ``select_codings`` leaves it out when no coder is
named; one that also reaches a segment nobody settled (a passage over two turns) keeps counting there, and
``superseded_on`` lists the settled segments where ``coded_segments`` drops it. So frequencies, quotes and
co-occurrence count the consensus there and everyone's codings elsewhere. Per-coder views
(agreement, ``--coder``) are unaffected. A suggestion the consensus coder accepted is the consensus
coding (an accepted suggestion is its reviewer's, see ``coding.owner``).
"""

from __future__ import annotations

import pandas as pd

from ..coding.owner import owners
from ..models import COUNTED_STATUSES
from ..coding.settled import settled_segments
from .selection import SUPERSEDED, SUPERSEDED_ON, coded_segments


def prefer_consensus(codings: pd.DataFrame, segments: pd.DataFrame, coverage: pd.DataFrame | None,
                     consensus: str) -> tuple[pd.DataFrame, int]:
    """``codings`` with ``superseded`` and ``superseded_on`` columns, and how many segments the consensus settled.

    A coding is ``superseded`` when every participant segment it touches is settled; one that also reaches
    an unsettled segment keeps counting there, with the settled ones it touches in ``superseded_on``.
    """
    out = codings.copy()
    out[SUPERSEDED] = False
    out[SUPERSEDED_ON] = None
    if coverage is None or coverage.empty or out.empty:
        return out, 0
    settled = settled_segments(coverage, consensus)  # evaluate and the model's training read the same ones
    if not settled:
        return out, 0
    theirs = (owners(out) != consensus).fillna(True).astype(bool)  # an accepted suggestion is its reviewer's
    hits = coded_segments(out.loc[theirs], segments, include_interviewer=False)
    hits = hits.assign(segment_id=hits["segment_id"].astype(str), coding_id=hits["coding_id"].astype(str))
    hits = hits.assign(on_settled=hits["segment_id"].isin(settled))
    touched = hits.loc[hits["on_settled"]].groupby("coding_id")["segment_id"].agg(lambda x: tuple(sorted(set(x))))
    whole = hits.groupby("coding_id")["on_settled"].all()
    whole = set(whole.index[whole.to_numpy()])
    ids = out["coding_id"].astype(str)
    mine = theirs.to_numpy()
    out[SUPERSEDED] = ids.isin(whole).to_numpy() & mine
    partly = ids.isin(set(touched.index) - whole).to_numpy() & mine
    out[SUPERSEDED_ON] = [touched[c] if p else None for c, p in zip(ids, partly)]
    return out, len(settled)


def unsettled_codings(codings: pd.DataFrame, consensus: str) -> int:
    """How many counted codings the consensus coder holds (its own, or suggestions it accepted)."""
    if codings.empty:
        return 0
    counted = codings["status"].isin(COUNTED_STATUSES).to_numpy(dtype=bool)
    return int(((owners(codings) == consensus).fillna(False).to_numpy(dtype=bool) & counted).sum())


def consensus_note(consensus: str, n_segments: int, unsettled: int = 0) -> str:
    """The sentence tables carry when a consensus coding is counted ('' when there is none); with no settled
    segment but ``unsettled`` codings of the consensus coder (a REFI file that did not say which segments it
    settled), the sentence says they count as one more coder's."""
    if not n_segments:
        if not unsettled:
            return ""
        return (f"The consensus coder ('{consensus}') has {unsettled} coding(s) but settled no segment (the study "
                "records none: a REFI-QDA import from another program, say), so they count as one more coder's, "
                "beside every coder's codings.")
    return (f"Counts use the consensus coding ('{consensus}') on the {n_segments} segment(s) it settled, "
            "and every coder's codings elsewhere.")


__all__ = ["consensus_note", "prefer_consensus", "unsettled_codings"]
