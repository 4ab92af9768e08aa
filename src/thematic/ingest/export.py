"""Segments as a table for sharing: CSV, XLSX or Parquet, with participant attributes joined.

Columns: document, segment_id, index, start, end, speaker, participant, role, is_interviewer,
kind, time_start, time_end, question, text, then one column per participant attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._atomic import atomic_path
from .._personal import without_personal
from .._spreadsheet import SHEET_COLUMNS, SHEET_ROWS, fits_sheet, text_cell, write_csv
from .._formats import check_suffix
from ..errors import Errors, InputError, StudyError, Warnings
from ..store import Store

FORMATS = ("csv", "xlsx", "parquet")
BASE_COLUMNS = ("document", "segment_id", "index", "start", "end", "speaker", "participant", "role",
                "is_interviewer", "kind", "time_start", "time_end", "question", "text")
XLSX_CELL_LIMIT = 32_767
#: Characters XML 1.0 cannot hold (openpyxl and lxml refuse them): C0 controls but tab and line ends, lone
#: surrogates, U+FFFE and U+FFFF. Ingest drops them from text; an older study may still hold U+FFFF.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: the file, how many rows, and any warnings (cut cells)."""

    path: Path
    rows: int
    warnings: tuple[str, ...] = ()


#: E108's advice for text: an older thematic kept the character from a transcript.
TEXT_FIX = ("An older thematic kept it from a transcript: run `thematic ingest --force` to read the transcripts "
            "again without it (codings follow their passages, their quotes read again without it).")


def segments_table(store: Store, *, document: str | Iterable[str] | None = None,
                   include_interviewer: bool = True) -> pd.DataFrame:
    """Segments with speaker, participant, role and participant attributes (see the module docstring);
    name and contact columns of participants.csv are left out."""
    docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
    with store.snapshot():  # the segments and the participants they name from one moment
        if docs is not None:
            known = list(store.document_hashes())
            for doc in docs:
                if doc not in known:
                    raise InputError(Errors.E408.format(pattern=doc, examples=", ".join(known[:3]) or "(none stored)"))
        seg = store.segments(document=docs, include_interviewer=include_interviewer)
        people = without_personal(store.participants())
    out = pd.DataFrame({
        "document": seg["document_id"], "segment_id": seg["segment_id"], "index": seg["index"],
        "start": seg["start"], "end": seg["end"], "speaker": seg["speaker"], "participant": seg["participant_id"],
        "is_interviewer": seg["is_interviewer"], "kind": seg["kind"], "time_start": seg["time_start"],
        "time_end": seg["time_end"], "question": seg["question"], "text": seg["text"],
    })
    attrs = people.rename(columns={c: (f"participant_{c}" if c in BASE_COLUMNS and c != "role" else c)
                                   for c in people.columns if c != "participant_id"})
    out = out.merge(attrs, how="left", left_on="participant", right_on="participant_id").drop(columns="participant_id")
    role = out["role"].astype("string") if "role" in out else pd.Series(pd.NA, index=out.index, dtype="string")
    out["role"] = role.mask(role.isna() & out["is_interviewer"].fillna(False).astype(bool), "interviewer")
    extra = [c for c in out.columns if c not in BASE_COLUMNS]
    return out[list(BASE_COLUMNS) + extra].reset_index(drop=True)


def _format(out: Path, format: str | None) -> str:
    check_suffix(out, format)
    fmt = (format or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise InputError(Errors.E115.format(format=fmt or "(none)", allowed=", ".join(FORMATS)))
    return fmt


def xlsx_cell_text(value: str, path: str | Path, where: str, fix: str = TEXT_FIX) -> tuple[str, bool]:
    """``value`` as an xlsx cell can hold it, and whether it was cut: text over Excel's limit is cut to 32,767
    UTF-16 units (Excel's count: an emoji is two) ending in a visible "…" (the caller reports W109). Every xlsx
    export cuts through here.

    Raises:
        InputError: [E108] ``value`` holds a character no XML file can hold (``where`` names the cell, ``fix``
            says how to remove it).
    """
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise InputError(Errors.E108.format(path=path, where=where, char=f"U+{ord(bad.group()):04X}", fix=fix))
    from .._spreadsheet import fit_cell

    return fit_cell(value, XLSX_CELL_LIMIT)


def _write_xlsx(df: pd.DataFrame, path: Path, out: Path) -> int:
    """Write with openpyxl in write-only mode to ``path`` (the temporary file of ``out``); text stays text (no
    formulas); returns cells cut."""
    from openpyxl import Workbook

    rows: list[list[object]] = []  # every cell checked (E108) before the workbook is begun
    cut = 0
    for r, row in enumerate(df.itertuples(index=False), start=2):
        cells: list[object] = []
        for column, value in zip(df.columns, row):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                cells.append(None)
            elif isinstance(value, str):
                text, was_cut = xlsx_cell_text(value, out, f"row {r}, column '{column}'")
                cells.append(text)
                cut += was_cut
            else:
                cells.append(value.item() if hasattr(value, "item") else value)
        rows.append(cells)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("segments")
    ws.append([text_cell(ws, str(c)) for c in df.columns])
    for cells in rows:  # text is never a formula, even when it starts with '='
        ws.append([text_cell(ws, v) if isinstance(v, str) else v for v in cells])
    wb.save(path)
    return cut


def write_table(df: pd.DataFrame, out: str | Path, *, format: str | None = None) -> ExportResult:
    """Write a frame as csv/xlsx/parquet atomically (temp file + rename).

    Raises:
        InputError: [E526] an .xlsx whose table is larger than an Excel sheet (nothing written).
    """
    out = Path(out)
    fmt = _format(out, format)
    if fmt == "xlsx" and not fits_sheet(*df.shape):
        raise InputError(Errors.E526.format(path=out, sheet="segments", rows=len(df), columns=df.shape[1],
                                            limit_rows=SHEET_ROWS, limit_columns=SHEET_COLUMNS))
    warnings: list[str] = []
    try:
        with atomic_path(out) as tmp:
            if fmt == "csv":
                write_csv(df, tmp)
            elif fmt == "parquet":
                df.to_parquet(tmp, index=False)
            else:
                cut = _write_xlsx(df, tmp, out)
                if cut:
                    warnings.append(Warnings.W109.format(path=out, n=cut))
    except OSError as exc:
        raise StudyError(Errors.E117.format(path=out, detail=exc)) from None
    return ExportResult(out, len(df), tuple(warnings))


def export_segments(store: Store, out: str | Path, *, format: str | None = None,
                    document: str | Iterable[str] | None = None, include_interviewer: bool = True) -> ExportResult:
    """Write the segments table to ``out`` (format from ``format`` or the file's extension).

    Example:
        >>> export_segments(study.store, "segments.xlsx").rows
        412

    Raises:
        InputError: [E115] unknown format, [E526] too many rows for an .xlsx.
        StudyError: [E117] the file cannot be written.
    """
    _format(Path(out), format)
    df = segments_table(store, document=document, include_interviewer=include_interviewer)
    return write_table(df, out, format=format)
