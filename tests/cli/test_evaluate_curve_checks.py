"""`thematic evaluate --curve`: inputs checked before the work, and only trained suggesters drawn.

- One unit: `max() arg is an empty sequence` (a traceback); now E065 says a curve needs 2 units, as W536
  says for plain evaluate.
- `--chart curve.pgn` (or .txt) ended in a matplotlib traceback after the whole curve was computed; now the
  suffix is checked first (E405 lists png, svg, pdf) and the chart is written atomically (a link: E417).
- `--suggesters rules,model` drew rules only (the first name), a flat "learning curve" of a suggester that
  learns nothing from coded segments; now every trained suggester asked for is drawn, W035 names the
  zero-shot ones left out, and E066 refuses a list with no trained suggester.
- The chart's y axis was fixed at 0-1, so a negative kappa fell off it; now it goes below 0 when a value does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.assisted_support import TURNS, codebook, write_codebook, write_gold
from thematic.cli.main import app
from thematic.coding.curve import curve_chart, curve_frame, learning_curve, study_curve
from thematic.coding.evaluate import read_gold
from thematic.errors import InputError

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "160"}
FAST = {"use_embeddings": False, "use_codebook": False, "min_examples": 3}


def _gold(tmp_path: Path) -> Path:
    rows = [(f"int{d}:{code or 'none'}{k}", texts[(d + k) % len(texts)], [code] if code else [])
            for d in range(4) for code, texts in TURNS.items() for k in range(2)]
    return write_gold(tmp_path / "gold.jsonl", rows)


def _small(tmp_path: Path) -> Path:
    """Two documents of four units: too few for the model to train, so the curve is quick."""
    rows = [(f"d{d}:{k}", TURNS["funding"][k], ["funding"] if k % 2 else []) for d in range(2) for k in range(4)]
    return write_gold(tmp_path / "small.jsonl", rows)


def _one(tmp_path: Path) -> Path:
    return write_gold(tmp_path / "one.jsonl", [("a:1", "The vetting took five months.", ["security_vetting"])])


def test_one_unit_is_a_clear_error(tmp_path: Path, study) -> None:  # noqa: ANN001
    cb = write_codebook(study)
    units, labels = read_gold(_one(tmp_path))
    with pytest.raises(InputError, match=r"\[E065\].*1 unit"):
        learning_curve(units, labels, codebook(), cv=3, options=FAST)
    res = runner.invoke(app, ["evaluate", "--curve", "--gold", str(_one(tmp_path)), "--codebook", str(cb),
                              "--chart", str(tmp_path / "c.png")], env=ENV)
    assert res.exit_code == 1 and "[E065]" in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "c.png").exists()


def test_a_bad_chart_suffix_is_refused_before_the_work(tmp_path: Path, study) -> None:  # noqa: ANN001
    cb = write_codebook(study)
    for name in ("curve.pgn", "curve.txt", "curve"):
        # the one-unit file would fail (E065) if the curve were begun: the suffix is refused first
        res = runner.invoke(app, ["evaluate", "--curve", "--gold", str(_one(tmp_path)), "--codebook", str(cb),
                                  "--chart", str(tmp_path / name)], env=ENV)
        assert res.exit_code == 1 and "[E405]" in res.output and "png, svg, pdf" in res.output, res.output
        assert "Traceback" not in res.output and not (tmp_path / name).exists()


def test_the_chart_is_written_atomically_and_never_through_a_link(tmp_path: Path, study) -> None:  # noqa: ANN001
    cb = write_codebook(study)
    kept = tmp_path / "kept.svg"
    kept.write_text("<svg/>", encoding="utf-8")
    link = tmp_path / "curve.svg"
    link.symlink_to(kept)
    opts = ["evaluate", "--curve", "--gold", str(_small(tmp_path)), "--codebook", str(cb), "--suggesters", "model",
            "--cv", "2", "--sizes", "2", "--format", "json"]
    res = runner.invoke(app, [*opts, "--chart", str(link)], env=ENV)
    assert res.exit_code == 1 and "[E417]" in res.output, res.output
    assert kept.read_text(encoding="utf-8") == "<svg/>"
    res = runner.invoke(app, [*opts, "--chart", str(tmp_path / "new.svg")], env=ENV)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "new.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert not list(tmp_path.glob(".new.svg.*"))  # no temporary file left beside it


def test_zero_shot_suggesters_are_left_out_with_a_warning(tmp_path: Path) -> None:
    curve = study_curve(None, gold=_gold(tmp_path), codebook=codebook(), suggester=["rules", "model"], sizes=(10,),
                        cv=2, options=FAST)
    assert curve["suggesters"] == ["thematic.model.v1"] and curve["suggester"] == "thematic.model.v1"
    assert {p["suggester"] for p in curve["points"]} == {"thematic.model.v1"}
    w035 = [w for w in curve["warnings"] if w.startswith("[W035]")]
    assert len(w035) == 1 and "rules" in w035[0] and "model" in w035[0]


def test_every_trained_suggester_asked_for_is_drawn(tmp_path: Path) -> None:
    curve = study_curve(None, gold=_small(tmp_path), codebook=codebook(), suggester="model, ensemble", sizes=(2,),
                        cv=2, options={**FAST, "parts": ("rules", "model")})
    assert curve["suggesters"] == ["thematic.model.v1", "thematic.ensemble.v1"]
    frame = curve_frame(curve)
    assert set(frame["suggester"]) == set(curve["suggesters"]) and len(frame) == 2 * 2 * 2  # 2 suggesters, 2 orders, 2 N
    assert {p["n_coded"] for p in curve["points"]} == {2, 4}
    labels = [line.get_label() for line in curve_chart(curve).axes[0].get_lines()]
    assert len(labels) == 4 and any("ensemble" in x for x in labels) and any("model" in x for x in labels)


def test_only_zero_shot_suggesters_is_refused(tmp_path: Path, study) -> None:  # noqa: ANN001
    cb = write_codebook(study)
    res = runner.invoke(app, ["evaluate", "--curve", "--gold", str(_one(tmp_path)), "--codebook", str(cb),
                              "--suggesters", "rules,similarity", "--chart", str(tmp_path / "c.png")], env=ENV)
    assert res.exit_code == 1 and "[E066]" in res.output and "rules" in res.output, res.output
    assert not (tmp_path / "c.png").exists()


def test_the_chart_shows_a_negative_kappa() -> None:
    points = [{"order": o, "n_coded": n, "kappa_mean": k, "micro_f1": 0.2, "with_code": 1.0}
              for o in ("random", "uncertainty") for n, k in ((10, -0.4), (20, 0.1))]
    curve = {"suggester": "thematic.model.v1", "folds": {"k": 3, "grouped_by": "document"}, "points": points}
    kappa_axis = curve_chart(curve).axes[0]
    low, high = kappa_axis.get_ylim()
    assert low <= -0.4 and high >= 1.0


def test_the_curve_of_a_gold_file_says_how_its_folds_were_grouped(tmp_path: Path) -> None:
    curve = study_curve(None, gold=_gold(tmp_path), codebook=codebook(), suggester="model", sizes=(10,), cv=2)
    assert "gold 'group'" in curve["folds"]["grouped_by"] and "last ':'" in curve["folds"]["grouped_by"]
