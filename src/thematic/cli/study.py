"""`thematic init` and `thematic status`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import display_path
from ._app import StudyOpt, app, console, err_console, error_boundary, lit, open_study, refuse_stdout


@app.command("init")
def init_cli(
    path: Annotated[Path, typer.Argument(help="Folder to create the study in (created if missing).")] = Path("."),
    name: Annotated[Optional[str], typer.Option(help="Study name (default: the folder's name).")] = None,
) -> None:
    """Create a study folder: thematic.toml, codebooks/, data/raw/, data/coded/, reports/, notebooks/."""
    from ..study import init_study

    with error_boundary():
        study = init_study(path, name=name)
    console.print(f"Created study [bold]{lit(study.config.name)}[/] in {lit(study.root)}", highlight=False)
    console.print("Next: put transcripts in data/raw/, a codebook in codebooks/, then run `thematic code`.")


def render_status(info: dict[str, Any]) -> None:
    """Print the status dictionary as rich tables."""
    console.print(f"[bold]{lit(info['study'])}[/]  ({lit(info['root'])})", highlight=False)
    summary = Table(show_header=False, box=None)
    summary.add_row("documents", str(info["documents"]))
    summary.add_row("segments", str(info["segments"]))
    summary.add_row("participants", f"{info['participants']} (counted in tables; {info['roster']} on record)")
    summary.add_row("codings", f"{info['codings']} ({info['flagged']} flagged for review)")
    summary.add_row("codebook", lit(f"{info['codebook'] or '-'}  version {info['codebook_version'] or '-'}"))
    console.print(summary)
    if info.get("codebook_problem"):
        console.print(f"[yellow]{lit(info['codebook_problem'])}[/]", highlight=False)
    if info["by_status_coder"]:
        t = Table(title="Codings by status and coder")
        for col in ("status", "coder", "codings"):
            t.add_column(col, justify="right" if col == "codings" else "left")
        for status, coder, n in info["by_status_coder"]:
            t.add_row(lit(status), lit(coder), str(n))
        console.print(t)
    if info["codings_under_older_versions"]:
        older = lit(", ".join(f"{n} under {v}" for v, n in info["codings_under_older_versions"]))
        console.print(f"[yellow]Codings made under older codebook versions:[/] {older}. "
                      "Run `thematic codebook migrate` to bring them to the current version.")
    if info.get("codings_ahead"):
        console.print(f"[yellow]{escape(info['codings_ahead'])}[/]", highlight=False)
    stale = info["stale"]
    for kind, label in (("new", "not yet ingested"), ("changed", "changed since ingest"), ("missing", "gone from data/raw")):
        if stale[kind]:
            console.print(f"[yellow]{len(stale[kind])} file(s) {label}:[/] {lit(', '.join(stale[kind][:8]))}"
                          + (" …" if len(stale[kind]) > 8 else ""), highlight=False)
    for path, error in stale.get("failed", []):
        console.print(f"[red]{lit(path)} could not be read at the last ingest:[/] {lit(error)}", highlight=False)
    for path, warning in stale.get("unread", []):
        console.print(f"[red]Not read by ingest:[/] {lit(warning)}", highlight=False)
    if stale["new"] or stale["changed"]:
        console.print("Run `thematic ingest` (or `thematic code`) to bring the store up to date.")
    if stale["missing"]:
        console.print("Files gone from data/raw still count; `thematic ingest --prune` removes their documents "
                      "(a moved or renamed file is found again by its content).")


@app.command("status")
def status_cli(study: StudyOpt = None) -> None:
    """Show what the study holds: documents, segments, codings by status and coder, codebook version, stale inputs."""
    from ..study import status

    with error_boundary():
        s = open_study(study)
        info = status(s)
    render_status(info)


@app.command("batches")
def batches_cli(study: StudyOpt = None) -> None:
    """List the coding batches (suggester runs, searches, sheet and REFI imports) with their ids, for `thematic undo`."""
    with error_boundary():
        s = open_study(study)
        df = s.store.batches()
    if df.empty:
        console.print("No batches yet: `thematic code`, `search --code` and imports create them.")
        return
    table = Table(title="Batches")
    for col in ("batch", "kind", "by", "created", "codings", "undone"):
        table.add_column(col, overflow="fold")
    for r in df.itertuples(index=False):
        table.add_row(lit(r.batch_id), lit(r.kind), lit(r.actor), lit(str(r.created_at)[:19]), str(r.n_codings),
                      lit(str(r.undone_at)[:19]) if isinstance(r.undone_at, str) else "")  # NULL reads as NaN
    console.print(table)
    console.print("Undo one with `thematic undo BATCH_ID`.")


@app.command("backup")
def backup_cli(
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="File or folder to write to (default: data/coded/backups/thematic-TIME.db).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace an earlier backup of this study at --out (never a study's store, another study's "
                        "backup, a file with a -wal beside it, or any other file).")] = False,
    study: StudyOpt = None,
) -> None:
    """Copy the store (every document, coding and the event log) with SQLite's online backup API."""
    with error_boundary():
        refuse_stdout(out)
        s = open_study(study)
        path = s.store.backup(out, force=force)
    console.print(f"Backed up the store to {lit(display_path(path))}", highlight=False, soft_wrap=True)


@app.command("restore")
def restore_cli(
    backup: Annotated[Path, typer.Argument(help="The backup to restore (e.g. one in data/coded/backups/).")],
    force: Annotated[bool, typer.Option(
        "--force", help="Restore even a backup of another study (its store id differs, or it shares no document).")] = False,
    study: StudyOpt = None,
) -> None:
    """Replace the store with a backup: checks it, keeps a copy of the store it replaces, drops a stale WAL."""
    from ..context import StudyPaths, find_study_root
    from ..store.restore import restore_store

    with error_boundary():
        paths = StudyPaths(find_study_root(study))
        report = restore_store(paths.db, backup, force=force, root=paths.root)
    console.print(f"Restored {lit(display_path(backup))}: {report.documents} document(s), {report.codings} coding(s).",
                  highlight=False, soft_wrap=True)
    if report.read:
        console.print(f"Read in {lit(', '.join(report.read))} beside the backup, as SQLite does: it held changes "
                      "not yet written into the backup file (the backup's files were left as they were).",
                      highlight=False, soft_wrap=True)
    if report.removed:
        console.print(f"Removed the leftover {lit(', '.join(report.removed))} (not part of the backup).", highlight=False)
    if report.before is not None:
        console.print(f"The store it replaced is kept as {lit(display_path(report.before))}; "
                      "`thematic restore` that file to go back.", highlight=False, soft_wrap=True)
    for note in report.notes:
        err_console.print(f"[yellow]{escape(note)}[/]", highlight=False, soft_wrap=True)
