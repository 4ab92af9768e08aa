"""W522 (all units from one group, folds split units at random) names the folds used, not the folds asked for:
two units with the default --cv 5 are split into 2 folds, and the warning said 5."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from regression.tiny_study import CODEBOOK

from thematic.coding.evaluate import evaluate
from thematic.coding.folds import grouped_folds


def _units(n: int) -> pd.DataFrame:
    return pd.DataFrame({"segment_id": [f"a:{i}" for i in range(n)], "document_id": ["a"] * n})


def test_w522_names_folds_used() -> None:
    folds = grouped_folds(_units(2), 5)
    assert folds.k == 2 and len(folds.splits) == 2
    (w,) = folds.warnings
    assert w.startswith("[W522]") and "(2 folds)" in w and "5 folds" not in w
    folds = grouped_folds(_units(7), 5)
    assert folds.k == 5 and "(5 folds)" in folds.warnings[0]


def test_evaluate_reports_folds_used(tmp_path: Path) -> None:
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text("".join(json.dumps(x) + "\n" for x in (
        {"id": "a:1", "text": "The funding ran out.", "codes": ["money"]},
        {"id": "a:2", "text": "No job anywhere.", "codes": ["work"]})), encoding="utf-8")
    result = evaluate(gold=gold, codebook=cb, suggesters=["rules"])
    assert result["folds"]["k"] == 2
    assert any(w.startswith("[W522]") and "(2 folds)" in w for w in result["warnings"])
