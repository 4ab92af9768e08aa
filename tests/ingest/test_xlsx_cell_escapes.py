"""Excel's ``_xHHHH_`` escapes in string cells (``_x000D_`` for the carriage return of a CRLF typed or pasted into a
cell, as Qualtrics and SurveyMonkey exports hold) are decoded before the text is normalised, in survey workbooks and
in participants.xlsx; in an inline string ``_x005F_`` keeps a literal ``_x000D_`` as written (openpyxl itself strips
``x005F_`` from shared strings, so there the two cannot be told apart).

Before, every answer stored ``first line_x000D_\\nsecond line`` and so did each quote and export of it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster, load_roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

from .helpers import make_xlsx

ANSWERS = [["respondent_id", "site", "what_helped"],
           ["R01", "Leeds", "first line of what helped_x000D_\nsecond line"],
           ["R02", "York", "a literal _x005F_x000D_ stays as typed"],
           ["R03", "Leeds", "caf_x00E9_ on Tuesdays"]]
EXPECTED = ["first line of what helped\nsecond line", "a literal _x000D_ stays as typed", "café on Tuesdays"]


def _read(path: Path):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, f"data/raw/{path.name}", path.name, path.stem, {}, {"text_columns": ["what_helped"]})
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey()).document


def _as_shared_strings(data: bytes) -> bytes:
    """The workbook rewritten as Excel saves it: its inline strings moved to xl/sharedStrings.xml, as written."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    strings: list[str] = []

    def shared(m: re.Match[str]) -> str:
        strings.append(m.group(2))
        return f'<c r="{m.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', shared,
                   zin.read("xl/worksheets/sheet1.xml").decode(), flags=re.S)
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
           f'spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
           + "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings) + "</sst>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in zin.namelist():
            member = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                member = sheet.encode()
            elif name == "[Content_Types].xml":
                member = member.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                        b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                        b'+xml"/></Types>')
            elif name == "xl/_rels/workbook.xml.rels":
                member = member.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.'
                                        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                        b'Target="sharedStrings.xml"/></Relationships>')
            z.writestr(name, member)
        z.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def test_a_cell_holding_crlf_written_by_openpyxl_is_one_line_break(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "survey.xlsx", [["respondent_id", "what_helped"], ["R01", "a\r\nb"]])
    assert [s.text for s in _read(path).segments] == ["a\nb"]


def test_escapes_in_inline_strings_are_decoded(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "survey.xlsx", ANSWERS)
    doc = _read(path)
    assert [s.text for s in doc.segments] == EXPECTED
    assert "_x000D_\n" not in doc.text


def test_escapes_in_shared_strings_are_decoded(tmp_path: Path) -> None:
    inline = make_xlsx(tmp_path / "inline.xlsx", [ANSWERS[0], ANSWERS[1], ANSWERS[3]])
    path = tmp_path / "survey.xlsx"
    path.write_bytes(_as_shared_strings(inline.read_bytes()))
    assert b"helped_x000D_\n" in zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    doc = _read(path)
    assert [s.text for s in doc.segments] == [EXPECTED[0], EXPECTED[2]]
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == seg.text


def test_participants_xlsx_cells_are_decoded(tmp_path: Path) -> None:
    inline = make_xlsx(tmp_path / "inline.xlsx", [["participant_id", "site", "role"],
                                                   ["P01", "North_x000D_\nEast", "caf_x00E9_ owner"]])
    (tmp_path / "participants.xlsx").write_bytes(_as_shared_strings(inline.read_bytes()))
    roster = load_roster(tmp_path / "participants.csv")
    [p01] = roster.participants
    assert p01.id == "P01" and p01.attributes["site"] == "North\nEast" and p01.attributes["role"] == "café owner"
