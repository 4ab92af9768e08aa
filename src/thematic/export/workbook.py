"""Every analysis table as a sheet of one Excel workbook (openpyxl), readable as it opens.

An ``About`` sheet lists the sheets and what each holds; each sheet has a bold frozen header, a
filter, fitted column widths and wrapped long text.
"""

from __future__ import annotations

import re
import shlex
import warnings
from pathlib import Path
from typing import Mapping

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .._atomic import atomic_path
from .._spreadsheet import SHEET_COLUMNS, SHEET_ROWS, XML_ILLEGAL, fits_sheet, protect_sheet
from ..errors import Errors, InputError, Warnings
from ..ingest.export import TEXT_FIX, xlsx_cell_text

_BAD = re.compile(r"[\[\]:*?/\\]")


class CellsCutWarning(UserWarning):
    """W109: cells over Excel's 32,767 characters were cut (ending in "…"), as every xlsx export does."""


#: E108's advice for a memo an older thematic stored: coding the same span again with a new memo replaces it.
MEMO_FIX = ("It is in a memo (an older thematic stored it): replace the memo by coding the same passage again with a "
            "new one, `{command}` (or study.code with memo=).")
_SPAN = ("document_id", "start", "end", "code_id", "coder")


def _fix_for(flat: pd.DataFrame, column: str, i: int) -> str:
    """E108's advice for cell ``i`` of ``column``: for a coding's memo, the command that replaces it."""
    if column != "memo":
        return TEXT_FIX
    span = [flat[c].iloc[i] if c in flat.columns else None for c in _SPAN]
    if any(v is None or v is pd.NA or (isinstance(v, float) and v != v) for v in span):
        return MEMO_FIX.format(command="thematic code add SEGMENT CODE --coder CODER --memo 'NEW MEMO'")
    doc, start, end, code, coder = span
    command = shlex.join(["thematic", "code", "add", "--document", str(doc), "--start", str(int(start)), "--end",
                          str(int(end)), str(code), "--coder", str(coder), "--memo", "NEW MEMO"])
    return MEMO_FIX.format(command=command)


def _cells_for_excel(flat: pd.DataFrame, out: Path, sheet: str) -> tuple[pd.DataFrame, int]:
    """``flat`` with every text cell as xlsx can hold it (``xlsx_cell_text``), and how many cells were cut."""
    cut, result = 0, flat
    for j, column in enumerate(flat.columns):
        values = flat.iloc[:, j]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        cells = values.tolist()
        changed = False
        for i, value in enumerate(cells):
            if isinstance(value, str):
                where = f"sheet '{sheet}', row {i + 2}, column '{column}'"
                fix = _fix_for(flat, column, i) if XML_ILLEGAL.search(value) else TEXT_FIX
                held, was_cut = xlsx_cell_text(value, out, where, fix)
                if was_cut:
                    cells[i], cut, changed = held, cut + 1, True
        if changed:
            result = result.copy() if result is flat else result
            result.isetitem(j, pd.Series(cells, index=flat.index, dtype=values.dtype))
    return result, cut


def flat_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Index into columns (matrices keep their row labels) and plain column names."""
    out = df if isinstance(df.index, pd.RangeIndex) else df.reset_index()
    out = out.copy()
    out.columns = [str(c) for c in out.columns]
    return out


def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (no []:*?/\\, at most 31 characters)."""
    out: list[str] = []
    for name in names:
        base = _BAD.sub("-", str(name)).strip("'") or "Sheet"
        candidate, i = base[:31], 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f" ({i})"
            candidate, i = base[: 31 - len(suffix)] + suffix, i + 1
        out.append(candidate)
    return out


_LIMITS = {"limit_rows": SHEET_ROWS, "limit_columns": SHEET_COLUMNS}


def _flat_size(df: pd.DataFrame) -> tuple[int, int]:
    """The rows and columns of ``flat_frame(df)``, without building it."""
    return len(df), df.shape[1] + (0 if isinstance(df.index, pd.RangeIndex) else df.index.nlevels)


