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

import copy
import shlex
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from .._spreadsheet import excel_length
from ..codebook import Codebook
from ..errors import Errors, InputError, Problem, Warnings, display_path
from ..models import Code, utcnow
from ..store import Store
from . import _sheet_xlsx as xlsx
from ._sheet_apply import RowPlan, SheetChanges, assign_to_segments, plan_changes, write_changes
from ._sheet_match import RowTurn, TurnFinder, cell_text, stored_text
from ._sheet_report import SheetImportReport
from .manual import split_code_names, unknown_code_hint
from .owner import coder_codings

FIXED = ("segment_id", "document", "speaker", "participant", "text")
#: Shown before ``text`` when a segment answers a survey question: a coder needs the question to code the answer.
QUESTION = "question"
TRAILING = ("codes", "memo")
FORMAT = "thematic-coding-sheet"
FORMAT_VERSION = "1"
TRUE_TICKS = frozenset({"1", "1.0", "x", "yes", "y", "true", "✓", "✔", "ticked"})
FALSE_TICKS = frozenset({"", "0", "0.0", "no", "n", "false", "-"})


class MemoCutWarning(UserWarning):
    """W397: a memo cell of a coding sheet was cut at a spreadsheet cell's limit (left so, it changes no memo)."""


@dataclass(frozen=True, slots=True)
class SheetExport:
    """Where the sheet was written and what it holds."""

    path: Path
    coder: str
    rows: int
    code_columns: tuple[str, ...]
    prefilled: int


def sheet_codes(codebook: Codebook) -> list[Code]:
    """The codes that get a column, theme by theme in codebook order (themes and retired codes excluded)."""
    retired = codebook.retired
    ordered: list[Code] = []
    for theme in codebook.themes:
        ordered.extend(c for c in codebook.descendants(theme.id) if c.id not in retired)
    seen = {c.id for c in ordered}
    ordered.extend(c for c in codebook.codable() if c.id not in seen)
    return ordered


def _note(code: Code, codebook: Codebook) -> str:
    text = f"{code.label}\n(theme: {codebook.theme_of(code.id).label})\n\n{code.definition}"
    return text if len(text) < 900 else text[:897] + "…"


def _codebook_rows(codes: list[Code], codebook: Codebook) -> list[list[Any]]:
    return [[c.id, c.label, codebook.theme_of(c.id).id, c.parent, c.definition, "\n".join(c.include),
             "\n".join(c.exclude)] for c in codes]


def check_sheet_target(path: str | Path, *, force: bool, nothing: str = "") -> None:
    """E361 when ``path`` exists and ``force`` is not set: it may be a coder's filled-in sheet not imported yet,
    which a new sheet would silently replace (``nothing`` adds what else was not done)."""
    p = Path(path)
    if not force and (p.exists() or p.is_symlink()):
        quoted = shlex.quote(str(p.resolve()))  # absolute: import reads a relative path inside the study folder
        raise InputError(Errors.E361.format(path=display_path(p), quoted=quoted, nothing=nothing))


