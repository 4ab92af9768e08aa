"""Files other people send printed a Python traceback instead of an error: a 5,000-digit number in a gold .jsonl
or in thematic.toml (Python refuses to read integers over 4,300 digits), a coding sheet saved as CSV with a cell
over 131,072 characters (the csv module's field limit), a row of a sheet's hidden 'about' sheet with a key and no
value, and a REFI selection position of 5,000 digits. Each is now a clear error (or, for the REFI position, the
[W512] warning for a position that cannot be used) naming the file and the line."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from thematic.coding._sheet_xlsx import read_workbook
from thematic.coding.evaluate import read_gold
from thematic.config import load_config
from thematic.errors import InputError, StudyError
from thematic.refi import import_refi

HUGE = "1" * 5000


def test_a_gold_line_with_a_5000_digit_number_is_e374_with_its_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a:1", "text": "x", "codes": []}\n{"id": ' + HUGE + ', "text": "y", "codes": []}\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E374\] .*gold\.jsonl:2: not JSON .*digits"):
        read_gold(gold)


def test_thematic_toml_with_a_5000_digit_number_is_e003_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "thematic.toml"
    path.write_text(f'[study]\nname = "S"\n\n[limits]\nmax_file_mb = {HUGE}\n', encoding="utf-8")
    with pytest.raises(StudyError, match=r"\[E003\] .*thematic\.toml: invalid thematic\.toml: .*line 5"):
        load_config(path)


def test_a_sheet_csv_with_a_cell_over_the_csv_field_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    memo = "memo " * 40000
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["segment_id", "text", "c1", "memo"], ["int1:1", "Hello", "x", memo]])
    data = read_workbook(path)
    assert data.rows == [(2, {"segment_id": "int1:1", "text": "Hello", "c1": "x", "memo": memo})]


def test_an_about_row_with_a_key_and_no_value_is_read_as_empty(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "coding"
    ws.append(["segment_id", "text", "c1"])
    ws.append(["int1:1", "Hello", "x"])
    about = wb.create_sheet("about")
    about.append(["key", "value"])
    about.append(["coder", "AB"])
    about.append(["note"])  # the value cell cleared: Excel stores no B cell at all
    wb.save(tmp_path / "sheet.xlsx")
    data = read_workbook(tmp_path / "sheet.xlsx")
    assert data.about == {"coder": "AB", "note": ""}
    assert [n for n, _ in data.rows] == [2]


def test_a_refi_position_of_5000_digits_is_w512_not_a_traceback(tmp_path: Path) -> None:
    g = "B2000000-0000-4000-8000-0000000000{:02d}".format
    qde = tmp_path / "p.qde"
    qde.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" '
        f'origin="QualCoder 3.5"><Users><User guid="{g(90)}" name="AB"/></Users><CodeBook><Codes>'
        f'<Code guid="{g(91)}" name="Rent" isCodable="true"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{g(92)}" name="doc"><PlainTextContent>Host: Hello. Guest: the rent.</PlainTextContent>'
        f'<PlainTextSelection guid="{g(1)}" startPosition="{HUGE}" endPosition="20" creatingUser="{g(90)}">'
        f'<Coding guid="{g(41)}" creatingUser="{g(90)}"><CodeRef targetGUID="{g(91)}"/></Coding>'
        f"</PlainTextSelection></TextSource></Sources></Project>", encoding="utf-8")
    report = import_refi(qde, tmp_path / "st")
    assert report.imported["codings"] == 0
    w512 = [w for w in report.not_carried_over if w.startswith(f"[W512] doc: selection {g(1)}")]
    assert w512 and len(w512[0]) < 600, report.not_carried_over
