"""Spreadsheet round-trip: a coder codes segments in Excel/LibreOffice, thematic reads it back.

The exported sheet has one row per codable segment and one column per code (tick with ``1`` or
``x``), plus a free ``codes`` column and a ``memo``. It is **blind**: it shows only the named
coder's own codings, never another coder's or a suggester's, so two coders can code
independently. Importing turns the sheet into that coder's manual codings: ticks become codings,
unticked ones are removed (logged), and everything odd is reported row by row, not guessed at.

Example:
    >>> export_sheet(store, "coding-SO.xlsx", coder="SO", codebook=cb)
    >>> report = import_sheet(store, "coding-SO.xlsx", coder="SO", codebook=cb)
    >>> report.added, report.removed, report.problems()
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError, Problem
from ..models import Code, utcnow
from ..store import Store
from . import _sheet_xlsx as xlsx
from ._sheet_apply import RowPlan, apply_plans, assign_to_segments
from ._sheet_report import SheetImportReport
from .manual import unknown_code_hint
from .owner import coder_codings

FIXED = ("segment_id", "document", "speaker", "participant", "text")
#: Shown before ``text`` when a segment answers a survey question: a coder needs the question to code the answer.
QUESTION = "question"
TRAILING = ("codes", "memo")
FORMAT = "thematic-coding-sheet"
FORMAT_VERSION = "1"
TRUE_TICKS = frozenset({"1", "1.0", "x", "yes", "y", "true", "✓", "✔", "ticked"})
FALSE_TICKS = frozenset({"", "0", "0.0", "no", "n", "false", "-"})


@dataclass(frozen=True, slots=True)
class SheetExport:
    """Where the sheet was written and what it holds."""

    path: Path
    coder: str
    rows: int
    code_columns: tuple[str, ...]
    prefilled: int


def sheet_codes(codebook: Codebook) -> list[Code]:
    """The codes that get a column, theme by theme in codebook order (themes themselves excluded)."""
    ordered: list[Code] = []
    for theme in codebook.themes:
        ordered.extend(codebook.descendants(theme.id))
    seen = {c.id for c in ordered}
    ordered.extend(c for c in codebook.codable() if c.id not in seen)
    return ordered


def _note(code: Code, codebook: Codebook) -> str:
    text = f"{code.label}\n(theme: {codebook.theme_of(code.id).label})\n\n{code.definition}"
    return text if len(text) < 900 else text[:897] + "…"


def _codebook_rows(codes: list[Code], codebook: Codebook) -> list[list[Any]]:
    return [[c.id, c.label, codebook.theme_of(c.id).id, c.parent, c.definition, "\n".join(c.include),
             "\n".join(c.exclude)] for c in codes]


def export_sheet(
    store: Store,
    path: str | Path,
    *,
    coder: str,
    codebook: Codebook,
    document: str | Iterable[str] | None = None,
    include_interviewer: bool = False,
    segments: Iterable[str] | None = None,
) -> SheetExport:
    """Write ``coder``'s blind coding sheet (.xlsx): their own codings pre-ticked, nobody else's.

    Args:
        store: the study's store.
        path: the .xlsx file to write (replaced atomically).
        coder: whose sheet this is; only this coder's codings are shown (manual, and suggestions they accepted).
        codebook: gives the code columns, their definitions (header notes) and the codebook sheet.
        document: only these documents (default: all).
        include_interviewer: also list the interviewer's turns (default: participants' turns only).
        segments: only these segment ids (a double-coding sample).
    """
    if Path(path).suffix.lower() != ".xlsx":  # a workbook under another name is a file Excel refuses to open
        raise InputError(Errors.E405.format(path=path, format=Path(path).suffix.lstrip(".") or "(none)",
                                            allowed="xlsx"))
    docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
    segs = store.segments(document=docs, include_interviewer=include_interviewer or segments is not None)
    if segments is not None:
        segs = segs.loc[segs["segment_id"].isin({str(s) for s in segments})]
    codes = sheet_codes(codebook)
    columns = [c.id for c in codes]
    asked = QUESTION not in columns and bool(segs["question"].notna().any())
    fixed = [*FIXED[:-1], *([QUESTION] if asked else []), FIXED[-1]]
    mine = assign_to_segments(coder_codings(store, coder, document=docs), segs)
    rows, prefilled = [], 0
    for s in segs.itertuples():
        own = mine.get(str(s.segment_id), [])
        applied = {str(c["code_id"]) for c in own}
        prefilled += len(applied)
        memo = "; ".join(dict.fromkeys(str(c["memo"]) for c in own if isinstance(c["memo"], str) and c["memo"]))
        rows.append([s.segment_id, s.document_id, _text(s.speaker), _text(s.participant_id),
                     *([_text(s.question)] if asked else []), str(s.text),
                     *(1 if c in applied else None for c in columns),
                     ", ".join(sorted(applied - set(columns))), memo])
    about = {"format": FORMAT, "format_version": FORMAT_VERSION, "coder": coder, "codebook": codebook.name,
             "codebook_version": codebook.version, "exported_at": utcnow().isoformat(),
             "code_columns": ",".join(columns), "segments": str(len(rows))}
    layout = xlsx.SheetLayout(
        header=[*fixed, *columns, *TRAILING], rows=rows, code_columns=columns,
        header_notes={c.id: _note(c, codebook) for c in codes},
        codebook_header=["id", "label", "theme", "parent", "definition", "include", "exclude"],
        codebook_rows=_codebook_rows(codes, codebook), about=about,
    )
    out = xlsx.write_workbook(path, layout)
    return SheetExport(out, coder, len(rows), tuple(columns), prefilled)


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def parse_tick(value: Any) -> bool | None:
    """True/False for a tick cell ("1", "x", "yes", TRUE, 1.0 …; empty, 0, "no" …), None if unreadable."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, float)):
        return True if value == 1 else False if value == 0 else None
    text = str(value).strip().casefold()
    return True if text in TRUE_TICKS else False if text in FALSE_TICKS else None


