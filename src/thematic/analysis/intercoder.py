"""Agreement between coders over segments, per code and overall, with bootstrap intervals.

Units (``units="seen"``, the default). The segments a coder *saw* are the segments recorded as
seen for them (study coverage: every row of an imported coding sheet, segments finished in the
widget or in review, ``mark_seen``) plus every segment they coded. Interviewer turns never count.
With ``units="documents"`` (the old rule, an explicit option) a coder saw every segment of every
document they coded at least once. ``sample`` restricts units to a recorded double-coding sample.
For a code, a coder's rating of a segment they saw is 1 if they applied the code to it, else 0;
segments they did not see are missing; a coder with recorded coverage and no codings is rated 0 on everything
they saw (E404 only for a coder with neither). Percent agreement, Cohen's and Fleiss' kappa use the
segments every coder saw (``n_shared``), and so do prevalence and the per-coder counts
``n_<coder>`` (``seen_<coder>`` is how many segments each coder saw); Krippendorff's alpha uses every
segment at least two coders saw (the same segments for two coders). "Overall" pools the (segment, code)
decisions of the codes (or themes) a compared coder applied to a segment two or more coders saw, and only
those codes get a row unless ``codes`` names them (``pooled_codes``): a named code with nothing beneath it
always has its row; at code level a named theme or sub-theme stands for what is applied beneath it (a theme
cannot be applied, so it never has a row there); at theme level every named entry is a row, rolled up. A
suggester measured as a coder (``include_suggested``) saw every segment of the documents it made suggestions in.

Intervals: percentile bootstrap over the segments two or more coders saw, the only segments any statistic
uses (for two coders, the shared segments), so a segment one coder saw alone never moves an interval; the
same resampled segments for every code, so the pooled row is consistent; ``n_boot`` resamples from
``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError, Warnings
from ..store import spelt_as_known
from .agreement import alpha_from_coincidence, fleiss_from_sums, kappa_from_confusion
from .selection import (_as_list, coded_segments, entry_table, known_coders, membership, resolve_codes,
                        select_codings)

OVERALL = "(all codes)"
STATISTICS = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
UNITS = ("seen", "documents")
# Columns of the per-unit sufficient statistics (see _unit_stats).
_COMPLETE, _AGREE, _O00, _O11, _O01, _FP, _FN0, _FN1, _C00, _C01, _C10, _C11, _M, _N1 = range(14)


@dataclass(frozen=True)
class Ratings:
    """Binary ratings: ``applied[k, c, u]`` coder c applied code k to unit u; ``seen[c, u]`` c saw u."""

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    units: pd.DataFrame  # the segments (rows aligned with u)
    seen: np.ndarray
    applied: np.ndarray
    rule: str = "seen"

    def values(self, k: int) -> np.ndarray:
        """Coders x units float ratings for code index ``k`` (NaN where unseen)."""
        return np.where(self.seen, self.applied[k].astype(float), np.nan)


class NoCoverageWarning(UserWarning):
    """A compared coder has no recorded coverage, so only the segments they coded count as seen."""


def seen_segments(sel: pd.DataFrame, segments: pd.DataFrame, coders: list[str], *,
                  coverage: pd.DataFrame | None = None, units: str = "seen") -> dict[str, set[str]]:
    """The segment ids each coder saw under the ``units`` rule (see the module docstring)."""
    if units not in UNITS:
        raise InputError(Errors.E403.format(option="units", value=units, allowed=", ".join(UNITS)))
    if units == "documents":
        docs = {c: set(sel.loc[sel["coder"] == c, "document_id"]) for c in coders}
        return {c: set(segments.loc[segments["document_id"].isin(d), "segment_id"].astype(str)) for c, d in docs.items()}
    hits = coded_segments(sel, segments)
    out = {c: set(hits.loc[hits["coder"] == c, "segment_id"].astype(str)) for c in coders}
    cov = coverage if coverage is not None else pd.DataFrame(columns=["coder", "segment_id"])
    silent = []
    for c in coders:
        mine = cov.loc[cov["coder"] == c, "segment_id"].astype(str)
        rows = sel.loc[sel["coder"] == c]
        machine = "source" in rows and len(rows) and (rows["source"] == "suggester").fillna(False).astype(bool).all()
        if mine.empty and machine:
            docs = set(rows["document_id"])  # a suggester reads every segment of the documents it ran on
            out[c] |= set(segments.loc[segments["document_id"].isin(docs), "segment_id"].astype(str))
            continue
        if mine.empty:
            silent.append(c)
        out[c] |= set(mine)
    if silent:
        warnings.warn(Warnings.W600.format(coders=", ".join(silent)), NoCoverageWarning, stacklevel=3)
    return out


def _covered_coders(coverage: pd.DataFrame | None) -> list[str]:
    """Everyone with recorded coverage (what they saw), coded or not."""
    if coverage is None or "coder" not in coverage:
        return []
    return sorted(set(coverage["coder"].dropna().astype(str)), key=str.casefold)


def spelt_as_stored(codings: pd.DataFrame, names: list[str], coverage: pd.DataFrame | None = None) -> list[str]:
    """Each coder name as the store spells it when only case differs and one coder matches (``ht`` is
    ``HT``), as the tables match coders; other names are left for the missing-coder error."""
    return spelt_as_known(names, set(known_coders(codings)) | set(_covered_coders(coverage)))


def distinct_coders(names: list[str]) -> list[str]:
    """``names`` unchanged when no coder is named twice (case and Unicode form aside); E359 otherwise, since a
    coder compared with themself gives meaningless figures (0% agreement, kappa -1)."""
    seen: dict[str, str] = {}
    for name in names:
        key = unicodedata.normalize("NFC", name.strip()).casefold()
        if key in seen:
            raise InputError(Errors.E359.format(name=name, coders=", ".join(names)))
        seen[key] = name
    return names


def build_ratings(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    coders: str | Iterable[str],
    codebook: Codebook | None = None,
    codes: str | Iterable[str] | None = None,
    level: str = "code",
    include_suggested: bool = False,
    coverage: pd.DataFrame | None = None,
    units: str = "seen",
    sample: Iterable[str] | None = None,
) -> Ratings:
    """Each coder's binary decision per code and segment (see the module docstring for units)."""
    coder_list = distinct_coders(spelt_as_stored(codings, _as_list(coders) or [], coverage))
    sel = select_codings(codings, coder=coder_list, include_suggested=include_suggested)
    # a coder who recorded what they saw and applied no code decided "not applied" on each of those segments
    covered = set(_covered_coders(coverage)) if units == "seen" else set()
    present = [c for c in coder_list if (sel["coder"] == c).any() or c in covered]
    if len(coder_list) < 2 or len(present) < len(coder_list):
        missing = [c for c in coder_list if c not in present]
        lacking = " and no recorded coverage" if units == "seen" else ""
        detail = f"no codings from {', '.join(missing)}{lacking}" if missing else f"got {len(coder_list)} coder(s)"
        # every coder with codings: naming them keeps the codings a consensus supersedes (compared as they are)
        everyone = select_codings(codings, coder=known_coders(codings), include_suggested=include_suggested)
        with_codings = sorted(everyone["coder"].dropna().astype(str).unique(), key=str.casefold)
        known = ", ".join(with_codings) or "none"
        seen_only = [c for c in sorted(covered, key=str.casefold) if c not in with_codings]
        if seen_only:
            known += f"; with recorded coverage only: {', '.join(seen_only)}"
        raise InputError(Errors.E404.format(detail=detail, known=known))
    segs = segments.loc[~segments["is_interviewer"].fillna(False).astype(bool)] if "is_interviewer" in segments else segments
    seen_by = seen_segments(sel, segs, coder_list, coverage=coverage, units=units)
    keep = set().union(*seen_by.values())
    if sample is not None:
        keep &= {str(s) for s in sample}
    units_df = segs.loc[segs["segment_id"].astype(str).isin(keep)].reset_index(drop=True)
    ids = units_df["segment_id"].astype(str)
    seen = np.array([ids.isin(seen_by[c]).to_numpy() for c in coder_list], dtype=bool).reshape(len(coder_list), -1)
    rule, units = units, units_df
    hits = coded_segments(sel, units)[["code_id", "coder", "segment_id"]]
    wanted = resolve_codes(codebook, codes)
    named = _as_list(codes) or []
    grouping = {c for c in named if codebook is not None and c in codebook and codebook.descendants(c)}
    always: set[str] = set()  # rows ``codes`` asks for, kept even where nobody applied them
    if level == "theme":
        entries = entry_table(codebook, hits["code_id"].unique())
        entries = entries.loc[entries["kind"] != "code" if wanted is None else
                              entries["code_id"].isin(set(named)) & ((entries["kind"] != "theme")
                                                                    | entries["code_id"].isin(grouping))]
        hits = hits.merge(membership(codebook, entries), on="code_id").drop(columns="code_id")
        hits = hits.rename(columns={"entry_id": "code_id"})
        applied_any = set(hits["code_id"])
        code_ids = [c for c in entries["code_id"] if wanted is not None or c in applied_any]
        always = set(code_ids) if wanted is not None else set()
    elif level == "code":
        order = list(entry_table(codebook, hits["code_id"].unique())["code_id"])
        applied_any = set(hits["code_id"])
        code_ids = [c for c in order if (c in applied_any if wanted is None else c in wanted)]
        # a theme cannot be applied (E341): its row only where a coding of it was stored anyway (an old codebook)
        always = {c for c in named if c not in grouping and (codebook is None or c not in codebook
                                                             or codebook[c].parent is not None)}
    else:
        raise InputError(Errors.E403.format(option="level", value=level, allowed="code, theme"))
    pos_unit = pd.Series(np.arange(len(units)), index=units["segment_id"].to_numpy())
    applied = np.zeros((len(code_ids), len(coder_list), len(units)), dtype=bool)
    hits = hits.loc[hits["code_id"].isin(code_ids)].drop_duplicates()
    k_idx = hits["code_id"].map({c: i for i, c in enumerate(code_ids)}).to_numpy(dtype=int)
    c_idx = hits["coder"].map({c: i for i, c in enumerate(coder_list)}).to_numpy(dtype=int)
    applied[k_idx, c_idx, pos_unit.loc[hits["segment_id"]].to_numpy(dtype=int)] = True
    applied &= seen[None]
    # a row only for what was applied on the compared segments (see pooled_codes), and for what codes names
    keep = pooled_codes(seen, applied) | np.array([c in always for c in code_ids], dtype=bool)
    code_ids, applied = [c for c, k in zip(code_ids, keep) if k], applied[keep]
    return Ratings(tuple(coder_list), tuple(code_ids), units_df, seen, applied,
                   rule + (" (sample)" if sample is not None else ""))


def pooled_codes(seen: np.ndarray, applied: np.ndarray) -> np.ndarray:
    """Which codes the pooled row counts: those a compared coder applied to a segment two or more coders
    saw (the only segments any statistic uses); a code nobody applied there adds only agreeing zeros."""
    compared = seen.sum(axis=0) >= 2
    return applied[:, :, compared].any(axis=(1, 2)) if applied.size else np.zeros(len(applied), dtype=bool)


def _unit_stats(r: Ratings) -> np.ndarray:
    """Per code and unit, the sufficient statistics every statistic is a ratio of sums of."""
    n_coders = len(r.coders)
    m = r.seen.sum(axis=0).astype(float)[None, :]
    n1 = r.applied.sum(axis=1).astype(float)
    n0 = m - n1
    complete = (m == n_coders).astype(float) * np.ones_like(n1)
    pair = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    s = np.zeros(n1.shape + (14,))
    s[..., _COMPLETE] = complete
    s[..., _AGREE] = complete * ((n1 == 0) | (n1 == n_coders))
    s[..., _O00], s[..., _O11], s[..., _O01] = n0 * (n0 - 1) * pair, n1 * (n1 - 1) * pair, n0 * n1 * pair
    if n_coders >= 2:
        s[..., _FP] = complete * (n0**2 + n1**2 - n_coders) / (n_coders * (n_coders - 1))
    s[..., _FN0], s[..., _FN1] = complete * n0, complete * n1
    if n_coders == 2:
        a, b = r.applied[:, 0], r.applied[:, 1]
        s[..., _C00], s[..., _C01] = complete * (~a & ~b), complete * (~a & b)
        s[..., _C10], s[..., _C11] = complete * (a & ~b), complete * (a & b)
    s[..., _M], s[..., _N1] = m * np.ones_like(n1), n1
    return s  # codes x units x 14


def _statistics(sums: np.ndarray, n_coders: int) -> dict[str, np.ndarray]:
    """Every statistic from summed sufficient statistics ``[..., 14]``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pa = np.where(sums[..., _COMPLETE] > 0, sums[..., _AGREE] / sums[..., _COMPLETE], np.nan)
        rated = sums[..., _FN0] + sums[..., _FN1]  # ratings on the segments every coder saw
        prevalence = np.where(rated > 0, sums[..., _FN1] / rated, np.nan)
    conf = sums[..., [_C00, _C01, _C10, _C11]].reshape(sums.shape[:-1] + (2, 2))
    coinc = sums[..., [_O00, _O01, _O01, _O11]].reshape(sums.shape[:-1] + (2, 2))
    cohen = kappa_from_confusion(conf) if n_coders == 2 else np.full(sums.shape[:-1], np.nan)
    fleiss = fleiss_from_sums(sums[..., _FP], sums[..., _COMPLETE], sums[..., [_FN0, _FN1]], n_coders)
    return {"percent_agreement": pa, "cohen_kappa": cohen, "fleiss_kappa": fleiss,
            "krippendorff_alpha": alpha_from_coincidence(coinc), "prevalence": prevalence}


def _reasons(sums: np.ndarray, n_coders: int) -> str:
    """Why statistics are undefined for one row of sums ('' when all are defined)."""
    out = []
    pair_1, pair_0 = sums[_O11] + sums[_O01], sums[_O00] + sums[_O01]
    alpha_why = ("no segment was seen by two or more coders" if pair_0 + pair_1 == 0 else
                 "never applied" if pair_1 == 0 else "always applied" if pair_0 == 0 else "")
    if sums[_COMPLETE] == 0:
        out.append("no segment was seen by every coder: percent agreement and kappa are undefined")
    elif sums[_FN1] == 0 or sums[_FN0] == 0:
        what = ("no coder applied this code to a shared segment" if sums[_FN1] == 0
                else "every coder applied this code to every shared segment")
        same = alpha_why == ("never applied" if sums[_FN1] == 0 else "always applied")
        out.append(f"{what}: kappa{' and alpha are' if same else ' is'} undefined "
                   "(chance agreement is 1)")
        alpha_why = "" if same else alpha_why
    if alpha_why:
        detail = {"never applied": "no coder applied this code to a segment seen by two coders",
                  "always applied": "every rating of a segment seen by two coders applies this code"}.get(alpha_why, alpha_why)
        out.append(f"{detail}: alpha is undefined")
    if n_coders != 2:
        out.append("Cohen's kappa needs exactly two coders (see Fleiss' kappa)")
    return "; ".join(out)


def bootstrap_weights(n_units: int, n_boot: int, seed: int | None) -> np.ndarray:
    """``n_boot`` x ``n_units`` counts of how often each unit is drawn in each resample."""
    rng = np.random.default_rng(seed)
    if n_units == 0 or n_boot == 0:
        return np.zeros((n_boot, n_units))
    return rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_boot).astype(float)


def agreement_from_ratings(r: Ratings, *, n_boot: int = 1000, seed: int | None = 0,
                           confidence: float = 0.95, labels: pd.Series | None = None) -> pd.DataFrame:
    """The per-code and overall agreement table for built ratings (see ``agreement``)."""
    # only the segments two or more coders saw enter a statistic (for two coders, the shared ones): a segment
    # one coder saw alone adds nothing, and drawing it would only shrink the compared units of a resample
    stats = _unit_stats(r)[:, r.seen.sum(axis=0) >= 2]
    weights = np.vstack([np.ones((1, stats.shape[1])), bootstrap_weights(stats.shape[1], n_boot, seed)])
    k, u, n_stats = stats.shape
    flat = stats.transpose(1, 0, 2).reshape(u, k * n_stats)
    sums = (weights @ flat).reshape(len(weights), k, n_stats)  # (1 + n_boot) x codes x 14, one BLAS product
    pooled = pooled_codes(r.seen, r.applied)
    sums = np.concatenate([sums, sums[:, pooled].sum(axis=1, keepdims=True)], axis=1)
    values = _statistics(sums, len(r.coders))
    tail = (1 - confidence) / 2 * 100
    complete = r.seen.sum(axis=0) == len(r.coders)
    n_shared = int(complete.sum())
    on_shared = r.applied[:, :, complete]
    rows = []
    for k, code in enumerate(list(r.codes) + [OVERALL]):
        row: dict[str, object] = {"code_id": code}
        if labels is not None:
            row["label"] = labels.get(code, "all codes pooled" if code == OVERALL else code)
        row["n_segments"] = len(r.units)
        row["n_shared"] = n_shared
        row["units"] = r.rule
        row["prevalence"] = float(values["prevalence"][0, k])
        for ci, coder in enumerate(r.coders):
            row[f"seen_{coder}"] = int(r.seen[ci].sum())
        for ci, coder in enumerate(r.coders):
            row[f"n_{coder}"] = int(on_shared[k, ci].sum()) if k < len(r.codes) else int(on_shared[pooled, ci].sum())
        for name in STATISTICS:
            row[name] = float(values[name][0, k])
            boot = values[name][1:, k]
            ok = boot[~np.isnan(boot)]
            row[f"{name}_low"] = float(np.percentile(ok, tail)) if ok.size and not np.isnan(row[name]) else np.nan
            row[f"{name}_high"] = float(np.percentile(ok, 100 - tail)) if ok.size and not np.isnan(row[name]) else np.nan
        row["note"] = _reasons(sums[0, k], len(r.coders)) if k < len(r.codes) or pooled.any() else (
            "no code was applied to a segment two or more coders saw, so nothing is pooled: every statistic is "
            "undefined")
        rows.append(row)
    return pd.DataFrame(rows)


def agreement(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    coders: str | Iterable[str],
    codebook: Codebook | None = None,
    codes: str | Iterable[str] | None = None,
    level: str = "code",
    include_suggested: bool = False,
    n_boot: int = 1000,
    seed: int | None = 0,
    confidence: float = 0.95,
    coverage: pd.DataFrame | None = None,
    units: str = "seen",
    sample: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Agreement per code and pooled over codes, with bootstrap confidence intervals.

    Args:
        codings: Codings of all coders (``schemas.CODINGS``).
        segments: Segments (``schemas.SEGMENTS``).
        coders: Two or more coders ("A,B" or a list); a suggester name counts as a coder.
        codebook: For code order, labels and (``level="theme"``) the hierarchy.
        codes: Only these codes. At code level a theme or sub-theme stands for the codes beneath it (itself
            included) that a compared coder applied; at theme level each named entry is a row, applied where it
            or any code beneath it is. A code with nothing beneath it always has its row.
        level: ``code`` (codes as applied) or ``theme`` (a theme is applied if any of its codes is).
        include_suggested: Count unreviewed suggestions too (to measure a suggester as a coder).
        n_boot: Bootstrap resamples for the intervals (0 for none).
        seed: Random seed, so the intervals are reproducible.
        confidence: Interval coverage.
        coverage: What each coder saw (``Store.coverage()``: coder, segment_id); see the module docstring.
        units: ``seen`` (coverage plus coded segments) or ``documents`` (every segment of a coded document).
        sample: Only these segment ids (a recorded sample: ``Store.sample_segments(id)``).

    Returns:
        One row per code plus the pooled row ``(all codes)``: n_segments (seen by any coder),
        n_shared (seen by all), units (the rule), prevalence (share of the ratings on the shared
        segments that apply the code), seen_<coder> (segments each coder saw), n_<coder> (shared
        segments the coder applied the code to), each statistic with ``_low``/``_high`` bounds, and
        ``note`` saying why any is NaN. Every per-code figure is over the shared segments, the units
        of kappa (alpha also uses segments two of three or more coders saw).
    """
    r = build_ratings(codings, segments, coders=coders, codebook=codebook, codes=codes, level=level,
                      include_suggested=include_suggested, coverage=coverage, units=units, sample=sample)
    labels = entry_table(codebook, r.codes).set_index("code_id")["label"]
    return agreement_from_ratings(r, n_boot=n_boot, seed=seed, confidence=confidence, labels=labels)


