"""`uncertainty_order`: suggestions closest to their decision boundary first (active learning)."""

from __future__ import annotations

import pandas as pd

from thematic.coding import uncertainty_order


def test_order_uses_each_suggestions_recorded_threshold() -> None:
    df = pd.DataFrame({
        "coding_id": ["sure", "edge_model", "edge_default", "manual", "far"],
        "confidence": [0.95, 0.22, 0.55, None, 0.05],
        "params": ['{"threshold": 0.3}', '{"threshold": 0.2}', "{}", "{}", '{"threshold": 0.9}'],
    })
    assert list(uncertainty_order(df)["coding_id"]) == ["edge_model", "edge_default", "sure", "far", "manual"]


def test_order_default_threshold_and_missing_params_column() -> None:
    df = pd.DataFrame({"coding_id": ["a", "b", "c"], "confidence": [0.9, 0.45, 0.7]})
    assert list(uncertainty_order(df)["coding_id"]) == ["b", "c", "a"]
    assert list(uncertainty_order(df, threshold=0.8)["coding_id"]) == ["a", "c", "b"]


def test_order_keeps_ties_in_their_order_and_handles_empty() -> None:
    df = pd.DataFrame({"coding_id": ["x", "y"], "confidence": [0.6, 0.4], "params": ["bad json", None]})
    assert list(uncertainty_order(df)["coding_id"]) == ["x", "y"]
    assert uncertainty_order(df.iloc[0:0]).empty