def _as_sheet(df: pd.DataFrame, out: Path, name: str) -> tuple[pd.DataFrame | None, str | None]:
    """``df`` flat as one Excel sheet holds it and the warning to give: as it is, turned (its columns as rows, W032)
    when it is only too wide, or None with W033 when it fits neither way."""
    rows, columns = _flat_size(df)
    if fits_sheet(rows, columns):
        return flat_frame(df), None
    size = {"path": out, "sheet": name, "rows": rows, "columns": columns, **_LIMITS}
    if not fits_sheet(df.shape[1], df.shape[0] + df.columns.nlevels):
        return None, Warnings.W033.format(**size)
    turned = df.T
    if turned.index.nlevels == 1 and turned.index.name is None:
        turned = turned.rename_axis(index="column")
    turned = flat_frame(turned)
    return turned, Warnings.W032.format(**size, turned_rows=turned.shape[0], turned_columns=turned.shape[1])


def _format_sheet(ws, df: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "B2" if df.shape[1] > 3 else "A2"
    if ws.max_row > 1 and ws.max_column:
        ws.auto_filter.ref = ws.dimensions
    for j, col in enumerate(df.columns, start=1):
        values = [str(col)] + [str(v) for v in df[col].head(500).tolist()]
        width = min(60, max(8, max(len(v) for v in values) + 2))
        ws.column_dimensions[get_column_letter(j)].width = width
        if width >= 60:
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell[0].alignment = Alignment(wrap_text=True, vertical="top")
        if str(col).startswith("pct") or str(col).endswith("_pct"):
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell[0].number_format = "0.0"
        elif df[col].dtype.kind == "f":
            for cell in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell[0].number_format = "0.000"


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path, *,
                   descriptions: Mapping[str, str] | None = None) -> Path:
    """Write each table to its own sheet (after an ``About`` sheet when ``descriptions`` are given); a cell over
    Excel's limit is cut with "…" and warned about once (W109, a ``CellsCutWarning``). A table wider than an
    Excel sheet is written turned (W032); one that fits neither way is left out (W033, and the About sheet says so).

    Raises:
        InputError: [E405] not .xlsx, [E407] cannot write, [E108] a character no XML file can hold, [E526] no
            table fits an Excel sheet (nothing written).
    """
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise InputError(Errors.E405.format(path=out, format=out.suffix.lstrip(".") or "(none)", allowed="xlsx"))
    names = sheet_names(["About", *tables])[1:] if descriptions else sheet_names(list(tables))
    contents = {n: (descriptions or {}).get(key, "") for n, key in zip(names, tables)}
    sheets, cut, told = [], 0, []
    for name, df in zip(names, tables.values()):  # before the writer opens: E108 leaves no file behind
        held, warning = _as_sheet(df, out, name)
        if warning:
            told.append(warning)
        if held is None:
            rows, columns = _flat_size(df)
            contents[name] = (f"Not in this workbook: {rows:,} rows x {columns:,} columns is more than an Excel "
                              "sheet holds; `thematic export tables --out FOLDER` writes it whole as CSV. "
                              + contents[name]).strip()
            continue
        if warning:
            contents[name] = (contents[name] + " Written turned (one row per column): the table has more columns "
                              "than an Excel sheet holds.").strip()
        flat, n = _cells_for_excel(held, out, name)
        sheets.append((name, flat))
        cut += n
    if tables and not sheets:
        rows, columns = _flat_size(next(iter(tables.values())))
        raise InputError(Errors.E526.format(path=out, sheet=names[0], rows=rows, columns=columns, **_LIMITS))
    try:
        with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            if descriptions:
                about = pd.DataFrame({"sheet": names, "contents": [contents[n] for n in names]})
                about.to_excel(writer, sheet_name="About", index=False)
                _format_sheet(writer.sheets["About"], about)
                protect_sheet(writer.sheets["About"])
            for name, flat in sheets:
                flat.to_excel(writer, sheet_name=name, index=False)
                _format_sheet(writer.sheets[name], flat)
                protect_sheet(writer.sheets[name])
    except OSError as exc:
        raise InputError(Errors.E407.format(path=out, detail=exc.strerror or exc)) from exc
    for message in told:
        warnings.warn(message, UserWarning, stacklevel=2)
    if cut:
        warnings.warn(Warnings.W109.format(path=out, n=cut), CellsCutWarning, stacklevel=2)
    return out