def disagreements(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    *,
    coders: str | Iterable[str],
    codebook: Codebook | None = None,
    codes: str | Iterable[str] | None = None,
    level: str = "code",
    include_suggested: bool = False,
    coverage: pd.DataFrame | None = None,
    units: str = "seen",
    sample: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Segments the coders coded differently, for the reconciliation meeting (units as in ``agreement``).

    Returns:
        One row per segment where, for some code, one coder who saw the segment applied it and
        another did not: document_id, document_label (neutral: ``Interview 5``), segment_id, location, participant_id, speaker, text, one
        column per coder listing the codes they applied (``(not seen)`` if unseen),
        and ``disputed`` naming each contested code and who applied it.
    """
    from .quotes import document_labels

    r = build_ratings(codings, segments, coders=coders, codebook=codebook, codes=codes, level=level,
                      include_suggested=include_suggested, coverage=coverage, units=units, sample=sample)
    out = disagreements_from_ratings(r)
    out.insert(1, "document_label", out["document_id"].map(document_labels(segments)).astype("object"))
    return out


def disagreements_from_ratings(r: Ratings) -> pd.DataFrame:
    """The disagreement table for built ratings (see ``disagreements``)."""
    from .quotes import segment_location

    n_seen = r.seen.sum(axis=0)
    n1 = r.applied.sum(axis=1)
    disputed = (n1 > 0) & (n1 < n_seen[None, :]) & (n_seen[None, :] >= 2)
    rows = []
    for u in np.flatnonzero(disputed.any(axis=0)):
        seg = r.units.iloc[u]
        row: dict[str, object] = {
            "document_id": seg["document_id"], "segment_id": seg["segment_id"],
            "location": segment_location(seg.get("index"), seg.get("time_start"), seg.get("kind"), seg.get("question"),
                                         seg.get("page")),
            "participant_id": seg.get("participant_id"), "speaker": seg.get("speaker"), "text": seg.get("text"),
        }
        for c, coder in enumerate(r.coders):
            applied = [r.codes[k] for k in np.flatnonzero(r.applied[:, c, u])]
            row[coder] = "; ".join(applied) if r.seen[c, u] else "(not seen)"
        contested = []
        for k in np.flatnonzero(disputed[:, u]):
            who = [coder for c, coder in enumerate(r.coders) if r.applied[k, c, u]]
            contested.append(f"{r.codes[k]} ({', '.join(who)} only)")
        row["disputed"] = "; ".join(contested)
        rows.append(row)
    cols = ["document_id", "segment_id", "location", "participant_id", "speaker", "text", *r.coders, "disputed"]
    return pd.DataFrame(rows, columns=cols)
