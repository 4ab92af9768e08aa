"""Thin CLI tests: `thematic code` (the batch run) and `thematic evaluate`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coding.assisted_support import TURNS, write_codebook, write_gold
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


@pytest.fixture
def root(study):  # noqa: ANN001, ANN201
    write_codebook(study)
    (study.paths.raw / "int-01.txt").write_text(
        "Interviewer: How was it?\nDan: The vetting took months and the funding ran out.\n", encoding="utf-8")
    study.close()
    return study.root


def _run(*args: str, code: int = 0) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "160"})
    assert result.exit_code == code, result.output
    return result.output


def test_cli_code_runs_the_batch_then_reports_nothing_changed(root) -> None:  # noqa: ANN001
    out = _run("code", "--suggesters", "rules", "--study", str(root))
    assert "│ rules " in out and "2 suggestion(s) stored in batch suggest-" in out  # named as typed, never folded
    assert "thematic review" in out and "thematic tables frequency" in out and "thematic report quotes" in out
    with Study(root) as s:
        assert set(s.store.codings(status="suggested")["code_id"]) == {"security_vetting", "funding"}
    again = _run("code", "--suggesters", "rules", "--study", str(root))
    assert "Nothing changed since the last run" in again and "up to date" in again


def test_cli_code_reports_a_skipped_model_and_unknown_suggesters(root) -> None:  # noqa: ANN001
    out = _run("code", "--suggesters", "rules,model", "--study", str(root))
    assert "model skipped" in out and "E376" in out
    bad = _run("code", "--suggesters", "magic", "--study", str(root), code=1)
    assert "E371" in bad


def test_cli_evaluate_formats(tmp_path, root) -> None:  # noqa: ANN001
    rows = [(f"g:{code}:{i}", t, [code] if code else []) for code, texts in TURNS.items() for i, t in enumerate(texts)]
    gold = write_gold(tmp_path / "gold.jsonl", rows)
    table = _run("evaluate", "--gold", str(gold), "--suggesters", "rules", "--study", str(root))
    assert "rules" in table and "most frequent human code" in table and "zero-shot" in table
    data = json.loads(_run("evaluate", "--gold", str(gold), "--suggesters", "rules", "--format", "json",
                           "--study", str(root)))
    assert data["n_units"] == 35 and "per_code" in data["suggesters"]["thematic.rules.v1"]
    out = tmp_path / "eval.csv"
    _run("evaluate", "--gold", str(gold), "--suggesters", "rules", "--format", "csv", "--out", str(out),
         "--study", str(root))
    assert out.read_text().splitlines()[0].startswith("suggester,code_id")
    assert "E375" in _run("evaluate", "--gold", str(gold), "--cv", "1", "--study", str(root), code=1)


def test_cli_evaluate_needs_no_study_with_gold_and_codebook(tmp_path, root) -> None:  # noqa: ANN001
    gold = write_gold(tmp_path / "gold.jsonl", [("a:1", "The vetting was slow.", ["security_vetting"])])
    cb = next((root / "codebooks").glob("*.yaml"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = _run("evaluate", "--gold", str(gold), "--codebook", str(cb), "--suggesters", "rules", "--format", "json",
               "--study", str(outside))
    assert json.loads(out)["suggesters"]["thematic.rules.v1"]["micro"]["f1"] == 1.0


def test_cli_evaluate_table_on_a_narrow_terminal_cuts_no_name_or_figure(tmp_path, root) -> None:  # noqa: ANN001
    rows = [(f"g:{code}:{i}", t, [code] if code else []) for code, texts in TURNS.items() for i, t in enumerate(texts)]
    gold = write_gold(tmp_path / "gold.jsonl", rows)
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--suggesters", "rules,similarity",
                                 "--study", str(root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    table = [line for line in result.output.splitlines() if line.startswith("│")]
    assert {line.split("│")[1].strip() for line in table} >= {"rules", "similarity", "baseline"}
    assert all(len(line) <= 80 and "…" not in line for line in table)
    firsts = [line for line in table if line.split("│")[1].strip()]  # not a wrapped line's continuation
    assert all(len(cell.strip()) == 4 for line in firsts for cell in line.split("│")[3:8])  # 0.00 to 1.00, whole
