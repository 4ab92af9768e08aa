"""Thin CLI tests: `code add|remove`, `search` (+ --code, `undo`), `export sheet` / `import sheet`."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


@pytest.fixture
def root(study):
    fill_study(study)
    study.close()
    return study.root


def _run(root, *args: str, code: int = 0):
    result = runner.invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "140"})
    assert result.exit_code == code, result.output
    return result.output


def _codings(root, **filters):
    with Study(root) as s:
        return s.codings(**filters)


def test_cli_code_add_segment_span_and_remove(root) -> None:
    out = _run(root, "code", "add", "int-01:1", "generativity", "--coder", "AB", "--memo", "amends")
    assert "Coded int-01:1 [47:134]" in out and "generativity" in out
    _run(root, "code", "add", "--document", "int-01", "--start", "47", "--end", "60", "been_there", "--coder", "AB")
    df = _codings(root, coder="AB")
    assert list(df["code_id"]) == ["been_there", "generativity"] and list(df["end"]) == [60, 134]
    assert "Removed 1 coding(s) of been_there" in _run(root, "code", "remove", "int-01:1", "been_there", "--coder", "AB")
    assert list(_codings(root)["code_id"]) == ["generativity"]


def test_cli_code_add_errors_are_one_line(root) -> None:
    out = _run(root, "code", "add", "int-01:1", "gnerativity", "--coder", "AB", code=1)
    assert "[E340] Unknown code 'gnerativity'. Did you mean 'generativity'?" in out
    assert "[E353]" in _run(root, "code", "add", "int-01:1", "--coder", "AB", code=1)
    assert "Traceback" not in out and _codings(root).empty


def test_cli_search_code_and_undo(root) -> None:
    out = _run(root, "search", "vet", "--lemma", "--where", "role=peer mentor", "--code", "security_vetting",
               "--coder", "AB", "--segment")
    assert "3 hit(s) in 2 segment(s)" in out and "Coded 2 span(s) as security_vetting" in out
    batch = out.split("thematic undo ")[1].split("`")[0].strip()
    assert set(_codings(root)["suggester"]) == {"search:vet"}
    assert "removed 2 coding(s)" in _run(root, "undo", batch)
    assert _codings(root).empty
    assert "[E353]" in _run(root, "search", "vet", "--code", "funding", code=1)  # --code needs --coder


def test_cli_export_and_import_sheet(root, tmp_path) -> None:
    out_file = tmp_path / "SO.xlsx"
    assert "4 segment(s) × 6 code(s)" in _run(root, "export", "sheet", "--coder", "SO", "--out", str(out_file))
    wb = openpyxl.load_workbook(out_file)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    ws.cell(2, cols["generativity"]).value = "x"
    ws.cell(3, cols["codes"]).value = "gnerativity"
    wb.save(out_file)
    out = _run(root, "import", "sheet", str(out_file), "--coder", "SO")
    assert "codings added" in out and "row 3: [W340] unknown code 'gnerativity'" in out
    assert list(_codings(root, coder="SO")["code_id"]) == ["generativity"]
    _run(root, "import", "sheet", str(out_file), "--coder", "SO", "--strict", code=1)
    assert "[E346]" in _run(root, "import", "sheet", str(out_file), "--coder", "AB", code=1)