def same_text(sheet_text: Any, stored: str) -> bool:
    """Whether a sheet's text cell still shows the stored segment (whitespace and Excel's limits aside)."""
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split())

    return norm(_text(sheet_text)) == norm(xlsx.clean_cell_text(stored))


def import_sheet(
    store: Store,
    path: str | Path,
    *,
    coder: str,
    codebook: Codebook,
    dry_run: bool = False,
) -> SheetImportReport:
    """Read a filled-in sheet back as ``coder``'s manual codings and report what needs a look.

    Ticked codes not yet coded are added (one batch, undoable); codes the coder unticked are
    removed (logged) if they existed when the sheet was exported. Rows whose segment changed
    or vanished since the export are skipped and reported; so are unknown codes (with a
    did-you-mean) and unreadable cells. Every row read (ticked or not) is recorded as seen by
    ``coder`` (coverage, source ``sheet``), so agreement compares coders over what both coded.
    With ``dry_run`` nothing is written.
    """
    p = Path(path)
    data = xlsx.read_workbook(p)
    owner = data.about.get("coder")
    if owner is not None and owner != coder:
        raise InputError(Errors.E346.format(path=p, owner=owner, coder=coder))
    if "segment_id" not in data.header:
        raise InputError(Errors.E345.format(path=p, detail=f"no 'segment_id' column in row 1 of '{xlsx.SHEET}'"))
    report = SheetImportReport(path=p, coder=coder, rows=len(data.rows), dry_run=dry_run)
    columns = _code_columns(data.header, codebook, p, report)
    exported = [c for c in data.about.get("code_columns", "").split(",") if c]
    removable = {c.id for c in codebook.codable() if c.id in columns or c.id not in exported}
    exported_at = _when(data.about.get("exported_at"))
    segs = store.segments()
    seg_rows = {str(r.segment_id): r for r in segs.itertuples()}
    existing = assign_to_segments(coder_codings(store, coder), segs)
    plans, seen = [], set()
    for n, record in data.rows:
        plan = _plan_row(n, record, data, columns, codebook, p, report, seg_rows, seen)
        if plan is not None:
            plan.existing = existing.get(plan.segment_id, [])
            plans.append(plan)
    apply_plans(store, plans, coder=coder, codebook=codebook, report=report, removable=removable,
                exported_at=exported_at, source_name=f"sheet:{p.name}", dry_run=dry_run)
    return report


