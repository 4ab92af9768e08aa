"""A tiny .xlsx whose <dimension> tag lies (A1:XFD1048576) must not be padded to that size in memory.

openpyxl's read-only sheets pad every row to the tag's width and fill missing rows up to its height, so a
2 KB file could ask for 16 billion cells. Survey, participants.xlsx and coding-sheet reads use the real cells;
a sheet whose real cells still span too much is refused with E058 naming the file.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from thematic import _limits
from thematic.errors import InputError


def _lying_xlsx(path: Path, rows: list[list[str]], *, dimension: str, far: str | None = None) -> Path:
    """A real workbook of ``rows`` whose sheet claims ``dimension`` and, with ``far``, holds one more cell there."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    name = "xl/worksheets/sheet1.xml"
    xml = members[name].decode()
    start = xml.index("<dimension ref=\"") + len("<dimension ref=\"")
    xml = xml[:start] + dimension + xml[xml.index("\"", start):]
    if far:
        row = "".join(ch for ch in far if ch.isdigit())
        cell = f'<row r="{row}"><c r="{far}" t="inlineStr"><is><t>x</t></is></c></row>'
        xml = xml.replace("</sheetData>", cell + "</sheetData>")
    members[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return path


def test_survey_rows_are_not_padded_to_a_lying_dimension(tmp_path: Path) -> None:
    from thematic.ingest.readers.table import load_xlsx

    # a modest lie (702 columns x 3000 rows) so the old code pads without exhausting memory
    path = _lying_xlsx(tmp_path / "survey.xlsx", [["id", "answer"], ["r1", "I liked it"]],
                       dimension="A1:ZZ3000", far="A3000")
    assert path.stat().st_size < 10_000
    rows, _ = load_xlsx(path.read_bytes(), str(path))
    assert rows[:2] == [["id", "answer"], ["r1", "I liked it"]]
    assert max(len(r) for r in rows) <= 2


def test_full_size_lie_reads_only_real_cells_quickly(tmp_path: Path) -> None:
    from thematic.ingest.readers.table import load_xlsx

    path = _lying_xlsx(tmp_path / "survey.xlsx", [["id", "answer"], ["r1", "I liked it"]],
                       dimension="A1:XFD1048576", far="A1048576")
    t = time.perf_counter()
    rows, _ = load_xlsx(path.read_bytes(), str(path))
    assert rows == [["id", "answer"], ["r1", "I liked it"], ["x"]]
    assert time.perf_counter() - t < 20


def test_participants_xlsx_with_lying_dimension_is_read(tmp_path: Path) -> None:
    from thematic.ingest.participants import load_roster

    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    _lying_xlsx(raw / "participants.xlsx", [["participant_id", "role"], ["P01", "nurse"]],
                dimension="A1:XFD1048576", far="A1048576")
    roster = load_roster(raw / "participants.csv")
    assert "P01" in {p.id for p in roster.participants}


def test_sheet_spanning_too_many_cells_is_refused_with_e058(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.ingest.readers.table import load_xlsx

    monkeypatch.setattr(_limits, "MAX_SHEET_CELLS", 500)
    # real cells far apart: each row really ends in column ZZ (702), so it pads to 702 cells
    path = _lying_xlsx(tmp_path / "survey.xlsx", [["id", "answer"], ["r1", "I liked it"]],
                       dimension="A1:B2", far="ZZ3")
    with pytest.raises(InputError, match=r"\[E058\].*survey\.xlsx"):
        load_xlsx(path.read_bytes(), str(path))


def test_row_past_excels_last_row_is_refused_with_e058(tmp_path: Path) -> None:
    from thematic.ingest.readers.table import load_xlsx

    path = _lying_xlsx(tmp_path / "survey.xlsx", [["id", "answer"], ["r1", "I liked it"]],
                       dimension="A1:B2", far="A1048577")
    t = time.perf_counter()
    with pytest.raises(InputError, match=r"\[E058\].*survey\.xlsx.*1,048,576"):
        load_xlsx(path.read_bytes(), str(path))
    assert time.perf_counter() - t < 20