def export_sheet(
    store: Store,
    path: str | Path,
    *,
    coder: str,
    codebook: Codebook,
    document: str | Iterable[str] | None = None,
    include_interviewer: bool = False,
    segments: Iterable[str] | None = None,
    force: bool = False,
) -> SheetExport:
    """Write ``coder``'s blind coding sheet (.xlsx): their own codings pre-ticked, nobody else's.

    Args:
        store: the study's store.
        path: the .xlsx file to write; an existing file is E361 (it may be a filled-in sheet not yet imported)
            unless ``force``, which replaces it atomically.
        coder: whose sheet this is; only this coder's codings are shown (manual, and suggestions they accepted).
        codebook: gives the code columns, their definitions (header notes) and the codebook sheet.
        document: only these documents (default: all).
        include_interviewer: also list the interviewer's turns (default: participants' turns only).
        segments: only these segment ids (a double-coding sample).
        force: replace an existing file at ``path``.

    A memo cell longer than a cell holds (32,767 characters) is cut, ending in "…", and warned about naming its
    rows (W397, a ``MemoCutWarning``): left so, it changes no memo on import (``_sheet_apply``).
    """
    if Path(path).suffix.lower() != ".xlsx":  # a workbook under another name is a file Excel refuses to open
        raise InputError(Errors.E405.format(path=path, format=Path(path).suffix.lstrip(".") or "(none)",
                                            allowed="xlsx"))
    check_sheet_target(path, force=force)
    docs = [document] if isinstance(document, str) else (list(document) if document is not None else None)
    segs = store.segments(document=docs, include_interviewer=include_interviewer or segments is not None)
    if segments is not None:
        segs = segs.loc[segs["segment_id"].isin({str(s) for s in segments})]
    codes = sheet_codes(codebook)
    columns = [c.id for c in codes]
    asked = QUESTION not in columns and bool(segs["question"].notna().any())
    fixed = [*FIXED[:-1], *([QUESTION] if asked else []), FIXED[-1]]
    mine = assign_to_segments(coder_codings(store, coder, document=docs), segs)
    rows, prefilled, cut = [], 0, []
    for s in segs.itertuples():
        own = mine.get(str(s.segment_id), [])
        applied = {str(c["code_id"]) for c in own}
        prefilled += len(applied)
        memo = "; ".join(dict.fromkeys(str(c["memo"]) for c in own if isinstance(c["memo"], str) and c["memo"]))
        rows.append([s.segment_id, s.document_id, _text(s.speaker), _text(s.participant_id),
                     *([_text(s.question)] if asked else []), str(s.text),
                     *(1 if c in applied else None for c in columns),
                     ", ".join(sorted(applied - set(columns))), memo])
        if excel_length(memo) > xlsx.CELL_LIMIT:
            cut.append(f"row {len(rows) + 1} ({s.segment_id})")  # row 1 is the header
    about = {"format": FORMAT, "format_version": FORMAT_VERSION, "study": store.identity(), "coder": coder,
             "codebook": codebook.name,
             "codebook_version": codebook.version, "exported_at": utcnow().isoformat(),
             "code_columns": ",".join(columns), "segments": str(len(rows))}
    layout = xlsx.SheetLayout(
        header=[*fixed, *columns, *TRAILING], rows=rows, code_columns=columns,
        header_notes={c.id: _note(c, codebook) for c in codes},
        codebook_header=["id", "label", "theme", "parent", "definition", "include", "exclude"],
        codebook_rows=_codebook_rows(codes, codebook), about=about,
    )
    out = xlsx.write_workbook(path, layout)
    if cut:
        shown = ", ".join(cut[:10]) + (f" and {len(cut) - 10} more" if len(cut) > 10 else "")
        warnings.warn(Warnings.W397.format(path=display_path(out), n=len(cut), rows=shown, coder=coder),
                      MemoCutWarning, stacklevel=2)
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
    return cell_text(sheet_text) == stored_text(stored)


def _row_turn(record: dict[str, Any], sid: str, header: list[str], asked: bool) -> RowTurn:
    """The turn a sheet row shows: document, words, speaker, participant and (``asked``: the sheet has a
    ``question`` column that is no code) question."""
    shown = {c: cell_text(record.get(c)) if c in header else None for c in ("speaker", "participant")}
    return RowTurn(cell_text(record.get("document")) or cell_text(sid.rpartition(":")[0]),
                   cell_text(record.get("text")), shown["speaker"], shown["participant"],
                   cell_text(record.get(QUESTION)) if asked else None)


#: The study's turns, each sheet row's turn (by row number), and the ids whose own row still fits them.
_Finder = tuple[TurnFinder, dict[int, RowTurn], set[str]]


def _finder(data: xlsx.SheetData, segs: pd.DataFrame, columns: dict[str, str]) -> _Finder:
    """What finds each row's turn by its speaker, question and words, not its id alone (a re-ingest shifts ids).
    An id its own row still fits is held: no other row is moved onto it."""
    asked = QUESTION in data.header and QUESTION not in columns
    turns = TurnFinder(segs)
    ids = {n: _text(record.get("segment_id")).strip() for n, record in data.rows}
    rows = {n: _row_turn(record, ids[n], data.header, asked) for n, record in data.rows}
    turns.expect(rows.values())
    return turns, rows, {ids[n] for n in rows if turns.fits(ids[n], rows[n])}