def _when(stamp: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _code_columns(header: list[str], codebook: Codebook, p: Path, report: SheetImportReport) -> list[str]:
    columns = []
    for h in header:
        if not h or h in FIXED or h in TRAILING or (h == QUESTION and h not in codebook):
            continue
        if h in codebook and not codebook[h].is_theme:
            columns.append(h)
        else:
            report.unknown_codes.append(Problem(str(p), 1, "W340", f"column '{h}' is not a code of "
                                                f"'{codebook.name}' {codebook.version}; its ticks were ignored. "
                                                f"{unknown_code_hint(codebook, h)}"))
    return columns


def _split_codes(value: Any) -> list[str]:
    text = _text(value).replace(";", ",").replace("\n", ",")
    return [t.strip() for part in text.split(",") for t in part.split() if t.strip()]


def _plan_row(n: int, record: dict[str, Any], data: xlsx.SheetData, columns: list[str], codebook: Codebook,
              p: Path, report: SheetImportReport, seg_rows: dict[str, Any], seen: set[str]) -> RowPlan | None:
    """What one sheet row asks for, or None when the row must be skipped (reported)."""
    where = str(p)
    sid = _text(record.get("segment_id")).strip()
    if not sid:
        report.unreadable.append(Problem(where, n, "W343", "no segment_id; the row was skipped."))
        return None
    if sid in seen:
        report.unreadable.append(Problem(where, n, "W345", f"segment '{sid}' appears again; this row was skipped."))
        return None
    seen.add(sid)
    seg = seg_rows.get(sid)
    if seg is None:
        report.missing_segments.append(Problem(where, n, "W342", f"segment '{sid}' no longer exists (its document "
                                               "was re-ingested or removed); the row was skipped. Re-export."))
        return None
    if "text" in data.header and not same_text(record.get("text"), str(seg.text)):
        report.changed_rows.append(Problem(where, n, "W341", f"segment '{sid}' changed since the sheet was exported "
                                           "(its text differs); the row was skipped. Re-export and recode it."))
        return None
    wanted: set[str] = set()
    undecided: set[str] = set()  # unreadable cells: neither add nor remove that code
    for col in columns:
        if (n, col) in data.uncomputed:
            undecided.add(col)
            report.unreadable.append(Problem(where, n, "W344", f"column '{col}' holds a formula with no saved value; "
                                             "open and save the file in Excel or LibreOffice, then import again."))
            continue
        tick = parse_tick(record.get(col))
        if tick is None:
            undecided.add(col)
            report.unreadable.append(Problem(where, n, "W343", f"column '{col}': cannot read {record.get(col)!r} "
                                             "as a tick (use 1 or x, or leave empty); the cell was ignored."))
        elif tick:
            wanted.add(col)
    for code_id in _split_codes(record.get("codes")):
        if code_id in codebook and not codebook[code_id].is_theme:
            wanted.add(code_id)
        else:
            report.unknown_codes.append(Problem(where, n, "W340", f"unknown code '{code_id}' in 'codes'. "
                                                f"{unknown_code_hint(codebook, code_id)} The row's other codes "
                                                "were imported."))
    memo = _text(record.get("memo")).strip() if "memo" in data.header else None
    return RowPlan(row=n, segment_id=sid, document_id=str(seg.document_id), start=int(seg.start),
                   end=int(seg.end), text=str(seg.text), wanted=wanted, memo=memo, undecided=undecided)


__all__ = ["FIXED", "SheetExport", "SheetImportReport", "export_sheet", "import_sheet", "parse_tick", "same_text",
           "sheet_codes"]
