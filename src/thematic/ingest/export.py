"""Segments as a table for sharing: CSV, XLSX or Parquet, with participant attributes joined.

Columns: document, segment_id, index, start, end, speaker, participant, role, is_interviewer,
kind, time_start, time_end, question, text, then one column per participant attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from .._atomic import atomic_path
from .._personal import without_personal
from .._spreadsheet import text_cell, write_csv
from .._formats import check_suffix
from ..errors import Errors, InputError, StudyError, Warnings
from ..store import Store

FORMATS = ("csv", "xlsx", "parquet")
BASE_COLUMNS = ("document", "segment_id", "index", "start", "end", "speaker", "participant", "role",
                "is_interviewer", "kind", "time_start", "time_end", "question", "text")
XLSX_CELL_LIMIT = 32_767


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: the file, how many rows, and any warnings (cut cells)."""

    path: Path
    rows: int
    warnings: tuple[str, ...] = ()


def segments_table(store: Store, *, document: str | Iterable[str] | None = None,
                   include_interviewer: bool = True) -> pd.DataFrame:
    """Segments with speaker, participant, role and participant attributes (see the module docstring);
    name and contact columns of participants.csv are left out."""
    docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
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


def _write_xlsx(df: pd.DataFrame, path: Path) -> int:
    """Write with openpyxl in write-only mode; text stays text (no formulas); returns cells cut."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("segments")
    ws.append([text_cell(ws, str(c)) for c in df.columns])
    cut = 0
    for row in df.itertuples(index=False):
        cells = []
        for value in row:
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                cells.append(None)
                continue
            if isinstance(value, str):
                if len(value) > XLSX_CELL_LIMIT:
                    value, cut = value[:XLSX_CELL_LIMIT - 1] + "…", cut + 1
                cells.append(text_cell(ws, value))  # never a formula, even when the text starts with '='

            else:
                cells.append(value.item() if hasattr(value, "item") else value)
        ws.append(cells)
    wb.save(path)
    return cut


def write_table(df: pd.DataFrame, out: str | Path, *, format: str | None = None) -> ExportResult:
    """Write a frame as csv/xlsx/parquet atomically (temp file + rename)."""
    out = Path(out)
    fmt = _format(out, format)
    warnings: list[str] = []
    try:
        with atomic_path(out) as tmp:
            if fmt == "csv":
                write_csv(df, tmp)
            elif fmt == "parquet":
                df.to_parquet(tmp, index=False)
            else:
                cut = _write_xlsx(df, tmp)
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
        InputError: [E115] unknown format.
        StudyError: [E117] the file cannot be written.
    """
    _format(Path(out), format)
    df = segments_table(store, document=document, include_interviewer=include_interviewer)
    return write_table(df, out, format=format)