def import_sheet(
    store: Store,
    path: str | Path,
    *,
    coder: str,
    codebook: Codebook,
    dry_run: bool = False,
) -> SheetImportReport:
    """Read a filled-in sheet back as ``coder``'s manual codings and report what needs a look.

    Ticked codes not yet coded are added (one batch, undoable); codes the coder unticked are removed (logged) if the
    sheet showed them (the coder's when it was exported, or added by an earlier import of this same export: a
    corrected version) and they had a column or a place in ``codes`` then; one coded elsewhere since the export is
    kept and reported (W351, ``report.kept``), and a tick whose coding the coder lost since the export (unticked in
    a newer sheet, removed, rejected) is not coded again but reported (W555, ``report.left_removed``). A column (or
    an id typed in ``codes``) means what it meant in the codebook version the sheet was exported under: an id
    renamed or merged since counts as the code's new id, as ``migrate`` maps codings, even when a later entry gave
    the old id to another code; one split or retired since is ignored (W340), as is a retired code's column in any sheet, and a row with a tick there that is not the coder's
    stored coding is skipped (W340), as a row with such an id in ``codes`` is. A sheet without its hidden ``about``
    stamp (saved as CSV, copied into a new workbook) only adds: without the export's time and columns, an empty cell
    cannot be told from an untick. Rows whose segment changed or vanished since the export are skipped and reported;
    so are rows with an unknown code or an unreadable cell (fix and import again). Every row imported is recorded as
    seen by ``coder`` (coverage, source ``sheet``), so agreement compares coders over what both coded; a skipped row
    is not (``report.skipped`` counts them). The rows are compared with the store and written in one write
    transaction, after the pre-import backup, so a re-ingest or another import that commits meanwhile is read,
    never written over at stale offsets. With ``dry_run`` nothing is written.
    """
    p = Path(path)
    coder = store.person(coder)  # E018/E357/E358 before the file is read
    data = xlsx.read_workbook(p)
    owner = data.about.get("coder")
    if owner is not None and owner != coder:
        raise InputError(Errors.E346.format(path=p, owner=owner, coder=coder))
    if "segment_id" not in data.header:
        raise InputError(Errors.E345.format(path=p, detail="no 'segment_id' column in row 1"))
    if data.about.get("study") not in (None, store.identity()):
        raise InputError(Errors.E356.format(path=p, detail="was exported from another study"))
    report = SheetImportReport(path=p, coder=coder, rows=len(data.rows), dry_run=dry_run)
    stamped = data.about.get("format") == FORMAT
    moved = moved_since(codebook, data.about.get("codebook_version")) if stamped else {}
    ignored: dict[str, str] = {}
    columns = _code_columns(data.header, codebook, p, report, moved, ignored)
    if not columns and "codes" not in data.header:
        hint = " (a reconcile decision workbook? import it with `thematic import reconcile FILE`)" \
            if "decision" in data.header else ""
        raise InputError(Errors.E345.format(path=p, detail=f"no code column and no 'codes' column{hint}"))
    removable, listed_only = _removable(codebook, data, columns, moved) if stamped else (set(), set())
    if not stamped:
        report.notes.append(Problem(str(p), None, "W347", "the sheet has no hidden 'about' stamp (it was saved as CSV "
                                    "or copied into another workbook), so ticks were added but nothing was removed: "
                                    "an empty cell cannot be told from an untick. To remove codings, export a fresh "
                                    "sheet and fill that in."))
    sheet = _Read(p, data, coder, codebook, columns, moved, ignored, removable,
                  _when(data.about.get("exported_at")), f"sheet:{p.name}", listed_only)
    backup = None
    if not dry_run and _plan(store, sheet, copy.deepcopy(report))[1]:
        backup = store.backup(reason="before-sheet-import")  # undo a wrong import without losing codings
    while True:
        done = copy.deepcopy(report)
        try:
            # read, plan and write at one moment: a re-ingest or import committed meanwhile is read, not overwritten
            with store.transaction():
                plans, changes = _plan(store, sheet, done)
                if changes and backup is None and not dry_run:
                    raise _Again  # a command changed the store since the look above: back it up first
                write_changes(store, plans, changes, coder=coder, report=done, exported_at=sheet.exported_at,
                              source_name=sheet.source)
                if dry_run:
                    raise _DryRun
        except _Again:
            backup = store.backup(reason="before-sheet-import")
            continue
        except _DryRun:
            done.batch_id = None
        done.backup = backup
        return done


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class _Again(Exception):
    """Raised inside the transaction to leave it, make the pre-import backup, and read and plan again."""


@dataclass(frozen=True, slots=True)
class _Read:
    """A sheet as read and checked, before it is compared with the store."""

    path: Path
    data: xlsx.SheetData
    coder: str
    codebook: Codebook
    columns: dict[str, str]
    moved: dict[str, tuple[str | None, str]]
    ignored: dict[str, str]
    removable: set[str]
    exported_at: datetime | None
    source: str
    #: Removable codes that had no column at export: the sheet showed the coder's codings of them only in ``codes``.
    listed_only: set[str]


def _plan(store: Store, sheet: _Read, report: SheetImportReport) -> tuple[list[RowPlan], SheetChanges]:
    """The rows matched to the turns stored now, and the writes they ask for (counted and reported in ``report``);
    E356 for another study's sheet."""
    p, data = sheet.path, sheet.data
    segs = store.segments()
    seg_rows = {str(r.segment_id): r for r in segs.itertuples()}
    existing = assign_to_segments(coder_codings(store, sheet.coder), segs)
    finder = _finder(data, segs, sheet.columns) if "text" in data.header else None
    plans, seen, refound = [], set(), [0]
    for n, record in data.rows:
        plan = _plan_row(n, record, data, sheet.columns, sheet.codebook, sheet.moved, p, report, seg_rows, seen,
                         finder, refound, existing, sheet.ignored)
        if plan is None:
            report.skipped += 1
        else:
            plan.existing = existing.get(plan.segment_id, [])
            plans.append(plan)
    if refound[0]:
        report.notes.append(Problem(str(p), None, "W341", f"{refound[0]} row(s) name a segment id that a re-ingest "
                                    "gave to another turn (or removed); each was found by its text in the same "
                                    "document, as the turn of its speaker (and answer to its question), and "
                                    "imported there."))
    _missing_rows(data, report, p)
    _check_belongs(data, report, p)
    return plans, plan_changes(store, plans, coder=sheet.coder, codebook=sheet.codebook, report=report,
                               removable=sheet.removable, exported_at=sheet.exported_at, source_name=sheet.source,
                               listed_only=sheet.listed_only,
                               changes_since=lambda version: moved_since(sheet.codebook, version))


def moved_since(codebook: Codebook, version: str | None) -> dict[str, tuple[str | None, str]]:
    """Code ids the codebook's changes log renamed, merged, split or retired after ``version``: old id ->
    (its id now, or None when split or retired; what happened). Empty for the current or an unknown version."""
    from ..codebook.semver import is_semver, semver_key

    if not version or not is_semver(version) or version == codebook.version:
        return {}
    since = semver_key(version)
    out: dict[str, tuple[str | None, str]] = {}
    for entry in codebook.released_changes():
        if entry.kind == "note" or semver_key(entry.version) <= since:
            continue
        target = entry.targets[0] if entry.kind in ("rename", "merge") else None
        for source in entry.sources:
            if source == target:
                continue  # a merge's target stays itself
            for old, (now, how) in list(out.items()):
                if now == source:
                    out[old] = (target, f"{how}, then {entry.describe()}")
            out.setdefault(source, (target, entry.describe()))
    return out


def _removable(codebook: Codebook, data: xlsx.SheetData, columns: dict[str, str],
               moved: dict[str, tuple[str | None, str]]) -> tuple[set[str], set[str]]:
    """Codes whose absence on a row means "unticked", and those of them that had no column at export. The first:
    they had a column at export and have one now, or had none then, so that a coding of them the sheet showed was
    listed in ``codes`` (a code made since had none and can only have codings made since: the row says nothing
    about those). A column added by hand or renamed away removes nothing."""
    raw = {c for c in data.about.get("code_columns", "").split(",") if c}
    exported = {moved.get(c, (c, ""))[0] for c in raw}
    exported.discard(None)
    with_column = set(columns.values())
    listed_only = {c.id for c in codebook.codable() if c.id not in exported | with_column | raw}
    return {c for c in with_column if c in exported} | listed_only, listed_only


def _missing_rows(data: xlsx.SheetData, report: SheetImportReport, p: Path) -> None:
    try:
        exported = int(data.about.get("segments", ""))
    except ValueError:
        return
    present = {_text(record.get("segment_id")).strip() for _, record in data.rows} - {""}
    gone = exported - len(present)  # distinct ids: a copied row (W345) does not stand in for a deleted one
    if gone > 0:
        report.notes.append(Problem(str(p), None, "W348", f"{gone} of the {exported} rows exported are not in the "
                                    "sheet (deleted?); their segments were not marked as seen and their codings are "
                                    "unchanged."))


def _check_belongs(data: xlsx.SheetData, report: SheetImportReport, p: Path) -> None:
    """Refuse a sheet most of whose rows name segments this study does not have: it is another study's."""
    unknown = len(report.missing_segments)
    if data.rows and unknown > len(data.rows) / 2:
        raise InputError(Errors.E356.format(path=p, detail=f"names {unknown} of its {len(data.rows)} rows' segments "
                                            "that this study does not have (is it another study's sheet?)"))


