"""A formula with no saved value in a sheet's ``codes`` or ``memo`` column is W344, and the row is skipped.

The W344 check looked only at the tick columns, so ``=CONCATENATE("shared_","experience")`` in
``codes`` (written by openpyxl, never opened in Excel) was read as empty: the row was recorded as
seen with no code, no warning, and ``--strict`` exited 0; a formula memo vanished. The workbooks are
real .xlsx files filled in with openpyxl, fictional data.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from coding.manual_support import codebook, fill_store, fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.coding.sheet import export_sheet, import_sheet

runner = CliRunner()


def _fill(path: Path, cells: dict[tuple[str, str], object]) -> dict[str, int]:
    """Write ``(segment_id, column) -> value`` into the sheet; returns the sheet row of each segment."""
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (sid, col), value in cells.items():
        ws.cell(rows[sid], cols[col]).value = value
    wb.save(path)
    return rows


@pytest.fixture
def filled(store):
    return fill_store(store)


def test_formulas_in_codes_and_memo_skip_the_row_with_w344(filled, tmp_path) -> None:
    cb = codebook()
    path = export_sheet(filled, tmp_path / "HT.xlsx", coder="HT", codebook=cb).path
    rows = _fill(path, {("int-01:1", "codes"): '=CONCATENATE("shared_","experience")',
                        ("int-01:3", "funding"): 1, ("int-01:3", "memo"): "=A1",
                        ("int-02:1", "funding"): "x"})
    report = import_sheet(filled, path, coder="HT", codebook=cb)
    found = sorted((p.line, p.code) for p in report.unreadable)
    assert found == [(rows["int-01:1"], "W344"), (rows["int-01:3"], "W344")]
    messages = " ".join(p.message for p in report.unreadable)
    assert "column 'codes'" in messages and "column 'memo'" in messages
    assert not report.ok
    seen = set(filled.coverage("HT")["segment_id"])
    assert "int-01:1" not in seen and "int-01:3" not in seen  # skipped rows are not recorded as seen
    assert {"int-02:1", "int-02:3"} <= seen
    codings = filled.codings(coder="HT")
    assert set(zip(codings["segment_id"], codings["code_id"])) == {("int-02:1", "funding")}


def test_strict_import_fails_on_a_formula_in_codes(study, tmp_path) -> None:
    fill_study(study)
    path = export_sheet(study.store, tmp_path / "HT.xlsx", coder="HT", codebook=study.codebook).path
    _fill(path, {("int-01:1", "codes"): '=CONCATENATE("shared_","experience")'})
    root = study.root
    study.close()
    result = runner.invoke(app, ["import", "sheet", str(path), "--coder", "HT", "--strict", "--study", str(root)],
                           env={"COLUMNS": "200"})
    assert result.exit_code != 0, result.output
    assert "W344" in result.output
