"""Text that goes into a spreadsheet or CSV can never become a live formula (OWASP CSV injection).

A memo, survey answer or code label that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would run as a formula when the file is opened in Excel or LibreOffice. In CSV such a field
gets a leading single quote (OWASP's rule), so ``=SUM(A1)`` is written ``'=SUM(A1)``; in XLSX the
text is stored as a string cell with Excel's own quote-prefix flag, so it shows unchanged and stays
text. Every CSV/XLSX export goes through ``write_csv`` / ``csv_text`` / ``protect_sheet`` /
``text_cell`` here.

Rows end in ``\n``, and any field holding a line break, a lone carriage return included, is quoted:
csv, pandas and Excel read a bare CR as the end of a row, so an unquoted one would split the row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

import pandas as pd

#: Leading characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Characters no .xlsx or .docx file (XML 1.0) can hold: control characters other than tab and line ends, lone
#: surrogates, U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The most a spreadsheet cell holds, in UTF-16 units as Excel counts it (an emoji is two).
CELL_UNITS = 32_767
#: The most rows (the header row included) and columns an Excel sheet holds.
SHEET_ROWS, SHEET_COLUMNS = 1_048_576, 16_384


def fits_sheet(rows: int, columns: int) -> bool:
    """Whether a table of ``rows`` data rows (plus a header row) and ``columns`` columns fits one Excel sheet."""
    return rows + 1 <= SHEET_ROWS and columns <= SHEET_COLUMNS


def excel_length(text: str) -> int:
    """``text``'s length as Excel counts it against its cell limit: UTF-16 units, so an emoji counts as two."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit_cell(text: str, limit: int = CELL_UNITS) -> tuple[str, bool]:
    """``text`` cut to ``limit`` UTF-16 units ending in a visible "…" (never inside a character), and whether it
    was cut: Excel measures its cell limit in UTF-16 units, and a longer cell makes it report the file damaged."""
    if len(text) <= limit // 2 or excel_length(text) <= limit:
        return text, False
    room = limit - 1
    out: list[str] = []
    for ch in text:
        room -= 2 if ord(ch) > 0xFFFF else 1
        if room < 0:
            break
        out.append(ch)
    return "".join(out) + "…", True


_CHARACTER_NAMES = {"\x0b": "a vertical tab, Word's line break", "\x0c": "a form feed, Word's page break"}


def illegal_character(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that no Excel or Word file can hold, as its position (counted from 1) and
    its name (``U+000B (a vertical tab, Word's line break)``); None when there is none."""
    bad = XML_ILLEGAL.search(text)
    if bad is None:
        return None
    char = bad.group()
    return bad.start() + 1, f"U+{ord(char):04X}" + (f" ({_CHARACTER_NAMES[char]})" if char in _CHARACTER_NAMES else "")


def check_memo(memo: str | None, where: str = "") -> None:
    """[E362] for a memo holding a character no Excel or Word file can hold: refused where it is typed, since
    every .xlsx export of the codings would otherwise stop on it (``where`` names the place, e.g. " (row 4)")."""
    found = illegal_character(memo) if isinstance(memo, str) else None
    if found is not None:
        from .errors import Errors, InputError

        raise InputError(Errors.E362.format(where=where, position=found[0], char=found[1]))


def escape_text(value: str) -> str:
    """``value`` with a leading single quote when it starts with a formula trigger."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _escape(value: Any) -> Any:
    return escape_text(value) if isinstance(value, str) else value


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names are escaped for CSV (numbers untouched)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object or isinstance(s.dtype, pd.StringDtype) or str(s.dtype).startswith(("string", "str")):
            risky = s.astype("string").str.startswith(FORMULA_TRIGGERS).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[col] = s.astype(object).where(~risky, s[risky].map(_escape).astype(object))
    out.columns = [_escape(c) for c in out.columns]
    return out


#: A quoted CSV field (its quotes doubled inside) or a CRLF row end, for ``lf_rows``.
_QUOTED_OR_ROW_END = re.compile(r'"[^"]*(?:""[^"]*)*"|\r\n')


def lf_rows(text: str) -> str:
    """CSV written with CRLF row ends turned into LF row ends; line breaks inside quoted fields are kept.

    Python's csv module quotes a field only for the characters of its line terminator, so CSV that must
    quote a lone CR is written with ``\r\n`` row ends first and converted here.
    """
    return _QUOTED_OR_ROW_END.sub(lambda m: "\n" if m.group() == "\r\n" else m.group(), text)


def _frame_csv(df: pd.DataFrame, *, index: bool, **kwargs: Any) -> str:
    """The CSV text of ``df`` (already escaped): LF row ends, every field holding a CR or LF quoted."""
    text = str(df.to_csv(index=index, lineterminator="\n", **kwargs))
    if "\r" not in text:
        return text
    return lf_rows(str(df.to_csv(index=index, lineterminator="\r\n", **kwargs)))


def write_csv(df: pd.DataFrame, path: str | Path | IO[str], *, index: bool = False, encoding: str = "utf-8-sig",
              **kwargs: Any) -> None:
    """``df.to_csv`` with every text field escaped (UTF-8 with BOM by default, so Excel reads accents).

    Raises:
        StudyError: [E117] the file cannot be written.
    """
    text = _frame_csv(escape_frame(df), index=index, **kwargs)
    if isinstance(path, (str, Path)):
        from .errors import Errors, StudyError

        try:
            with open(path, "w", encoding=encoding, newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise StudyError(Errors.E117.format(path=path, detail=exc.strerror or exc)) from None
    else:
        path.write(text)


def csv_text(df: pd.DataFrame, *, index: bool = False) -> str:
    """The escaped CSV of ``df`` as a string (for stdout or an atomic write)."""
    return _frame_csv(escape_frame(df), index=index)


def protect_sheet(ws: Any) -> None:
    """Make every text cell of an openpyxl worksheet that looks like a formula a quote-prefixed string."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                cell.data_type = "s"
                cell.quotePrefix = True


def text_cell(ws: Any, value: str) -> Any:
    """A write-only cell holding ``value`` as text, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    if value.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell
