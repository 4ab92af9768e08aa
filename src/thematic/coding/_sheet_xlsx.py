"""The .xlsx side of coding sheets: writing a readable, fill-in workbook and reading it back.

Presentation only (openpyxl): which rows and ticks go in is decided in ``sheet.py``. The file is
written to a temporary name and renamed, so a crash never leaves half a sheet behind.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from .._atomic import atomic_path
from .._csvtext import unclosed_quote, unclosed_quote_detail
from .._limits import check_workbook, sheet_rows
from .._spreadsheet import FORMULA_TRIGGERS
from ..errors import Errors, InputError

SHEET = "coding"
CODEBOOK_SHEET = "codebook"
ABOUT_SHEET = "about"
#: Excel's limit on the characters of one cell.
CELL_LIMIT = 32767

_WIDTHS = {"segment_id": 16, "document": 14, "speaker": 12, "participant": 11, "question": 30, "text": 64, "codes": 22, "memo": 30}
_CODE_WIDTH = 4.5


@dataclass(frozen=True, slots=True)
class SheetLayout:
    """What to write: the header, the rows, which columns are code columns, and notes for them."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    code_columns: Sequence[str]
    header_notes: Mapping[str, str]
    codebook_header: Sequence[str]
    codebook_rows: Sequence[Sequence[Any]]
    about: Mapping[str, str]


@dataclass(slots=True)
class SheetData:
    """What was read: header, data rows with their sheet row numbers, the about stamp, formulas."""

    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    about: dict[str, str]
    uncomputed: set[tuple[int, str]] = field(default_factory=set)


_NONCHARACTERS = re.compile(r"[\ud800-\udfff\ufffe\uffff]")


def clean_cell_text(value: str) -> str:
    """Text as it can be stored in a cell: XML-illegal characters dropped (control characters, and U+FFFE/U+FFFF
    an older thematic kept); over Excel's length cap, cut to it ending in a visible "…"."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = _NONCHARACTERS.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
    from .._spreadsheet import fit_cell

    return fit_cell(text, CELL_LIMIT)[0]


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean_cell_text(value)
        cell.data_type = "s"  # text starting with "=" stays text, never a formula
        cell.quotePrefix = value.startswith(FORMULA_TRIGGERS)
    else:
        cell.value = value
    return cell


def _coding_sheet(wb: Any, layout: SheetLayout) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.active
    ws.title = SHEET
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    codes = set(layout.code_columns)
    for j, name in enumerate(layout.header, start=1):
        cell = _put(ws, 1, j, name)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(text_rotation=90 if name in codes else 0, vertical="bottom", wrap_text=False)
        if name in layout.header_notes:
            cell.comment = Comment(layout.header_notes[name], "thematic", width=320, height=160)
        ws.column_dimensions[get_column_letter(j)].width = _CODE_WIDTH if name in codes else _WIDTHS.get(name, 14)
    ws.row_dimensions[1].height = max([110.0] + [6.2 * len(c) for c in layout.code_columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="top")
    for i, values in enumerate(layout.rows, start=2):
        for j, (name, value) in enumerate(zip(layout.header, values), start=1):
            if value is None or value == "":
                continue
            _put(ws, i, j, value).alignment = centre if name in codes else wrap
    text_col = layout.header.index("text") + 1 if "text" in layout.header else 5
    ws.freeze_panes = f"{get_column_letter(text_col + 1)}2"  # the header row, and every column up to the text
    last = len(layout.rows) + 1
    if layout.code_columns and layout.rows:
        dv = DataValidation(type="list", formula1='"1,x"', allow_blank=True, errorStyle="warning",
                            showErrorMessage=True, errorTitle="Tick with 1 or x",
                            error="Type 1 or x to apply the code; leave empty otherwise.",
                            promptTitle="Apply this code?", prompt="1 or x = applies; empty = does not.")
        cols = [layout.header.index(c) + 1 for c in layout.code_columns]
        dv.add(f"{get_column_letter(min(cols))}2:{get_column_letter(max(cols))}{last}")
        ws.add_data_validation(dv)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(layout.header))}{last}"


def _plain_sheet(wb: Any, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 widths: Mapping[str, float]) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for j, name in enumerate(header, start=1):
        _put(ws, 1, j, name).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(j)].width = widths.get(name, 18)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, values in enumerate(rows, start=2):
        for j, value in enumerate(values, start=1):
            if value not in (None, ""):
                _put(ws, i, j, value).alignment = wrap
    ws.freeze_panes = "A2"
    return ws


def write_workbook(path: str | Path, layout: SheetLayout) -> Path:
    """Write the coding sheet, the codebook sheet and the (hidden) about sheet, atomically."""
    from openpyxl import Workbook

    target = Path(path)
    wb = Workbook()
    _coding_sheet(wb, layout)
    _plain_sheet(wb, CODEBOOK_SHEET, layout.codebook_header, layout.codebook_rows,
                 {"id": 26, "label": 30, "theme": 22, "parent": 22, "definition": 70, "include": 45, "exclude": 45})
    about = _plain_sheet(wb, ABOUT_SHEET, ["key", "value"], list(layout.about.items()), {"key": 18, "value": 60})
    about.sheet_state = "hidden"
    try:
        with atomic_path(target) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise InputError(Errors.E407.format(path=target, detail=exc.strerror or exc)) from exc
    return target


def _load(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=data_only, read_only=True)
    except FileNotFoundError as exc:
        raise InputError(Errors.E021.format(path=path, detail="no such file")) from exc
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(Errors.E345.format(path=path, detail=f"not an .xlsx workbook: {exc}")) from exc


def _sheet_to_read(wb: Any) -> str:
    """The coding sheet's title: ``coding``, else the first sheet whose row 1 has a segment_id column."""
    if SHEET in wb.sheetnames:
        return SHEET
    for ws in wb.worksheets:
        if ws.title in (ABOUT_SHEET, CODEBOOK_SHEET):
            continue
        ws.reset_dimensions()  # the <dimension> tag can lie: row 1 ends at its own last cell
        first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        if any(str(h).strip() == "segment_id" for h in first if h is not None):
            return str(ws.title)
    return str(wb.worksheets[0].title)


