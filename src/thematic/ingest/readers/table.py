"""Load a CSV/TSV or XLSX sheet as rows of strings (formula cells give their cached values; Excel's error values,
``#N/A``, are empty cells, named in W016)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, time
from typing import Any

from ..._csvtext import unclosed_quote, unclosed_quote_detail
from ..._limits import DEFAULT_SIZE_LIMITS, sheet_rows, text_too_long
from ...errors import Errors, InputError, TranscriptParseError, Warnings
from ..checks import EXCEL_ERRORS
from ..normalise import normalise_text, read_text

Rows = list[list[str]]
_MAX_FORMULA_CHECK = 20_000_000  # bytes: re-open smaller workbooks to find formulas without saved values
_SHOW_CELLS = 8


def cell_text(value: Any) -> str:
    """A cell value as text: integers without ``.0``, dates in ISO 8601 (a date without a time as a date), empty
    for None; text with Excel's ``_xHHHH_`` escapes decoded, then normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0) and value.tzinfo is None:
        return value.date().isoformat()  # Excel stores a date as a datetime at midnight: 2023-04-21, not ...T00:00:00
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, str):  # Excel's _xHHHH_ escapes (_x000D_: a CR typed into the cell), undone as Excel does
        from openpyxl.utils.escape import unescape

        value = unescape(value)
    return normalise_text(str(value)).strip()


#: A number format that pads integers with zeros (``000``: 7 shows as 007), as SPSS and Excel exports keep ids.
_ZERO_PADDED = re.compile(r"0{2,}")


def _shown(cell: Any) -> Any:
    """A cell's value, an integer under a zero-padding number format as Excel shows it (``007``, not 7)."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 and float(value).is_integer():
        fmt = getattr(cell, "number_format", None)
        if isinstance(fmt, str) and _ZERO_PADDED.fullmatch(fmt):
            return str(int(value)).zfill(len(fmt))
    return value


class _AsShown:
    """A read-only sheet whose value rows (``iter_rows(values_only=True)``, as ``sheet_rows`` reads them) give
    integers under a zero-padding number format as Excel shows them."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws
        self.title = ws.title

    def reset_dimensions(self) -> None:
        if hasattr(self._ws, "reset_dimensions"):
            self._ws.reset_dimensions()

    def iter_rows(self, values_only: bool = True) -> Any:
        for row in self._ws.iter_rows():
            yield tuple(_shown(c) for c in row)


def _drop_empty(rows: Rows) -> Rows:
    return [r for r in rows if any(c for c in r)]


def _blank_errors(rows: Rows, path: str, where: Any, place: str = "") -> list[str]:
    """Empty each cell that holds an Excel error value; W016 naming them (``place``, then ``where(row, column)``:
    the cell as the file numbers it), or nothing when there is none."""
    cells: list[str] = []
    values: dict[str, None] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in EXCEL_ERRORS:
                values[text] = None
                cells.append(where(r, c))
                row[c] = ""
    if not cells:
        return []
    shown = place + ", ".join(cells[:_SHOW_CELLS]) + (f" and {len(cells) - _SHOW_CELLS} more" if len(cells) > _SHOW_CELLS else "")
    return [Warnings.W016.format(path=path, n=len(cells), values=", ".join(values), cells=shown)]


def load_csv(data: bytes, path: str, *, suffix: str = ".csv", keep_empty: bool = False) -> tuple[Rows, list[str]]:
    """Rows of a CSV/TSV file (delimiter sniffed among , ; tab |); ``keep_empty`` keeps blank rows, so a row's
    index is its record number.

    Raises:
        TranscriptParseError: [E104] when the CSV cannot be parsed, or a quote never closes (with its line).
    """
    text, warnings = read_text(data, path)
    if suffix == ".tsv":
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    if (line := unclosed_quote(text, delimiter)) is not None:
        raise TranscriptParseError(
            Errors.E104.format(path=f"{path}:{line}", kind="CSV", detail=unclosed_quote_detail(line)))
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long answer is not damage
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: Rows = []
    lines = [1]  # the line each record starts on (an answer may run over several)
    try:
        for row in reader:
            rows.append([c.strip() for c in row])
            lines.append(reader.line_num + 1)
    except csv.Error as exc:
        raise TranscriptParseError(
            Errors.E104.format(path=f"{path}:{reader.line_num}", kind="CSV", detail=exc)) from None
    warnings += _blank_errors(rows, path, lambda r, c: f"line {lines[r]} column {c + 1}")
    return (rows if keep_empty else _drop_empty(rows)), warnings


def _open_workbook(data: bytes, path: str, *, data_only: bool) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="Excel", detail=exc)) from None
    except Exception as exc:  # the XML parsers raise their own types
        if type(exc).__module__.startswith(("lxml", "xml", "defusedxml", "openpyxl")):
            raise TranscriptParseError(Errors.E104.format(path=path, kind="Excel", detail=exc)) from None
        raise


