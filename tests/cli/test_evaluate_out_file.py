"""`thematic evaluate --out FILE`: what is written, and what is refused.

`--out` wrote whatever path it was given: `--format csv --out data/coded/thematic.db` replaced the study's
store with CSV text (every later command then failed E011), and a symbolic link was written through. With
the default table format `--out results.json` wrote nothing and said nothing (with `--curve` too). Now
`--out` is checked as every other export's is, before any work: the format is the one its suffix names
(.json or .csv; `--format json|csv` must agree, E412), any other suffix is refused (E405), a link, pipe or
device is refused (E417), and the file is written atomically.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from coding.assisted_support import code_document, training_interviews, write_codebook, write_gold
from thematic.cli.main import app

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "150"}
ROWS = [("a:1", "The vetting took five months.", ["security_vetting"]), ("a:2", "The bus was late.", []),
        ("b:1", "We had no grant left for the course.", ["funding"]), ("b:2", "I like the football.", [])]


def _files(tmp_path: Path, study) -> tuple[list[str], Path]:  # noqa: ANN001
    cb = write_codebook(study)
    gold = write_gold(tmp_path / "gold.jsonl", ROWS)
    return ["evaluate", "--gold", str(gold), "--codebook", str(cb), "--suggesters", "rules"], gold


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def test_the_store_is_never_overwritten(study) -> None:  # noqa: ANN001
    write_codebook(study)
    for doc, codes in training_interviews(n_docs=2):
        study.store.save_document(doc)
        code_document(study.store, doc, codes)
    root = study.root
    store = root / "data" / "coded" / "thematic.db"
    before = _tables(store)
    study.close()
    for fmt in ("csv", "json"):
        res = runner.invoke(app, ["evaluate", "--study", str(root), "--suggesters", "rules", "--format", fmt,
                                  "--out", str(store)], env=ENV)
        assert res.exit_code == 1, res.output
        assert "[E405]" in res.output and "thematic.db" in res.output and "csv, json" in res.output
        assert "Wrote" not in res.output
    assert before and _tables(store) == before  # still the study's store, not a CSV file
    res = runner.invoke(app, ["evaluate", "--study", str(root), "--suggesters", "rules", "--format", "csv",
                              "--out", str(root / "data" / "coded" / "thematic.db-wal")], env=ENV)
    assert res.exit_code == 1 and "[E405]" in res.output


def test_a_link_is_refused_and_its_target_kept(tmp_path: Path, study) -> None:  # noqa: ANN001
    opts, _ = _files(tmp_path, study)
    precious = tmp_path / "precious.json"
    precious.write_text('{"keep": true}\n', encoding="utf-8")
    link = tmp_path / "results.json"
    link.symlink_to(precious)
    res = runner.invoke(app, [*opts, "--format", "json", "--out", str(link)], env=ENV)
    assert res.exit_code == 1 and "[E417]" in res.output, res.output
    assert precious.read_text(encoding="utf-8") == '{"keep": true}\n' and link.is_symlink()


def test_a_format_the_suffix_contradicts_is_refused(tmp_path: Path, study) -> None:  # noqa: ANN001
    opts, _ = _files(tmp_path, study)
    res = runner.invoke(app, [*opts, "--format", "csv", "--out", str(tmp_path / "r.json")], env=ENV)
    assert res.exit_code == 1 and "[E412]" in res.output, res.output
    assert not (tmp_path / "r.json").exists()


def test_out_without_format_writes_what_the_suffix_says(tmp_path: Path, study) -> None:  # noqa: ANN001
    opts, _ = _files(tmp_path, study)
    res = runner.invoke(app, [*opts, "--out", str(tmp_path / "results.json")], env=ENV)
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["n_units"] == 4 and "thematic.rules.v1" in data["suggesters"]
    assert "Wrote" in res.output
    res = runner.invoke(app, [*opts, "--out", str(tmp_path / "results.csv")], env=ENV)
    assert res.exit_code == 0, res.output
    head = (tmp_path / "results.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("suggester,code_id")
    res = runner.invoke(app, [*opts, "--out", str(tmp_path / "results.txt")], env=ENV)
    assert res.exit_code == 1 and "[E405]" in res.output and "csv, json" in res.output
    assert not (tmp_path / "results.txt").exists()


def test_curve_out_is_checked_before_the_work_and_written(tmp_path: Path, study) -> None:  # noqa: ANN001
    opts, _ = _files(tmp_path, study)
    curve = ["--curve", "--suggesters", "model", "--cv", "2", "--sizes", "2", "--chart", str(tmp_path / "c.svg")]
    res = runner.invoke(app, [*opts[:-2], *curve, "--out", str(tmp_path / "curve.txt")], env=ENV)
    assert res.exit_code == 1 and "[E405]" in res.output, res.output
    assert not (tmp_path / "c.svg").exists()  # refused before the curve was computed
    res = runner.invoke(app, [*opts[:-2], *curve, "--out", str(tmp_path / "curve.json")], env=ENV)
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "curve.json").read_text(encoding="utf-8"))
    assert data["points"] and data["chart"].endswith("c.svg")