def _rows(wb: Any, title: str, path: Path) -> list[tuple[Any, ...]]:
    return sheet_rows(wb[title], str(path))


def _check_header(header: list[str], path: Path) -> None:
    """A column named twice is ambiguous (which one did the coder fill in?): refuse before reading a row."""
    from openpyxl.utils import get_column_letter

    first: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        if h and h in first:
            raise InputError(Errors.E345.format(path=path, detail=(
                f"column '{h}' appears twice (columns {get_column_letter(first[h])} and {get_column_letter(i)}); "
                "delete or rename one, then import again")))
        first.setdefault(h, i)


def _read_csv(p: Path) -> SheetData:
    """A coding sheet saved as CSV (Excel's "Save as CSV"): its values, without the hidden about stamp."""
    import csv
    import io

    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(Errors.E021.format(path=p, detail=exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the header row has no quoted commas: its separator is the commonest
    if (line := unclosed_quote(text, delimiter)) is not None:
        raise InputError(Errors.E345.format(path=f"{p}:{line}", detail=unclosed_quote_detail(line)))
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long memo is not damage
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(Errors.E345.format(path=f"{p}:{reader.line_num}",
                                            detail=f"not a readable CSV: {exc}")) from exc
    if not rows:
        raise InputError(Errors.E345.format(path=p, detail="the CSV file is empty"))
    header = [h.strip() for h in rows[0]]
    _check_header(header, p)
    data = SheetData(header=header, rows=[], about={})
    for n, row in enumerate(rows[1:], start=2):
        record = {h: (v if v != "" else None) for h, v in zip(header, row) if h}
        if any(v not in (None, "") for v in record.values()):
            data.rows.append((n, record))
    return data


def _check_stamp(about: Mapping[str, str], path: Path) -> None:
    """A ``codebook_version`` in the hidden stamp that is not a version was edited: what the columns meant is lost."""
    from ..codebook.semver import is_semver

    version = about.get("codebook_version")
    if version is not None and not is_semver(version):
        shown = version if len(version) <= 40 else version[:39] + "…"
        raise InputError(Errors.E345.format(path=path, detail=(
            f"its hidden 'about' sheet gives codebook_version '{shown}', which is not a version; the stamp was "
            "changed after export")))


def _about(rows: Sequence[Sequence[Any]]) -> dict[str, str]:
    """The hidden stamp's key/value rows (after its header); a key whose value cell was cleared has an empty value."""
    about = {}
    for row in rows[1:]:
        if row and row[0] is not None:
            value = row[1] if len(row) > 1 else None
            about[str(row[0])] = "" if value is None else str(value)
    return about


def read_workbook(path: str | Path) -> SheetData:
    """Read a filled-in coding sheet: cached values of formulas, and where a formula has none."""
    p = Path(path)
    check_workbook(p, str(p))
    if p.suffix.lower() == ".csv":
        return _read_csv(p)
    values_wb, formulas_wb = _load(p, data_only=True), _load(p, data_only=False)
    try:
        title = _sheet_to_read(values_wb)
        values = _rows(values_wb, title, p)
        formulas = _rows(formulas_wb, title, p)
        about_rows = _rows(values_wb, ABOUT_SHEET, p) if ABOUT_SHEET in values_wb.sheetnames else []
    finally:
        values_wb.close()
        formulas_wb.close()
    if not values:
        raise InputError(Errors.E345.format(path=p, detail=f"sheet '{title}' is empty"))
    header = ["" if h is None else str(h).strip() for h in values[0]]
    _check_header(header, p)
    data = SheetData(header=header, rows=[], about=_about(about_rows))
    _check_stamp(data.about, p)
    for n, row in enumerate(values[1:], start=2):
        record = {h: v for h, v in zip(header, row) if h}
        if all(v in (None, "") for v in record.values()):
            continue
        data.rows.append((n, record))
        f_row = formulas[n - 1] if n - 1 < len(formulas) else ()
        for h, v, f in zip(header, row, f_row):
            if h and v is None and isinstance(f, str) and f.startswith("="):
                data.uncomputed.add((n, h))
    return data


__all__ = ["CELL_LIMIT", "SheetData", "SheetLayout", "clean_cell_text", "read_workbook", "write_workbook"]