def _visible(wb: Any) -> list[Any]:
    """The worksheets Excel shows (not ``hidden`` or ``veryHidden``: a sheet of drop-down lists, say)."""
    return [ws for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]


def _sheet(wb: Any, path: str, sheet: str | None) -> Any:
    """The named sheet, else the first visible one (the first of all where every sheet is hidden)."""
    if sheet is None:
        return next(iter(_visible(wb)), wb.worksheets[0])
    if sheet not in wb.sheetnames:
        raise TranscriptParseError(Errors.E107.format(path=path, columns=f"(sheet '{sheet}')",
                                                      found=", ".join(wb.sheetnames), key=path))
    return wb[sheet]


def _missing_formula_values(data: bytes, path: str, sheet: str | None, rows: Rows) -> list[str]:
    from openpyxl.utils import get_column_letter

    wb = _open_workbook(data, path, data_only=False)
    try:
        missing = []
        for r, row in enumerate(sheet_rows(_sheet(wb, path, sheet), path)):
            for c, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    cached = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
                    if cached == "":
                        missing.append(f"{get_column_letter(c + 1)}{r + 1}")
        return missing
    finally:
        wb.close()


def _cell_texts(rows: list[tuple[Any, ...]], path: str, max_chars: int) -> Rows:
    """The rows' cells as text, counted as they are made: past ``max_chars`` E063 names the cell (many cells can
    point at one long shared string, so the text can outgrow the file by far)."""
    from openpyxl.utils import get_column_letter

    out: Rows = []
    total = 0
    for r, row in enumerate(rows, start=1):
        texts = []
        for c, value in enumerate(row, start=1):
            text = cell_text(value)
            total += len(text)
            if total > max_chars:
                raise text_too_long(path, f"by cell {get_column_letter(c)}{r}", max_chars)
            texts.append(text)
        out.append(texts)
    return out


def _holds_cells(ws: Any, rows: int = 50) -> bool:
    """Whether a sheet has a filled cell in its first ``rows`` rows (an empty ``Sheet2`` has none; nor, for this
    note, has a damaged sheet that is not read)."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    try:
        return any(v is not None and str(v).strip() for row in ws.iter_rows(max_row=rows, values_only=True)
                   for v in row)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, SyntaxError):  # XML parse errors are SyntaxErrors
        return False


def load_xlsx(data: bytes, path: str, *, sheet: str | None = None, keep_empty: bool = False,
              max_chars: int = DEFAULT_SIZE_LIMITS.max_file_bytes) -> tuple[Rows, list[str]]:
    """Rows of the first visible (or the named) sheet, as ``load_xlsx_sheet`` reads them."""
    rows, warnings, _, _ = load_xlsx_sheet(data, path, sheet=sheet, keep_empty=keep_empty, max_chars=max_chars)
    return rows, warnings


def load_xlsx_sheet(data: bytes, path: str, *, sheet: str | None = None, keep_empty: bool = False,
                    max_chars: int = DEFAULT_SIZE_LIMITS.max_file_bytes) -> tuple[Rows, list[str], str, list[str]]:
    """Rows of the first visible (or the named) sheet, its title, and (when no sheet is named) the other visible
    sheets that hold cells, which were not read; formula cells read as their cached values, error values
    (``#N/A``) as empty (W016 names them), and whole numbers under a zero-padding number format (``000``) as
    Excel shows them (``007``); ``keep_empty`` keeps blank rows, so a row's index is its sheet row number less one.

    Raises:
        TranscriptParseError: [E104] damaged workbook, [E107] unknown sheet.
        InputError: [E058] the sheet's real cells span more rows or cells than a spreadsheet holds, [E063] its
            cells' text runs past ``max_chars`` (``max_file_mb``, a character a byte).
    """
    wb = _open_workbook(data, path, data_only=True)
    try:
        ws = _sheet(wb, path, sheet)
        title = str(ws.title)
        raw = _cell_texts(sheet_rows(_AsShown(ws), path), path, max_chars)
        others = [] if sheet is not None else [str(o.title) for o in _visible(wb) if o is not ws and _holds_cells(o)]
    except InputError:
        raise
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="Excel", detail=exc)) from None
    finally:
        wb.close()
    warnings = []
    if len(data) <= _MAX_FORMULA_CHECK:
        missing = _missing_formula_values(data, path, sheet, raw)
        if missing:
            warnings.append(Warnings.W103.format(path=path, n=len(missing), cell=missing[0]))
    from openpyxl.utils import get_column_letter

    warnings += _blank_errors(raw, path, lambda r, c: f"{get_column_letter(c + 1)}{r + 1}", f"sheet '{title}' ")
    return (raw if keep_empty else _drop_empty(raw)), warnings, title, others
