"""Document-grouped cross-validation: folds never split a document, and the report says how they were made."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from coding.assisted_support import TURNS, codebook
from thematic.coding.evaluate import evaluate, read_gold
from thematic.coding.folds import grouped_folds, unit_groups


def _units(docs: list[str], per_doc: int) -> pd.DataFrame:
    rows = [{"segment_id": f"{d}:{i}", "document_id": d, "start": 0, "end": 1, "text": "x"}
            for d in docs for i in range(per_doc)]
    return pd.DataFrame(rows)


def test_grouped_folds_never_put_one_document_in_train_and_test() -> None:
    units = _units([f"doc{i}" for i in range(7)], 5)
    folds = grouped_folds(units, 5)
    seen_test = []
    for train, test in folds.splits:
        train_docs = set(units["document_id"].iloc[train])
        test_docs = set(units["document_id"].iloc[test])
        assert not train_docs & test_docs
        seen_test.extend(test.tolist())
    assert sorted(seen_test) == list(range(len(units)))  # every unit tested exactly once
    assert (folds.k, folds.n_groups, folds.warnings) == (5, 7, [])


def test_fewer_documents_than_folds_uses_one_fold_per_document() -> None:
    folds = grouped_folds(_units(["a", "b", "c"], 4), 5)
    assert folds.k == 3 and any("[W521]" in w for w in folds.warnings)


def test_every_unit_its_own_group_warns() -> None:
    units = pd.DataFrame({"segment_id": list("abcdef"), "document_id": list("abcdef"), "text": ["x"] * 6})
    assert any("[W520]" in w for w in grouped_folds(units, 3).warnings)


def test_one_document_falls_back_to_random_folds_and_says_so() -> None:
    folds = grouped_folds(_units(["only"], 10), 3)
    assert folds.k == 3 and folds.grouped_by.startswith("unit") and any("[W522]" in w for w in folds.warnings)


def test_gold_group_field_overrides_the_id_prefix(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [{"id": f"u{i}", "text": f"t{i}", "codes": [], "group": f"g{i % 2}"} for i in range(4)]
    lines.append({"id": "doc:9", "text": "t", "codes": []})
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    units, _ = read_gold(path)
    assert unit_groups(units).tolist() == ["g0", "g1", "g0", "g1", "doc"]


def test_evaluate_reports_grouping_and_aggregates_skipped_codes(tmp_path: Path) -> None:
    rows = []
    for d in range(4):
        for code, texts in TURNS.items():
            rows.append({"id": f"int{d}:{code}", "text": texts[d], "codes": [code] if code else []})
    rows += [{"id": f"int{d}:extra{j}", "text": TURNS["funding"][4 + j], "codes": ["funding"]}
             for d in range(2) for j in range(2)]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in rows), encoding="utf-8")
    result = evaluate(None, gold=path, codebook=codebook(), suggesters=["model"], cv=4,
                      options={"min_examples": 4, "min_segments": 5, "use_embeddings": False, "use_codebook": False})
    assert result["folds"]["grouped_by"].startswith("document") and result["folds"]["n_groups"] == 4
    notes = result["suggesters"]["thematic.model.v1"]["notes"]
    skipped = [n for n in notes if "[W523]" in n]
    assert len(skipped) == 1 and "folds)" in skipped[0]  # one note over all folds, not one per fold
    assert np.isfinite(result["suggesters"]["thematic.model.v1"]["suggestions_per_unit"])


def test_a_single_unit_gives_no_folds_instead_of_an_error() -> None:
    folds = grouped_folds(_units(["only"], 1), 5)
    assert folds.splits == [] and folds.k == 0