def _when(stamp: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _code_columns(header: list[str], codebook: Codebook, p: Path, report: SheetImportReport,
                  moved: dict[str, tuple[str | None, str]], ignored: dict[str, str] | None = None) -> dict[str, str]:
    """Header -> code id of each code column. A column means what it meant in the sheet's codebook version, so
    ``moved`` (the changes since) comes first: an id renamed since maps to its new id, even when a later entry
    gave the old id to another code; one split or retired since, a retired code, or a header that is no code (a
    mistyped ``fundng``) is ignored (W340) and put in ``ignored`` (header -> why), whose ticks skip their rows
    (``_plan_row``)."""
    ignored = {} if ignored is None else ignored
    skips = ("; its ticks were ignored and nothing was removed. A row with a tick there that is not the coder's "
             "stored coding was skipped (not recorded as seen: agreement would read the tick as the code not "
             "applied); code those rows again in a fresh sheet.")
    columns: dict[str, str] = {}
    for h in header:
        if not h or h in FIXED or h in TRAILING or (h == QUESTION and h not in codebook and h not in moved):
            continue
        if h in moved and moved[h][0] == h:  # renamed away and back: the same code
            columns[h] = h
        elif h in moved and moved[h][0] is not None:
            columns[h] = str(moved[h][0])
            verb = "merged into" if " merge " in f" {moved[h][1]}" else "renamed to"
            report.notes.append(Problem(str(p), 1, "W349", f"column '{h}' was {verb} '{moved[h][0]}' since the "
                                        f"sheet was exported ({moved[h][1]}); its ticks were imported as "
                                        f"'{moved[h][0]}'."))
        elif h in moved:
            ignored[h] = f"'{h}' was split or retired since the sheet was exported ({moved[h][1]})"
            report.unknown_codes.append(Problem(str(p), 1, "W340", f"column {ignored[h]}{skips}"))
        elif h in codebook and h in codebook.retired:
            ignored[h] = _retired_why(codebook, h)
            report.unknown_codes.append(Problem(str(p), 1, "W340", f"column {ignored[h]}{skips}"))
        elif h in codebook and not codebook[h].is_theme:
            columns[h] = h
        else:
            ignored[h] = f"'{h}' is not a code of '{codebook.name}' {codebook.version}"
            report.unknown_codes.append(Problem(str(p), 1, "W340", f"column {ignored[h]}; its ticks were ignored "
                                                "and a row with a tick there was skipped (not recorded as seen). "
                                                f"{unknown_code_hint(codebook, h)}"))
    return columns


def _split_codes(value: Any, codebook: Codebook | None = None) -> list[str]:
    """The entries of a ``codes`` cell: separated by commas, semicolons or new lines (a label has spaces; one
    holding a comma is read whole, see ``split_code_names``)."""
    return split_code_names(_text(value), codebook)


def _retired_why(codebook: Codebook, code_id: str) -> str:
    """Why a retired code cannot be applied: its retire entry's version and note."""
    entry = [e for e in codebook.released_changes() if e.kind == "retire" and code_id in e.sources][-1]
    note = f" ({entry.note})" if entry.note else ""
    return f"'{code_id}' was retired in {entry.version}{note} and cannot be applied"


def resolve_typed_code(codebook: Codebook, typed: str,
                       moved: dict[str, tuple[str | None, str]] | None = None) -> tuple[str | None, str]:
    """The code id a person typed (an id in any case, an exact label), or None and why not (a theme, a retired
    code). With ``moved`` (changes since the sheet's version) an id means the code it was then, as ``migrate``."""
    folded = typed.casefold()
    old = next((k for k in (moved or {}) if k.casefold() == folded), None)
    if old is not None and moved is not None:
        now, how = moved[old]
        if now is not None:
            return str(now), ""
        return None, f"'{typed}' was split or retired since the sheet was exported ({how})"
    if typed in codebook and not codebook[typed].is_theme:
        if typed in codebook.retired:
            return None, _retired_why(codebook, typed)
        return typed, ""
    codes = codebook.codable()
    for match in ([c for c in codes if c.id.casefold() == folded], [c for c in codes if c.label.casefold() == folded]):
        if len(match) == 1:
            return match[0].id, ""
    themes = [t for t in codebook.themes if folded in (t.id.casefold(), t.label.casefold())]
    if themes:
        children = ", ".join(c.id for c in codebook.descendants(themes[0].id)[:6])
        return None, f"'{typed}' is a theme, not a code; type one of its codes ({children})."
    return None, f"unknown code '{typed}'. {unknown_code_hint(codebook, typed)}"


def _gone(sid: str, seg_rows: dict[str, Any], report: SheetImportReport, where: str, n: int) -> None:
    """W342 for a row whose segment is gone, W341 for one whose words no turn of its speaker holds: skipped."""
    if seg_rows.get(sid) is None:
        report.missing_segments.append(Problem(where, n, "W342", f"segment '{sid}' no longer exists (its document "
                                               "was re-ingested or removed); the row was skipped. Re-export."))
    else:
        report.changed_rows.append(Problem(where, n, "W341", f"the text of segment '{sid}' differs from the study's "
                                           "(edited in the sheet, or the transcript changed since the export); the "
                                           "row was skipped. Undo the edit, or re-export and recode it."))
    return None


def _plan_row(n: int, record: dict[str, Any], data: xlsx.SheetData, columns: dict[str, str], codebook: Codebook,
              moved: dict[str, tuple[str | None, str]], p: Path, report: SheetImportReport,
              seg_rows: dict[str, Any], seen: set[str],
              finder: _Finder | None = None,
              refound: list[int] | None = None,
              existing: dict[str, list[dict[str, Any]]] | None = None,
              ignored: dict[str, str] | None = None) -> RowPlan | None:
    """What one sheet row asks for, or None when the row must be skipped (reported). A retired (or split since)
    code typed in ``codes``, or ticked under its ``ignored`` column, that the row already carries is the export
    showing it: kept, not an error; any other such code skips the row, so it is not recorded as seen."""
    where = str(p)
    sid = _text(record.get("segment_id")).strip()
    if not sid:
        report.unreadable.append(Problem(where, n, "W343", "no segment_id; the row was skipped."))
        return None
    if finder is not None:
        turns, rows, held = finder
        row = rows[n]
        found = turns.locate(sid, row, held, seen)
        fix = "Code it again in a fresh sheet."
        if found.why == "gone":
            return _gone(sid, seg_rows, report, where, n)
        if found.why == "several":
            report.changed_rows.append(Problem(where, n, "W537", Warnings.W537.format(
                place="", segment=sid, n=found.n, whose=row.whose(), fix=fix).removeprefix("[W537] ")))
            return None
        if found.why == "another":
            report.changed_rows.append(Problem(where, n, "W538", Warnings.W538.format(
                place="", segment=sid, now=turns.whose(sid), was=row.whose(document=False),
                fix=fix).removeprefix("[W538] ")))
            return None
        if found.segment is not None:
            sid = found.segment
            if refound is not None:
                refound[0] += found.moved
    if sid in seen:
        report.unreadable.append(Problem(where, n, "W345", f"segment '{sid}' appears again; this row was skipped."))
        return None
    seen.add(sid)
    seg = seg_rows.get(sid)
    if seg is None or ("text" in data.header and not same_text(record.get("text"), str(seg.text))):
        return _gone(sid, seg_rows, report, where, n)
    skipped = " The row was skipped (nothing imported, not marked as seen); fix it and import again."
    wanted: set[str] = set()
    bad = False
    for col in [*columns, *(c for c in TRAILING if c in data.header)]:  # a formula's missing value is not "empty"
        if (n, col) in data.uncomputed:
            bad = True
            report.unreadable.append(Problem(where, n, "W344", f"column '{col}' holds a formula with no saved value; "
                                             "open and save the file in Excel or LibreOffice." + skipped))
    for col, code_id in columns.items():
        if (n, col) in data.uncomputed:
            continue
        tick = parse_tick(record.get(col))
        if tick is None:
            bad = True
            report.unreadable.append(Problem(where, n, "W343", f"column '{col}': cannot read {record.get(col)!r} "
                                             "as a tick (use 1 or x, or leave empty)." + skipped))
        elif tick:
            wanted.add(code_id)
    stored = {str(c["code_id"]) for c in (existing or {}).get(sid, [])}
    for col, why in (ignored or {}).items():
        if (n, col) not in data.uncomputed and parse_tick(record.get(col)) and col not in stored:
            bad = True
            report.unknown_codes.append(Problem(where, n, "W340", f"column '{col}' is ticked, but {why}: the tick "
                                                "cannot be imported, and the row was skipped (nothing imported, not "
                                                f"recorded as seen, so agreement does not read it as '{col}' not "
                                                "applied). Code this segment again in a fresh sheet."))
    for typed in _split_codes(record.get("codes"), codebook):
        code_id, why = resolve_typed_code(codebook, typed, moved)
        if code_id is None and typed in stored:  # the coder's own coding of a code since retired, split or
            continue  # dropped, listed only to show it: kept, and the row is read
        if code_id is None:
            bad = True
            report.unknown_codes.append(Problem(where, n, "W340", f"{why} in 'codes'." + skipped))
        else:
            wanted.add(code_id)
    if bad:
        return None
    memo = _text(record.get("memo")).strip() if "memo" in data.header else None
    from .._spreadsheet import illegal_character

    bad_memo = illegal_character(memo) if memo else None
    if bad_memo is not None:  # no .xlsx export of the codings could hold it
        report.unreadable.append(Problem(where, n, "W350", Warnings.W350.format(
            position=bad_memo[0], char=bad_memo[1]).removeprefix("[W350] ") + skipped))
        return None
    return RowPlan(row=n, segment_id=sid, document_id=str(seg.document_id), start=int(seg.start),
                   end=int(seg.end), text=str(seg.text), wanted=wanted, memo=memo)


__all__ = ["FIXED", "MemoCutWarning", "SheetExport", "SheetImportReport", "export_sheet", "import_sheet", "moved_since",
           "parse_tick", "resolve_typed_code", "same_text", "sheet_codes"]
