"""`thematic refi export` and `thematic refi import`: exchange studies with other QDA programs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from ._app import StudyOpt, console, error_boundary, lit, open_study, refi_app


@refi_app.command("export")
def refi_export_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write: FILE.qdpx (project) or FILE.qdc (codebook).")],
    codebook_only: Annotated[bool, typer.Option("--codebook-only", help="Write only the codebook (a .qdc file).")] = False,
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Also export suggestions nobody has accepted yet (default: manual + accepted).")] = False,
    codebook: Annotated[Optional[Path], typer.Option(
        "--codebook", help="Codebook YAML to export (default: the study's codebook).")] = None,
    study: StudyOpt = None,
) -> None:
    """Export the study as REFI-QDA for NVivo, ATLAS.ti, MAXQDA or QualCoder (docs: docs/refi.md)."""
    from ..refi import export_refi

    with error_boundary():
        s = open_study(study)
        summary = export_refi(s, out, codebook_only=codebook_only, include_suggested=include_suggested,
                              codebook=codebook)
    held = ", ".join(f"{n} {k}" for k, n in summary.counts.items())
    console.print(f"Wrote {escape(str(summary.path))} ({lit(held)})", highlight=False)
    for note in summary.notes:
        console.print(f"[yellow]{escape(note)}[/]", highlight=False)


@refi_app.command("import")
def refi_import_cli(
    file: Annotated[Path, typer.Argument(help="A .qdpx project, .qde project XML or .qdc codebook.")],
    study: StudyOpt = None,
    into: Annotated[Optional[Path], typer.Option(
        "--into", help="Create a new study in this folder and import into it.")] = None,
) -> None:
    """Import a REFI-QDA project or codebook and report what could not be carried over (docs: docs/refi.md)."""
    from ..errors import Errors, StudyError
    from ..refi import import_refi

    with error_boundary():
        if study is not None and into is not None:
            raise StudyError("[E511] Give either --study (an existing study) or --into (a new one), not both.")
        if into is not None and (into / "thematic.toml").exists():
            raise StudyError(Errors.E002.format(path=into))
        target = open_study(study) if into is None else into
        report = import_refi(file, target)
    render_import_report(report)


def render_import_report(report) -> None:  # ImportReport; kept untyped for a fast --help
    """Print what was found, imported, checked and left behind."""
    where = f"new study {report.study_root}" if report.created_study else f"study {report.study_root}"
    console.print(f"Imported [bold]{escape(report.path.name)}[/] ({escape(report.origin or 'unknown program')}) into "
                  f"{escape(where)}", highlight=False)
    table = Table(show_header=True, box=None)
    table.add_column("")
    table.add_column("found", justify="right")
    table.add_column("imported", justify="right")
    for key in dict.fromkeys([*report.found, *report.imported]):
        table.add_row(escape(str(key)), str(report.found.get(key, "")), str(report.imported.get(key, "")))
    console.print(table)
    console.print(f"Quotes checked: {report.verified} match, {len(report.mismatches)} differ (flagged for review), "
                  f"{report.unverifiable} could not be checked (the selection has no quote).")
    for m in report.mismatches[:20]:
        console.print(f"  [yellow]{escape(str(m.document_id))} {lit(m.start)}:{lit(m.end)}[/] expected '{escape(str(m.expected))}', "
                      f"found '{escape(str(m.found))}'",
                      highlight=False)
    if report.sets:
        sets = ", ".join(f"{name} ({c} codes, {s} sources)" for name, c, s in report.sets)
        console.print(f"Sets: {sets}", highlight=False, markup=False)
    if report.codebook_path is not None:
        console.print(f"Codebook written to {report.codebook_path}", highlight=False, markup=False)
    for note in report.notes:
        console.print(note, highlight=False, markup=False)
    if report.not_carried_over:
        console.print(f"[yellow]Not carried over ({len(report.not_carried_over)}):[/]")
        for line in report.not_carried_over:
            console.print(f"  {lit(line)}", highlight=False)
    if report.imported.get("codings"):
        console.print(f"The imported codings form batch {lit(report.batch_id)} (undo it to remove them all).",
                      highlight=False)
