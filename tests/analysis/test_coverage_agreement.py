"""Agreement over the segments every compared coder saw (coverage), for partial double coding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import krippendorff
from sklearn.metrics import cohen_kappa_score

from thematic.analysis import agreement, disagreements
from thematic.analysis.characters import character_agreement
from thematic.analysis.intercoder import NoCoverageWarning
from thematic.analysis.selection import select_codings

from .conftest import make_codings, make_segments

CODES = ("alpha_code", "beta_code")


def partial_study(seed: int, share: float = 0.25):
    """A codes everything; B codes a random ``share`` of the segments (recorded as coverage)."""
    rng = np.random.default_rng(seed)
    segs = make_segments(3, 40)
    sample = set(segs.segment_id[rng.random(len(segs)) < share])
    rows, truth = [], {}
    for code in CODES:
        base = rng.random(len(segs)) < 0.35
        for coder in ("A", "B"):
            noisy = np.where(rng.random(len(segs)) < 0.85, base, rng.random(len(segs)) < 0.3)
            for sid, v in zip(segs.segment_id, noisy):
                if coder == "B" and sid not in sample:
                    continue
                truth[(coder, code, sid)] = int(v)
                if v:
                    rows.append((sid, code, coder))
    coverage = pd.DataFrame({"coder": ["A"] * len(segs) + ["B"] * len(sample),
                             "segment_id": list(segs.segment_id) + sorted(sample)})
    return segs, make_codings(rows, segs), coverage, sample, truth


@pytest.mark.parametrize("seed", range(4))
def test_kappa_and_alpha_are_computed_over_exactly_the_units_both_saw(seed: int) -> None:
    segs, codings, coverage, sample, truth = partial_study(seed)
    table = agreement(codings, segs, coders="A,B", coverage=coverage, n_boot=0).set_index("code_id")
    both = [s for s in segs.segment_id if s in sample]
    for code in CODES:
        a = [truth[("A", code, s)] for s in both]
        b = [truth[("B", code, s)] for s in both]
        assert table.loc[code, "n_shared"] == len(both)
        assert table.loc[code, "cohen_kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)
        assert table.loc[code, "krippendorff_alpha"] == pytest.approx(
            krippendorff.alpha(reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal"),
            abs=1e-9)
        # the old rule counts B's unseen segments as "not applied" and gives another kappa
    old = agreement(codings, segs, coders="A,B", units="documents", n_boot=0).set_index("code_id")
    assert old.loc[CODES[0], "n_shared"] == len(segs) != len(both)
    assert set(table["units"]) == {"seen"}


def test_sample_restricts_units_and_unseen_segments_are_never_disagreements() -> None:
    segs, codings, coverage, sample, _ = partial_study(7)
    diffs = disagreements(codings, segs, coders="A,B", coverage=coverage)
    assert set(diffs["segment_id"]) <= sample
    half = sorted(sample)[: len(sample) // 2]
    table = agreement(codings, segs, coders="A,B", coverage=coverage, sample=half, n_boot=0)
    assert (table["n_shared"] == len(half)).all() and (table["units"] == "seen (sample)").all()


def test_without_coverage_a_warning_says_agreement_is_over_coded_segments_only() -> None:
    segs, codings, _, _, _ = partial_study(1)
    with pytest.warns(NoCoverageWarning, match=r"\[W600\].*A, B"):
        agreement(codings, segs, coders="A,B", n_boot=0)


def test_character_agreement_counts_only_characters_of_segments_both_saw() -> None:
    segs, codings, coverage, sample, _ = partial_study(3)
    lengths = {d: int(g["end"].max()) + 10 for d, g in segs.groupby("document_id")}
    chars = character_agreement(codings, coders="A,B", doc_lengths=lengths, segments=segs, coverage=coverage)
    pooled = chars.loc[chars["document_id"] == "(all documents)"].iloc[0]
    shared = segs.loc[segs.segment_id.isin(sample)]
    assert pooled["n_chars"] == int((shared["end"] - shared["start"]).sum())


def test_an_accepted_suggestion_is_the_accepting_persons_coding() -> None:
    segs = make_segments(1, 3)
    codings = make_codings([(segs.segment_id[0], "alpha_code", "thematic.rules.v1")], segs)
    codings["status"] = "accepted"
    codings["reviewer"] = "HT"
    sel = select_codings(codings, coder="HT")
    assert list(sel["coder"]) == ["HT"] and list(sel["suggested_by"]) == ["thematic.rules.v1"]
    assert select_codings(codings, coder="thematic.rules.v1").empty
    kept = select_codings(codings, coder="HT,thematic.rules.v1", include_suggested=True)
    assert sorted(kept["coder"]) == ["HT", "thematic.rules.v1"]  # --include-suggested keeps its meaning


def test_a_suggester_measured_as_a_coder_saw_every_segment_of_its_documents() -> None:
    import warnings

    segs = make_segments(2, 10)
    codings = make_codings([(segs.segment_id[0], "alpha_code", "HT"), (segs.segment_id[1], "alpha_code", "bot.v1")],
                           segs)
    codings["status"] = ["manual", "suggested"]
    codings["source"] = ["manual", "suggester"]
    coverage = pd.DataFrame({"coder": ["HT"] * len(segs), "segment_id": list(segs.segment_id)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoCoverageWarning)
        table = agreement(codings, segs, coders="HT,bot.v1", coverage=coverage, include_suggested=True, n_boot=0)
    assert (table["n_shared"] == 10).all()  # the suggester's document, not only the segment it suggested on
