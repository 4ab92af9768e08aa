"""A one-unit gold file cannot be cross-validated: the model and the ensemble have no figures at all (null in JSON,
'-' in every column of the table, per unit too) and W536 says why, instead of 'per unit 0.0' with no warning."""

from __future__ import annotations

import json
from pathlib import Path

from regression.tiny_study import CODEBOOK, ENV, runner

from thematic.cli.main import app
from thematic.coding.evaluate import evaluate


def _files(tmp_path: Path) -> tuple[Path, Path]:
    cb = tmp_path / "cb.yaml"
    cb.write_text(CODEBOOK, encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "a:1", "text": "The funding ran out and the bills kept coming.",
                                "codes": ["money"]}) + "\n", encoding="utf-8")
    return cb, gold


def test_trained_suggesters_have_no_figures_and_w536(tmp_path: Path) -> None:
    cb, gold = _files(tmp_path)
    result = evaluate(gold=gold, codebook=cb, suggesters=["rules", "model", "ensemble"])
    for name in ("thematic.model.v1", "thematic.ensemble.v1"):
        r = result["suggesters"][name]
        assert r["folds_trained"] == 0 and r["units_scored"] == 0 and r["n_units"] == 0
        assert r["suggestions_per_unit"] is None and r["human_per_unit"] is None
        assert r["micro"]["f1"] is None and r["kappa_mean"] is None
        short = name.split(".")[1]
        warned = [w for w in result["warnings"] if w.startswith("[W536]") and short in w and "1 unit" in w]
        assert len(warned) == 1, result["warnings"]
    rules = result["suggesters"]["thematic.rules.v1"]
    assert rules["n_units"] == 1 and rules["suggestions_per_unit"] == 1.0  # zero-shot: scored on the one unit


def test_table_shows_dashes(tmp_path: Path) -> None:
    cb, gold = _files(tmp_path)
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--codebook", str(cb), "--suggesters", "model",
                              "--study", str(tmp_path / "nostudy")], env=ENV)
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if line.startswith("│ model"))
    cells = [c.strip() for c in row.strip("│").split("│")][2:]
    assert cells and all(c == "-" for c in cells), row
    assert "[W536]" in res.output
