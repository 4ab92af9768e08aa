"""`thematic evaluate` scored a model that could not be trained in any fold as kappa 0.00 / F1 0.00 (0.0 in
JSON), a measured-looking figure for something never measured, where `--curve` shows '-' / null. Now a
suggester no fold trained has no figure ('-' in the table, null in JSON) and [W532] says why, once; one
some folds trained is scored on those folds' held-out units only, as the curve does."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coding.assisted_support import TURNS, code_document, codebook, interview, write_codebook, write_gold
from thematic.cli.main import app
from thematic.coding import metrics
from thematic.coding.evaluate import compare, read_gold

runner = CliRunner()
FAST = {"use_embeddings": False, "use_codebook": False, "min_examples": 3}


def test_cli_evaluate_of_a_model_no_fold_trained_shows_dashes_and_the_reason_once(study, tmp_path) -> None:  # noqa: ANN001
    write_codebook(study)
    doc = interview("int-01", [t for ts in TURNS.values() for t in ts][:12])
    study.store.save_document(doc)
    code_document(study.store, doc, {1: "security_vetting", 3: "security_vetting", 5: "funding"}, coder="HT")
    root = study.root
    study.close()
    args = ["evaluate", "--suggesters", "model", "--cv", "3", "--study", str(root)]
    res = runner.invoke(app, args, env={"COLUMNS": "150", "THEMATIC_ENCODER": "minilm"})
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if "│ model" in line)
    assert "0.00" not in row and "-" in row, row
    assert "[W532]" in res.output and res.output.count("[E376]") == 1, res.output
    out = tmp_path / "ev.json"
    res = runner.invoke(app, [*args, "--format", "json", "--out", str(out)], env={"THEMATIC_ENCODER": "minilm"})
    assert res.exit_code == 0, res.output
    model = json.loads(out.read_text(encoding="utf-8"))["suggesters"]["thematic.model.v1"]
    assert model["kappa_mean"] is None and model["micro"]["f1"] is None and model["top3_recall"] is None
    assert model["folds_trained"] == 0 and model["units_scored"] == 0
    assert any(w.startswith("[W532]") for w in json.loads(out.read_text(encoding="utf-8"))["warnings"])
    csv = runner.invoke(app, [*args, "--format", "csv"], env={"THEMATIC_ENCODER": "minilm"})
    assert csv.exit_code == 0, csv.output


def test_a_model_some_folds_trained_is_scored_on_their_units_only(tmp_path) -> None:  # noqa: ANN001
    texts = [(code, t) for code, ts in TURNS.items() for t in ts]
    rows = []
    for doc, n in (("d0", 20), ("d1", 5), ("d2", 5)):  # with d0 held out only 10 units train (< 20)
        for k in range(n):
            code, text = texts[(k * 5 + len(rows)) % len(texts)]
            rows.append((f"{doc}:{k}", text, [code] if code in ("security_vetting", "funding") else []))
    units, labels = read_gold(write_gold(tmp_path / "gold.jsonl", rows))
    result = compare(units, labels, codebook(), names=["model"], cv=3, options=FAST)
    model = result["suggesters"]["thematic.model.v1"]
    assert model["folds_trained"] == 2 and model["units_scored"] == 10 and model["n_units"] == 10
    scored = [s for s in units["segment_id"].astype(str) if not s.startswith("d0:")]
    assert model["n_human"] == metrics.summary(scored, labels, {}, {}, [c.id for c in codebook().codable()])["n_human"]
    assert sum(w.startswith("[W532]") for w in result["warnings"]) == 1
