"""A tick under a column that is no code at all (a header a coder mistyped) skips its row, as other W340 ticks do.

A coder who renamed the header ``funding`` to ``fundng`` by accident and ticked it got W340 for the column, but
the rows were still imported and recorded as seen: agreement read each of those ticks as the coder deciding
"no funding here". Now a row with a tick under a column that is not a code is skipped (nothing imported, not
recorded as seen), W340 names the row and the column, and the column's W340 says so; a column of notes (text,
not ticks) skips nothing.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from coding.sheet_release_support import codes_of, fill, make_study
from thematic.study import Study


def test_a_tick_under_a_mistyped_code_column_skips_its_row(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    book = openpyxl.load_workbook(sheet)
    header = book["coding"][1]
    next(c for c in header if c.value == "funding").value = "fundng"
    book.save(sheet)
    filled = fill(sheet, tmp_path / "SO-filled.xlsx", {("beta:1", "fundng"): "x", ("alpha:1", "money"): "x",
                                                        ("alpha:3", "notes"): "ask HT about this"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")
        seen = set(study.seen("SO")["segment_id"])
        assert "beta:1" not in seen and {"alpha:1", "alpha:3"} <= seen
        assert codes_of(study, "SO") == {("alpha:1", "money")}
        assert report.skipped == 1
        rows = [p for p in report.unknown_codes if p.line != 1]
        assert len(rows) == 1 and rows[0].code == "W340" and "'fundng'" in rows[0].message
        assert "not recorded as seen" in rows[0].message
        column = [p for p in report.unknown_codes if p.line == 1 and "'fundng'" in p.message]
        assert len(column) == 1 and "Did you mean 'funding'?" in column[0].message and "skipped" in column[0].message
