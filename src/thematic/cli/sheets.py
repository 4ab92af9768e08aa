"""`thematic export sheet` and `thematic import sheet`: the blind spreadsheet round-trip for a coder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ._app import StudyOpt, console, error_boundary, export_app, import_app, lit, open_study
from .manual import CoderOpt

_SHOW = 20


@export_app.command("sheet")
def export_sheet_cli(
    coder: CoderOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="The .xlsx file to write.")],
    document: Annotated[Optional[list[str]], typer.Option("--document", "-d",
                                                          help="Only this document (repeatable).")] = None,
    include_interviewer: Annotated[bool, typer.Option("--include-interviewer",
                                                      help="Also list the interviewer's turns.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace --out if it exists (it may be a coder's filled-in sheet, not imported yet).")] = False,
    study: StudyOpt = None,
) -> None:
    """Write a coder's blind coding sheet: one row per segment, one column per code, a free 'codes' column and a memo.

    The sheet shows only this coder's own codings (never another coder's or a suggester's).
    Fill it in Excel or LibreOffice (tick with 1 or x), then `thematic import sheet FILE --coder NAME`.
    See docs/manual-coding.md#spreadsheet-round-trip.
    """
    with error_boundary():
        s = open_study(study)
        result = s.export_sheet(out, coder=coder, document=document, include_interviewer=include_interviewer,
                                force=force)
    console.print(f"Wrote {lit(result.path)}: {result.rows} segment(s) × {len(result.code_columns)} code(s) for coder "
                  f"[bold]{lit(coder)}[/] ({result.prefilled} of their codings pre-ticked).", highlight=False)


def render_report(report: Any) -> None:
    """Counts, then every problem row (up to a screenful per kind) with what to do."""
    head = "Dry run (nothing stored)" if report.dry_run else "Imported"
    console.print(f"{head} {lit(report.path.name)} for coder [bold]{lit(report.coder)}[/]: {report.rows} row(s) read.",
                  highlight=False)
    table = Table(show_header=False, box=None)
    for label, n in (("codings added", report.added), ("codings removed (unticked)", report.removed),
                     ("accepted suggestions rejected (unticked)", report.rejected),
                     ("codings unchanged", report.unchanged), ("memos updated", report.memos),
                     ("segments recorded as seen", report.seen)):
        table.add_row(label, str(n))
    if report.skipped:
        table.add_row("rows skipped (not recorded as seen)", str(report.skipped))
    if report.kept:
        table.add_row("codings kept though not ticked (coded since the export)", str(report.kept))
    if report.left_removed:
        table.add_row("ticks left removed (removed since the export)", str(len(report.left_removed)))
    console.print(table)
    for p in getattr(report, "notes", []):
        console.print(f"[{p.code}] {p.message}", highlight=False, markup=False)
    for title, items in (("Unknown codes", report.unknown_codes), ("Changed rows (skipped)", report.changed_rows),
                         ("Segments that no longer exist (skipped)", report.missing_segments),
                         ("Cells not read", report.unreadable),
                         ("Codings kept though not ticked (coded since the export)", report.kept_codings),
                         ("Ticks left removed (removed since the export)", report.left_removed)):
        if items:
            console.print(f"[yellow]{title}: {len(items)}[/]")
            for p in items[:_SHOW]:
                console.print(f"  row {p.line}: [{p.code}] {p.message}", highlight=False, markup=False)
            if len(items) > _SHOW:
                console.print(f"  … and {len(items) - _SHOW} more")
    if report.batch_id:
        console.print(f"This import is batch [cyan]{lit(report.batch_id)}[/] (`thematic undo {lit(report.batch_id)}` undoes all "
                      "of it: additions, unticks, memo edits and rows seen).", highlight=False)


@import_app.command("sheet")
def import_sheet_cli(
    path: Annotated[Path, typer.Argument(help="The filled-in coding sheet (.xlsx; a .csv saved from it only adds).")],
    coder: CoderOpt,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; store nothing.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit with status 1 if any row had a problem.")] = False,
    study: StudyOpt = None,
) -> None:
    """Read a coder's filled-in sheet back as their manual codings; report unknown codes and changed rows.

    Ticked codes are added, unticked ones removed (logged); rows whose segment changed since the
    export are skipped and listed. See docs/manual-coding.md#spreadsheet-round-trip.
    """
    with error_boundary():
        s = open_study(study)
        report = s.import_sheet(path, coder=coder, dry_run=dry_run)
    render_report(report)
    if strict and not report.ok:
        raise typer.Exit(1)
