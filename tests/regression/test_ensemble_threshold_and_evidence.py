"""Ensemble suggestions carry the deciding part's threshold and evidence (fixed rule and "part alone").

Before, every fixed-rule or part-alone suggestion stored threshold 0.0: `review --order uncertain`
(|confidence - threshold|) became "lowest confidence first", and the why line read
"rules 0.60: fixed rule 0.60 · score 0.60 (threshold 0.00)" with no keyword, z-score or sentence.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from coding.assisted_support import codebook, segments_frame, training_frames
from thematic.coding.evidence import describe_evidence
from thematic.coding.order import uncertainty_order
from thematic.coding.suggest import EnsembleSuggester

SIMILARITY_CUT = round(1.0 / (1.0 + np.exp(-1.5)), 4)  # similarity's default bar: z 1.5


def _as_codings(out: pd.DataFrame, coder: str = "thematic.ensemble.v1") -> pd.DataFrame:
    """Suggestions as stored codings: threshold in params, evidence as memo."""
    return out.assign(coder=coder, memo=out["evidence"],
                      params=[json.dumps({"threshold": float(t)}) for t in out["threshold"]])


def test_fixed_rule_keeps_the_rules_threshold_score_and_what_matched() -> None:
    s = EnsembleSuggester(parts=("rules", "model")).fit(None, None, codebook())
    assert s.combiner_ == "fixed"
    out = s.suggest(segments_frame({"a": "The vetting took months."}))
    row = out[out["code_id"] == "security_vetting"].iloc[0]
    assert float(row["threshold"]) == 0.3 and float(row["confidence"]) == 0.6  # keyword and pattern: 0.6
    assert "pattern 'vetting'" in row["evidence"] and "fixed rule" in row["evidence"]
    why = describe_evidence(_as_codings(out[out["code_id"] == "security_vetting"]).iloc[0].to_dict())
    assert "pattern 'vetting'" in why and why.endswith("score 0.60 (threshold 0.30)"), why


def test_part_alone_keeps_that_parts_threshold_and_evidence() -> None:
    segs, cods = training_frames()
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    s.combiner_, s.chosen_part_ = "part", "rules"
    out = s.suggest(segments_frame({"a": "We were in the same boat, him and me."}))
    row = out.iloc[0]
    assert row["code_id"] == "shared_experience" and float(row["threshold"]) == 0.3
    assert "keyword 'same boat'" in row["evidence"] and "rules alone" in row["evidence"]


def test_similarity_votes_carry_its_bar_z_score_and_closest_sentence_and_order_by_their_margin() -> None:
    segs, _ = training_frames()
    s = EnsembleSuggester(parts=("rules", "similarity")).fit(segs, None, codebook())
    assert s.combiner_ == "fixed"
    out = s.suggest(segs)
    assert not out.empty and (out["threshold"] > 0).all(), out[["code_id", "confidence", "threshold"]]
    voters = out["evidence"].str.split(": fixed rule").str[0]
    by_sim = out[voters.str.startswith("similarity")]
    by_rules = out[voters.str.startswith("rules") & ~voters.str.contains(" + similarity ", regex=False)]
    both = out[voters.str.startswith("rules") & voters.str.contains(" + similarity ", regex=False)]
    assert len(by_sim) and len(by_rules)
    assert set(by_rules["threshold"].astype(float)) == {0.3}
    assert by_rules["evidence"].str.contains("keyword '|pattern '").all()
    assert (by_sim["threshold"].astype(float) == SIMILARITY_CUT).all()
    assert set(both["threshold"].astype(float)) <= {0.3, SIMILARITY_CUT}
    assert pd.concat([by_sim, both])["evidence"].str.contains(r"\bz -?\d+\.\d").all()
    assert pd.concat([by_sim, both])["evidence"].str.contains("closest sentence").all()
    assert (out["confidence"] >= out["threshold"]).all()
    # uncertainty order is the distance to the deciding part's own bar, not "lowest confidence first"
    queue = uncertainty_order(_as_codings(out))
    margin = (queue["confidence"].astype(float) - queue["threshold"].astype(float)).to_numpy()
    assert (np.diff(margin) >= -1e-9).all()
    why = describe_evidence(_as_codings(by_sim).iloc[0].to_dict())
    assert len("  why: " + why) <= 300 and why.endswith(f"(threshold {SIMILARITY_CUT:.2f})"), why
