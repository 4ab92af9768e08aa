"""Double-coding samples: a seeded, stratified draw of segments for a second coder, recorded in the store.

Most studies double-code a sample (10-25%) of the passages. ``draw_sample`` picks participant
segments stratified by document or by a participant attribute (proportional allocation, at least
one segment from every stratum), records the draw (coder, options, seed, segments) so agreement
can be restricted to it, and can write the coder's blind coding sheet of just those segments.

Example:
    >>> result = draw_sample(store, coder="SO", fraction=0.2, seed=1, codebook=cb, out="coding-SO.xlsx")
    >>> store.sample_segments(result.sample_id)
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from ..store import Store

MISSING = "(missing)"


@dataclass(frozen=True, slots=True)
class SampleResult:
    """A recorded sample: its id, the segments drawn (with their stratum), and the sheet if written."""

    sample_id: str
    coder: str
    segments: pd.DataFrame
    n_candidates: int
    sheet: Path | None = None

    @property
    def strata(self) -> pd.Series:
        """Segments drawn per stratum."""
        return self.segments.groupby("stratum", sort=True).size()


def _strata(store: Store, segs: pd.DataFrame, by: str) -> pd.Series:
    if by == "document":
        return segs["document_id"].astype(str)
    people = store.participants()
    if by not in people.columns:
        known = ", ".join(c for c in people.columns if c != "participant_id") or "none (no participants.csv)"
        raise InputError(Errors.E604.format(detail=f"'{by}' is neither 'document' nor a participant attribute "
                                                   f"(known: {known})"))
    values = people.drop_duplicates("participant_id").set_index("participant_id")[by].astype("object")
    out = segs["participant_id"].astype("object").map(values)
    return out.map(lambda v: MISSING if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip()
                   else str(v).strip())


def _allocate(sizes: pd.Series, fraction: float | None, n: int | None) -> pd.Series:
    """How many segments each stratum gives: proportional, at least one each; for ``n`` exactly ``n`` in all
    (largest remainders) when ``n`` is at least the number of strata (``draw_sample`` refuses fewer, E604)."""
    if fraction is not None:
        return sizes.map(lambda k: min(k, max(1, round(fraction * k))))
    total = int(sizes.sum())
    want = sizes * (int(n or 0) / total)
    base = want.map(math.floor).clip(lower=1).clip(upper=sizes)
    spare = int(n or 0) - int(base.sum())
    while spare < 0:  # small strata raised to one: the strata furthest over their share give one back each
        over = (base - want).where(base > 1)
        if over.isna().all():
            break
        base[over.idxmax()] -= 1
        spare += 1
    order = (want - want.map(math.floor)).sort_values(ascending=False, kind="stable")
    for key in order.index:
        if spare <= 0:
            break
        if base[key] < sizes[key]:
            base[key] += 1
            spare -= 1
    return base


def seen_by(store: Store, coder: str, segments: pd.DataFrame) -> set[str]:
    """The ids of ``segments`` that ``coder`` saw, by agreement's rule: recorded coverage plus every segment they
    coded (a manual coding, or a suggestion they accepted; a coding whose quote was lost does not count)."""
    from ..models import UNANCHORED_FLAGS
    from .owner import coder_codings
    from .suggest._labels import segment_codes

    coder = store.coders_as_stored([coder])[0]  # `ht` is HT, as agreement names coders
    seen = set(store.coverage(coder)["segment_id"].astype(str))
    cods = coder_codings(store, coder, document=sorted(set(segments["document_id"].astype(str))))
    cods = cods.loc[~cods["flag"].isin(UNANCHORED_FLAGS).fillna(False).astype(bool)]
    seen |= set(segment_codes(segments, cods, statuses=("manual", "accepted")))
    return seen & set(segments["segment_id"].astype(str))


def draw_sample(
    store: Store,
    *,
    coder: str,
    fraction: float | None = None,
    n: int | None = None,
    by: str = "document",
    seed: int = 0,
    document: str | Iterable[str] | None = None,
    of: str | None = None,
    codebook: Codebook | None = None,
    out: str | Path | None = None,
    force: bool = False,
) -> SampleResult:
    """Draw, record and (with ``out`` and ``codebook``) write ``coder``'s blind sheet of a double-coding sample.

    Args:
        store: the study's store.
        coder: who will code the sample.
        fraction: share of the participant segments (0-1), taken from every stratum; or
        n: how many segments in all (allocated to strata in proportion to their size).
        by: ``document`` or a participant attribute (e.g. ``role``) to stratify by.
        seed: random seed: the same seed and data give the same sample.
        document: only these documents.
        of: only segments this (first) coder saw (``seen_by``: recorded as seen, or coded), so the sample is
            double-coded; named as agreement names coders (``ht`` is HT when that names one coder).
        codebook, out: write the coder's blind coding sheet (.xlsx) of just the sampled segments.
        force: replace an existing file at ``out``; without it that is E361 before anything is drawn (it may be
            the coder's filled-in sheet of an earlier sample, not imported yet).

    The sample is recorded together with its sheet: when the sheet cannot be written (E407) nothing is recorded,
    and when the sample cannot be recorded the sheet just written is removed.
    """
    if (fraction is None) == (n is None):
        raise InputError(Errors.E603.format(detail="give exactly one of --fraction and --n (fraction= or n=)"))
    if out is not None and codebook is not None:
        from .sheet import check_sheet_target

        check_sheet_target(out, force=force, nothing=", and no sample was drawn")
    docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
    segs = store.segments(document=docs, include_interviewer=False, with_text=False).reset_index(drop=True)
    if of is not None:
        of = store.coders_as_stored([of])[0]
        segs = segs.loc[segs["segment_id"].isin(seen_by(store, of, segs))].reset_index(drop=True)
    if segs.empty:
        where = (f"{of} has seen no segment: they have coded none and none is recorded as seen; import their sheet, "
                 f"or record what they read with `thematic code mark-seen --coder {of}`") if of else \
            "the study has no participant segments (ingest transcripts first)"
        raise InputError(Errors.E603.format(detail=where))
    if fraction is not None and not 0 < float(fraction) <= 1:
        raise InputError(Errors.E603.format(detail=f"--fraction {fraction} is not between 0 and 1; give e.g. 0.2"))
    if n is not None and not 1 <= int(n) <= len(segs):
        among = f"segment(s) {of} saw" if of is not None else "participant segment(s)"
        raise InputError(Errors.E603.format(detail=f"--n {n} with {len(segs)} {among}; give --n between 1 and "
                                                   f"{len(segs)}, or --fraction between 0 and 1"))
    segs["stratum"] = _strata(store, segs, by).to_numpy()
    sizes = segs.groupby("stratum", sort=True).size()
    if n is not None and int(n) < len(sizes):
        raise InputError(Errors.E604.format(detail=f"n = {n} is fewer than the {len(sizes)} strata by '{by}'; "
                                                   "every stratum needs one segment (raise --n or stratify by "
                                                   "another attribute)"))
    take = _allocate(sizes, None if fraction is None else float(fraction), n)
    rng = np.random.default_rng(seed)
    picked = []
    for stratum, group in segs.sort_values(["document_id", "index"]).groupby("stratum", sort=True):
        rows = rng.choice(len(group), size=int(take[stratum]), replace=False)
        picked.append(group.iloc[np.sort(rows)])
    chosen = pd.concat(picked).sort_values(["document_id", "index"]).reset_index(drop=True)
    chosen = chosen[["segment_id", "document_id", "stratum"]]
    params: dict[str, Any] = {"fraction": fraction, "n": n, "by": by, "seed": seed, "documents": docs, "of": of,
                              "n_candidates": len(segs)}
    sheet = None
    try:
        with store.transaction():  # a sheet that cannot be written leaves no sample recorded
            sample_id = store.save_sample(coder, chosen, params)
            if out is not None and codebook is not None:
                from .sheet import export_sheet

                sheet = export_sheet(store, out, coder=coder, codebook=codebook, segments=list(chosen["segment_id"]),
                                     force=force).path
    except BaseException:
        if sheet is not None:
            sheet.unlink(missing_ok=True)  # the sample could not be recorded: no sheet of a sample that is not there
        raise
    return SampleResult(sample_id, coder, chosen, len(segs), sheet)


def sample_params(store: Store, sample_id: str) -> dict[str, Any]:
    """The options a recorded sample was drawn with."""
    samples = store.samples().set_index("sample_id")
    return dict(json.loads(samples.loc[store.resolve_sample(sample_id), "params"]))


__all__ = ["SampleResult", "draw_sample", "sample_params", "seen_by"]
