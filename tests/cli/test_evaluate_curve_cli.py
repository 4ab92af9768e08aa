"""`thematic evaluate --curve`: the learning curve's table, JSON and chart file; grouped folds reported."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from coding.assisted_support import TURNS, codebook, write_codebook, write_gold
from thematic.cli.main import app
from thematic.coding.curve import learning_curve
from thematic.coding.evaluate import read_gold

runner = CliRunner()


def _gold(tmp_path: Path) -> Path:
    rows = [(f"int{d}:{code or 'none'}{k}", texts[(d + k) % len(texts)], [code] if code else [])
            for d in range(6) for code, texts in TURNS.items() for k in range(2)]
    return write_gold(tmp_path / "gold.jsonl", rows)


def test_cli_curve_writes_table_json_and_chart(tmp_path: Path, study) -> None:  # noqa: ANN001
    write_codebook(study)
    cb = next(study.paths.codebooks.glob("*.yaml"))
    gold = _gold(tmp_path)
    chart = tmp_path / "curve.png"
    opts = ["evaluate", "--gold", str(gold), "--codebook", str(cb), "--study", str(study.root), "--curve", "--sizes", "10,20",
            "--cv", "3", "--chart", str(chart), "--suggesters", "model"]
    res = runner.invoke(app, [*opts], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "grouped by document" in res.output and "uncertainty" in res.output and "random" in res.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    res = runner.invoke(app, [*opts, "--format", "json"])
    data = json.loads(res.output)
    assert {p["n_coded"] for p in data["points"]} == {10, 20, 40}  # the whole training pool is the last point
    assert data["folds"]["n_groups"] == 6 and data["folds"]["k"] == 3
    bad = runner.invoke(app, [*opts, "--sizes", "many"])
    assert bad.exit_code == 1 and "E379" in bad.output


def test_curve_improves_with_more_coding_and_orders_differ(tmp_path: Path) -> None:
    units, labels = read_gold(_gold(tmp_path))
    curve = learning_curve(units, labels, codebook(), sizes=(20,), cv=3,
                           options={"use_embeddings": False, "use_codebook": False})
    pts = {(p["order"], p["n_coded"]): p for p in curve["points"]}
    assert pts[("random", 40)]["micro_f1"] > pts[("random", 20)]["micro_f1"]
    assert pts[("random", 40)]["micro_f1"] == pts[("uncertainty", 40)]["micro_f1"]  # same data once all is coded
