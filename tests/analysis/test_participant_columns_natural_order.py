"""The code x participant matrix ordered participants as strings (``P1, P10, P11, P2, P3``) in
``tables matrix --columns participant`` and the workbook's "Code x participant" sheet, while quotes,
document labels and every group use natural order. Its columns are now in natural order too:
``P1, P2, P3, P10, P11``."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from analysis.quote_support import quote_study

NATURAL = ["P1", "P2", "P3", "P10", "P11"]


def test_matrix_and_workbook_columns_are_in_natural_order(tmp_path: Path) -> None:
    files = {f"interview-{i}.txt": f"Interviewer: Hi\nP{i}: I trust my family.\n" for i in (11, 3, 10, 1, 2)}
    study = quote_study(tmp_path, files)
    study.code("interview-2:1", "trust", coder="HT")
    assert list(study.code_matrix(columns="participant").columns) == NATURAL
    out = study.report_workbook(tmp_path / "tables.xlsx")
    sheet = load_workbook(out, read_only=True)["Code x participant"]
    header = [c for c in next(sheet.iter_rows(values_only=True)) if c is not None]
    assert header[-5:] == NATURAL, header
    row = {h: v for h, v in zip(header, next(sheet.iter_rows(min_row=2, values_only=True)))}
    assert (row["P2"], row["P10"]) == (1, 0)
    study.close()
