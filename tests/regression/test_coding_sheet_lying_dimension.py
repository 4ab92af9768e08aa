"""A coding sheet (or decision workbook) whose <dimension> tag lies must not hang `thematic import sheet`.

openpyxl padded every row to the tag's 16,384 columns and the reader zipped a million rows with them; the
reader now uses the real cells (E058 when they still span too much).
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from thematic import _limits
from thematic.errors import InputError


def _coding_sheet(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(["segment_id", "document", "text", "funding"])
    ws.append(["int-01:1", "int-01", "We had no money.", "1"])
    about = wb.create_sheet("about")
    about.append(["key", "value"])
    about.append(["coder", "SO"])
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    return path


def test_coding_sheet_with_lying_dimension_reads_real_rows(tmp_path: Path) -> None:
    from thematic.coding._sheet_xlsx import read_workbook

    path = _coding_sheet(tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = members[sheet].decode()
    start = xml.index("<dimension ref=\"") + len("<dimension ref=\"")
    xml = xml[:start] + "A1:XFD1048576" + xml[xml.index("\"", start):]
    members[sheet] = xml.replace(
        "</sheetData>", '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    t = time.perf_counter()
    data = read_workbook(path)
    assert time.perf_counter() - t < 20
    assert data.header == ["segment_id", "document", "text", "funding"]
    assert [n for n, _ in data.rows] == [2, 1048576]
    assert data.rows[0][1]["funding"] == "1"
    assert data.about == {"coder": "SO"}


def test_coding_sheet_spanning_too_many_cells_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding._sheet_xlsx import read_workbook

    monkeypatch.setattr(_limits, "MAX_SHEET_CELLS", 500)
    path = _coding_sheet(tmp_path)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["coding"]["ZZ3"] = "far"
    wb.save(path)
    with pytest.raises(InputError, match=r"\[E058\].*sheet\.xlsx.*'coding'"):
        read_workbook(path)
