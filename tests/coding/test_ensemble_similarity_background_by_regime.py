"""The ensemble's similarity part is normalised against all the study's segments under the fixed rule (so the rule
reads similarity exactly as the similarity suggester does), and against the segments it learns from once its
combiner is learnt (the scale the combiner was fitted on, which measured better on the development sets)."""

from __future__ import annotations

from pathlib import Path

from thematic.codebook import load_codebook
from thematic.coding.evaluate import _as_codings, read_gold
from thematic.coding.suggest.ensemble import EnsembleSuggester

REPO = Path(__file__).resolve().parents[2]


def test_background_is_all_segments_under_the_fixed_rule_and_the_learnt_ones_after() -> None:
    units, labels = read_gold(REPO / "tests/gold/example-gold.jsonl")
    units = units.iloc[:40].assign(document_id="__units__")
    learnt_from = units.iloc[:30]
    codings = _as_codings(learnt_from, labels)
    cb = load_codebook(REPO / "codebooks/peer-work-desistance.yaml")

    fixed = EnsembleSuggester(parts=("rules", "similarity"), min_codings=60).fit(units, codings, cb)
    assert fixed.combiner_ == "fixed" and fixed.n_coded_segments_ == 30
    assert fixed.parts_["similarity"].background_ == "40 segments"

    learnt = EnsembleSuggester(parts=("rules", "similarity"), min_codings=20).fit(units, codings, cb)
    assert learnt.combiner_ in ("learnt", "part") and learnt.n_coded_segments_ == 30
    assert learnt.parts_["similarity"].background_ == "30 segments"
