"""Agreement tables over segments as units, checked against sklearn and the krippendorff package."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import krippendorff
from sklearn.metrics import cohen_kappa_score

from thematic.analysis import agreement, disagreements
from thematic.analysis.agreement import fleiss_kappa_ratings, percent_agreement
from thematic.analysis.intercoder import (
    OVERALL,
    _statistics,
    _unit_stats,
    bootstrap_weights,
    build_ratings,
)
from thematic.errors import InputError

from .conftest import make_codings, make_segments

CODES = ("alpha_code", "beta_code", "gamma_code")


def random_study(seed: int, coders=("A", "B"), n_docs=4, per_doc=25, skip=None):
    """Random codings: each coder applies each code to a segment with noise around a shared truth.

    ``skip`` = {coder: document} leaves that document uncoded by that coder (missing ratings).
    Returns segments, codings and the ground-truth decisions {(coder, code): {segment: 0/1 or nan}}.
    """
    rng = np.random.default_rng(seed)
    segs = make_segments(n_docs, per_doc)
    rows, decisions = [], {}
    for code_i, code in enumerate(CODES):
        truth = rng.random(len(segs)) < (0.15 + 0.2 * code_i)
        for coder in coders:
            noisy = np.where(rng.random(len(segs)) < 0.8, truth, rng.random(len(segs)) < 0.3)
            dec = {}
            for sid, doc, v in zip(segs.segment_id, segs.document_id, noisy):
                if skip and skip.get(coder) == doc:
                    dec[sid] = np.nan
                    continue
                dec[sid] = float(v)
                if v:
                    rows.append((sid, code, coder))
            decisions[(coder, code)] = dec
    codings = make_codings(rows, segs)
    # every coder must have coded at least once in each doc they saw: guarantee it with a marker code
    for coder in coders:
        for doc in segs.document_id.unique():
            if not (skip and skip.get(coder) == doc):
                first = segs.loc[segs.document_id == doc, "segment_id"].iloc[0]
                if not ((codings.coder == coder) & (codings.document_id == doc)).any():
                    codings = pd.concat([codings, make_codings([(first, CODES[0], coder)], segs)], ignore_index=True)
                    decisions[(coder, CODES[0])][first] = 1.0
    return segs, codings, decisions


def _vectors(decisions, coders, code, segment_ids):
    return np.array([[decisions[(c, code)][s] for s in segment_ids] for c in coders])


@pytest.mark.parametrize("seed", range(6))
def test_two_coders_match_sklearn_and_krippendorff_per_code(seed):
    segs, codings, dec = random_study(seed)
    table = agreement(codings, segs, coders="A,B", units="documents", n_boot=0).set_index("code_id")
    for code in CODES:
        data = _vectors(dec, ("A", "B"), code, segs.segment_id)
        assert table.loc[code, "cohen_kappa"] == pytest.approx(cohen_kappa_score(data[0], data[1]), abs=1e-9)
        assert table.loc[code, "krippendorff_alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9)
        assert table.loc[code, "percent_agreement"] == pytest.approx((data[0] == data[1]).mean(), abs=1e-12)
        assert table.loc[code, "fleiss_kappa"] == pytest.approx(fleiss_kappa_ratings(data), abs=1e-9)
        assert table.loc[code, "prevalence"] == pytest.approx(data.mean(), abs=1e-12)
        assert table.loc[code, "n_A"] == int(data[0].sum())


@pytest.mark.parametrize("seed", range(4))
def test_missing_documents_are_missing_ratings(seed):
    segs, codings, dec = random_study(seed, coders=("A", "B", "C"), skip={"B": "d1", "C": "d3"})
    table = agreement(codings, segs, coders=["A", "B", "C"], units="documents", n_boot=0).set_index("code_id")
    for code in CODES:
        data = _vectors(dec, ("A", "B", "C"), code, segs.segment_id)
        assert table.loc[code, "krippendorff_alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9)
        complete = data[:, ~np.isnan(data).any(axis=0)]
        assert table.loc[code, "fleiss_kappa"] == pytest.approx(fleiss_kappa_ratings(complete), abs=1e-9)
        assert table.loc[code, "percent_agreement"] == pytest.approx(percent_agreement(complete), abs=1e-12)
        assert np.isnan(table.loc[code, "cohen_kappa"])
    assert table.loc[OVERALL, "n_shared"] == 50 and table.loc[OVERALL, "n_segments"] == 100
    assert "exactly two coders" in table.loc[CODES[0], "note"]


def test_pooled_row_equals_statistics_over_all_code_decisions():
    segs, codings, dec = random_study(7, skip={"B": "d2"})
    table = agreement(codings, segs, coders="A,B", units="documents", n_boot=0).set_index("code_id")
    pooled = np.hstack([_vectors(dec, ("A", "B"), c, segs.segment_id) for c in CODES])
    both = pooled[:, ~np.isnan(pooled).any(axis=0)]
    assert table.loc[OVERALL, "cohen_kappa"] == pytest.approx(cohen_kappa_score(both[0], both[1]), abs=1e-9)
    assert table.loc[OVERALL, "krippendorff_alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=pooled, level_of_measurement="nominal"), abs=1e-9)


def test_bootstrap_resample_equals_statistics_on_resampled_units():
    segs, codings, dec = random_study(3)
    r = build_ratings(codings, segs, coders="A,B", units="documents")
    w = bootstrap_weights(len(r.units), 3, seed=11)[2]
    sums = np.einsum("u,kus->ks", w, _unit_stats(r))
    stats = _statistics(sums, 2)
    idx = np.repeat(np.arange(len(r.units)), w.astype(int))
    for k, code in enumerate(r.codes):
        data = r.values(k)[:, idx]
        assert stats["cohen_kappa"][k] == pytest.approx(cohen_kappa_score(data[0], data[1]), abs=1e-9)
        assert stats["krippendorff_alpha"][k] == pytest.approx(
            krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9)


def test_bootstrap_intervals_are_reproducible_and_bracket_the_estimate():
    segs, codings, _ = random_study(5)
    one = agreement(codings, segs, coders="A,B", units="documents", n_boot=300, seed=42)
    two = agreement(codings, segs, coders="A,B", units="documents", n_boot=300, seed=42)
    other = agreement(codings, segs, coders="A,B", units="documents", n_boot=300, seed=43)
    pd.testing.assert_frame_equal(one, two)
    assert not np.allclose(one["cohen_kappa_low"], other["cohen_kappa_low"])
    for stat in ("percent_agreement", "cohen_kappa", "krippendorff_alpha"):
        assert (one[f"{stat}_low"] <= one[stat] + 1e-9).all() and (one[stat] <= one[f"{stat}_high"] + 1e-9).all()
        assert (one[f"{stat}_high"] - one[f"{stat}_low"] > 0).all()
    assert agreement(codings, segs, coders="A,B", units="documents", n_boot=0)["cohen_kappa_low"].isna().all()


def test_code_nobody_applied_in_shared_documents_is_nan_with_reason():
    segs = make_segments(2, 5)
    codings = make_codings([("d0:0", "x", "A"), ("d0:1", "x", "B"), ("d1:0", "only_a", "A"), ("d0:3", "y", "A"),
                            ("d0:3", "y", "B")], segs)
    unasked = agreement(codings, segs, coders="A,B", units="documents", n_boot=0)
    assert "only_a" not in set(unasked["code_id"])  # applied only outside the shared segments: no row
    table = agreement(codings, segs, coders="A,B", units="documents", n_boot=50,
                      codes=["x", "only_a", "y"]).set_index("code_id")
    row = table.loc["only_a"]  # A used it in d1, which B never coded; asked for, so it has a row
    assert np.isnan(row.cohen_kappa) and np.isnan(row.krippendorff_alpha) and np.isnan(row.fleiss_kappa)
    assert row.percent_agreement == 1.0
    assert "no coder applied this code to a shared segment" in row.note
    assert np.isnan(row.cohen_kappa_low)  # no interval for an undefined statistic
    assert table.loc["y", "cohen_kappa"] == pytest.approx(1.0)


def test_all_codes_always_applied_is_nan_with_reason():
    segs = make_segments(1, 3)
    codings = make_codings([(s, "x", c) for s in segs.segment_id for c in "AB"], segs)
    row = agreement(codings, segs, coders="A,B", units="documents", n_boot=10).set_index("code_id").loc["x"]
    assert np.isnan(row.cohen_kappa) and "every coder applied this code" in row.note


def test_agreement_at_theme_level_uses_the_union(frames):
    so = frames.codings.copy()
    # SO codes int-01 too: trust where HT coded trust + shared_experience
    extra = so.loc[(so.coder == "HT") & (so.code_id == "trust")].assign(coder="SO", coding_id="x1")
    codings = pd.concat([so, extra], ignore_index=True)
    table = agreement(codings, frames.segments, coders="HT,SO", codebook=frames.codebook, level="theme",
                      n_boot=0).set_index("code_id")
    assert "support" in table.index and "shared_experience" not in table.index
    codes = agreement(codings, frames.segments, coders="HT,SO", codebook=frames.codebook, n_boot=0)
    assert list(codes["code_id"])[:2] == ["shared_experience", "trust"]


def test_agreement_needs_two_coders_with_codings(frames):
    with pytest.raises(InputError, match=r"\[E404\].*no codings from XY"):
        agreement(frames.codings, frames.segments, coders="HT,XY")
    with pytest.raises(InputError, match=r"\[E404\]"):
        agreement(frames.codings, frames.segments, coders="HT")


def test_suggester_measured_as_a_coder(frames):
    table = agreement(frames.codings, frames.segments, coders=["HT", "thematic.rules.v1"], include_suggested=True,
                      n_boot=0)
    assert "n_thematic.rules.v1" in table.columns


def test_disagreement_table_lists_segments_and_who_applied_what():
    segs = make_segments(2, 4)
    codings = make_codings([("d0:0", "x", "A"), ("d0:0", "x", "B"), ("d0:1", "x", "A"), ("d0:1", "y", "B"),
                            ("d1:2", "y", "A")], segs)
    table = disagreements(codings, segs, coders="A,B")
    assert list(table["segment_id"]) == ["d0:1"]
    row = table.iloc[0]
    assert row["A"] == "x" and row["B"] == "y"
    assert row["disputed"] == "x (A only); y (B only)"
    assert row["text"] == "segment 0-1" and row["location"] == "turn 2"
    assert list(table.columns)[-3:] == ["A", "B", "disputed"]
