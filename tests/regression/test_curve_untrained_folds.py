"""`evaluate --curve` when the model cannot train in some or all folds, and what "N coded" counts.

A point where no fold trained read "mean kappa 0.00, micro F1 0.00" (0.0 in JSON) with no reason; the
units of folds that did not train were scored as "suggested nothing"; and "N coded 19" was shown
where the person had coded 3 segments (N counts every segment of the training pool).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from coding.assisted_support import TURNS, code_document, codebook, interview, write_codebook, write_gold
from thematic.cli.main import app
from thematic.coding import metrics
from thematic.coding.curve import learning_curve
from thematic.coding.evaluate import read_gold

runner = CliRunner()
FAST = {"use_embeddings": False, "use_codebook": False, "min_examples": 3}


def _gold(tmp_path: Path) -> Path:
    """d0 has 20 units, d1 and d2 five each: with d0 held out only 10 units train (< min_segments 20)."""
    texts = [(code, t) for code, ts in TURNS.items() for t in ts]
    rows = []
    for doc, n in (("d0", 20), ("d1", 5), ("d2", 5)):
        for k in range(n):
            code, text = texts[(k * 5 + len(rows)) % len(texts)]
            rows.append((f"{doc}:{k}", text, [code] if code in ("security_vetting", "funding") else []))
    return write_gold(tmp_path / "gold.jsonl", rows)


def test_untrained_points_are_null_with_the_reason_and_partial_points_score_trained_folds_only(tmp_path) -> None:  # noqa: ANN001
    units, labels = read_gold(_gold(tmp_path))
    curve = learning_curve(units, labels, codebook(), sizes=(5,), cv=3, options=FAST)
    pts = {(p["order"], p["n_coded"]): p for p in curve["points"]}
    assert set(pts) == {(o, n) for o in ("random", "uncertainty") for n in (5, 25)}
    for o in ("random", "uncertainty"):
        none = pts[(o, 5)]
        assert none["folds_trained"] == 0
        assert none["kappa_mean"] is None and none["micro_f1"] is None and none["suggestions_per_unit"] is None
        assert none["units_scored"] == 0
        part = pts[(o, 25)]
        assert part["folds_trained"] == 2 and part["units_scored"] == 10  # d1 and d2 only: d0's fold did not train
        assert part["micro_f1"] is not None
    reasons = [w for w in curve["warnings"] if w.startswith("[W531]")]
    assert len(reasons) == 1 and "[E376]" in reasons[0] and "needs at least 20" in reasons[0]


def test_partial_point_equals_the_figure_of_the_trained_folds_units(tmp_path) -> None:  # noqa: ANN001
    units, labels = read_gold(_gold(tmp_path))
    curve = learning_curve(units, labels, codebook(), sizes=(5,), cv=3, options=FAST)
    part = next(p for p in curve["points"] if p["order"] == "random" and p["n_coded"] == 25)
    scored = [s for s in units["segment_id"].astype(str) if not s.startswith("d0:")]
    everything = metrics.summary(units["segment_id"].astype(str).tolist(), labels, {}, {}, [c.id for c in codebook().codable()])
    only = metrics.summary(scored, labels, {}, {}, [c.id for c in codebook().codable()])
    assert everything["n_human"] > only["n_human"]  # d0's human codes would count as misses
    assert part["n_human_scored"] == only["n_human"]


def test_cli_curve_on_a_study_shows_dashes_the_reason_and_the_segments_with_a_code(study, tmp_path) -> None:  # noqa: ANN001
    write_codebook(study)
    doc = interview("int-01", [t for ts in TURNS.values() for t in ts][:12])
    study.store.save_document(doc)
    code_document(study.store, doc, {1: "security_vetting", 3: "security_vetting", 5: "funding"}, coder="HT")
    root = study.root
    study.close()
    args = ["evaluate", "--curve", "--sizes", "5", "--cv", "3", "--suggesters", "model", "--study", str(root),
            "--chart", str(tmp_path / "curve.png")]
    res = runner.invoke(app, args, env={"COLUMNS": "120", "THEMATIC_ENCODER": "minilm"})
    assert res.exit_code == 0, res.output
    assert "0.00" not in res.output  # nothing trained: no figure is made up
    assert "[W531]" in res.output and "[E376]" in res.output
    assert res.output.count("[E376]") == 1  # the reason once, not per row
    assert "with a code" in res.output
    data = json.loads(runner.invoke(app, [*args, "--format", "json"], env={"THEMATIC_ENCODER": "minilm"}).output)
    for p in data["points"]:
        assert p["kappa_mean"] is None and p["micro_f1"] is None and p["folds_trained"] == 0
        assert p["with_code"] <= 3  # the person coded 3 segments; N counts the pool's 12 turns
    assert max(p["n_coded"] for p in data["points"]) == 8  # the pool: 12 turns, a third held out
