"""W348 counts the exported segments missing from a sheet, even when the coder also copied a row.

A coder who deleted 3 rows and copied one row to the bottom got "[W348] 2 of the 36 rows exported are
not in the sheet": the count was rows exported minus rows present, so the copy (skipped with W345)
stood in for a deleted row, while 3 segments were in fact not recorded as seen. Now W348 counts the
distinct segment ids the sheet still holds, and says 3.
"""

from __future__ import annotations

import openpyxl

from coding.manual_support import codebook
from coding.test_double_coding import fill_many
from thematic.coding.sheet import export_sheet, import_sheet


def test_deleted_rows_are_counted_once_a_row_is_also_duplicated(store, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    ids = fill_many(store, n_docs=1, turns=12)
    path = export_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    gone = {rows[i][0] for i in (1, 4, 7)}
    kept = [r for r in rows if r[0] not in gone]
    ws.delete_rows(2, ws.max_row)
    for r in [*kept, list(kept[0])]:  # three rows deleted, the first copied to the bottom
        ws.append(r)
    wb.save(path)
    report = import_sheet(store, path, coder="SO", codebook=cb)
    w348 = [p.message for p in report.notes if p.code == "W348"]
    assert w348 and w348[0].startswith("3 of the 12 rows exported are not in the sheet")
    assert [p.code for p in report.unreadable] == ["W345"]
    assert set(store.coverage("SO")["segment_id"]) == set(ids) - gone


def test_a_copied_row_alone_is_no_w348(store, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    fill_many(store, n_docs=1, turns=6)
    path = export_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    ws.append([c.value for c in ws[2]])
    wb.save(path)
    report = import_sheet(store, path, coder="SO", codebook=cb)
    assert "W348" not in [p.code for p in report.notes]
