"""`thematic ingest` and `thematic export segments`: thin wrappers over thematic.ingest."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table

from ._app import StudyOpt, app, console, err_console, error_boundary, export_app, lit, open_study, refuse_stdout

if TYPE_CHECKING:
    from ..ingest.report import IngestReport


class Unit(str, Enum):
    turn = "turn"
    paragraph = "paragraph"
    sentence = "sentence"


class TableFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"


_STATUS_STYLE = {"new": "green", "changed": "cyan", "unchanged": "dim", "failed": "bold red"}
_MAX_WARNINGS = 20


def _short(path: str) -> str:
    """A file's path without the ``data/raw/`` every input shares."""
    return path[len("data/raw/"):] if path.startswith("data/raw/") else path


def render_report(report: "IngestReport", *, verbose: bool = False) -> None:
    """Print the per-file summary table, pseudonymisation counts, warnings and failures."""
    table = Table(title="Ingest", show_lines=False)
    table.add_column("file", overflow="fold")
    if verbose:
        table.add_column("document", overflow="fold")
    for col, justify in (("status", "left"), ("format", "left"), ("segments", "right"), ("speakers", "right"),
                         ("warnings", "right")):
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    rows = report.rows if verbose else [r for r in report.rows if r.status != "unchanged"]
    for r in rows:
        style = _STATUS_STYLE.get(r.status, "")
        cells = [lit(_short(r.path))] + ([lit(r.document_id or "-")] if verbose else [])
        table.add_row(*cells, f"[{style}]{r.status}[/]", lit(r.format or "-"), str(r.segments),
                      str(len(r.speakers)), str(len(r.warnings)) if r.warnings else "")
    counts = report.counts()
    total_segments = sum(r.segments for r in report.rows)
    if rows:
        console.print(table)
    console.print(
        f"{len(report.rows)} file(s): {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} "
        f"unchanged, {counts['failed']} failed; {total_segments:,} segments; {report.participants} participant(s) "
        "from participants.csv.")
    replaced = report.replaced
    if replaced:
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(replaced.items()))
        console.print(f"Pseudonymised: {lit(what)} replacement(s). Key: {lit(report.key_path)} (never exported).",
                      highlight=False)
    _render_notes(report, verbose=verbose)


def _rereads_in_one(warnings: list[str], *, verbose: bool) -> list[str]:
    """W107 for many files at once (a new thematic reads files differently, a changed setting) as one line
    naming the count and the first few files, in the place of the first; every file's own with ``--verbose``."""
    rereads = [w for w in warnings if w.startswith("[W107] ")]
    if verbose or len(rereads) < 3:
        return warnings
    paths = [w[len("[W107] "):].split(": re-read because", 1)[0] for w in rereads]
    why = rereads[0].split(": re-read because", 1)[1]
    one = f"[W107] {len(paths)} files ({', '.join(paths[:3])}, …): re-read because{why}"
    first = warnings.index(rereads[0])
    rest = [w for w in warnings if not w.startswith("[W107] ")]
    return [*rest[:first], one, *rest[first:]]


def _render_notes(report: "IngestReport", *, verbose: bool) -> None:
    for w in report.warnings:
        err_console.print(f"[yellow]{escape(w)}[/]", highlight=False, soft_wrap=True)
    warnings = _rereads_in_one([w for r in report.rows for w in r.warnings], verbose=verbose)
    for w in warnings[: None if verbose else _MAX_WARNINGS]:
        console.print(f"[yellow]{escape(w)}[/]", highlight=False, soft_wrap=True)
    if len(warnings) > _MAX_WARNINGS and not verbose:
        console.print(f"[yellow]… and {len(warnings) - _MAX_WARNINGS} more warnings (use --verbose).[/]")
    for w in report.study_warnings:
        console.print(f"[yellow]{escape(w)}[/]", highlight=False, soft_wrap=True)
    reanchored = sum(r.reanchored for r in report.rows)
    flagged = sum(r.flagged for r in report.rows)
    refitted = sum(r.refitted for r in report.rows)
    if reanchored or flagged or refitted:
        fitted = (f"{refitted} re-fitted to the whole of their turn, now read without text such as its "
                  "speaker-label line, " if refitted else "")
        console.print(f"Codings on changed files: {reanchored} moved with their quote, {fitted}"
                      f"{flagged} flagged for review.")
    if report.missing:
        console.print(f"[yellow]{len(report.missing)} stored document(s) no longer in data/raw:[/] "
                      + lit(", ".join(report.missing[:8])) + (" …" if len(report.missing) > 8 else "")
                      + ". They still count; `thematic ingest --prune` removes them (their codings stay in the log, "
                        "flagged).", highlight=False)
    if report.pruned:
        console.print(f"Removed {len(report.pruned)} document(s) gone from data/raw: "
                      + lit(", ".join(report.pruned[:8])) + (" …" if len(report.pruned) > 8 else "")
                      + ("." if report.purged else "; their codings are flagged 'orphaned'."), highlight=False)
    if report.purged:
        console.print(f"Purged {len(report.purged)} document(s) ({lit(', '.join(report.purged[:8]))}"
                      f"{' …' if len(report.purged) > 8 else ''}): their text, segments and {report.purged_codings} "
                      "coding(s) are erased from the store, and from its event log; the vector and model caches were "
                      "cleared.", highlight=False)
    if report.purged_respondents:
        console.print(f"Purged the coded words of {len(report.purged_respondents)} screened-out respondent(s) ("
                      f"{lit(', '.join(report.purged_respondents[:8]))}{' …' if len(report.purged_respondents) > 8 else ''}"
                      "): their codings' text and memos are erased from the event log (the events stay, redacted).",
                      highlight=False)
    if report.purged or report.purged_respondents:
        if report.backups_holding:
            console.print(f"[yellow]{len(report.backups_holding)} backup(s) made before this still hold their text:[/] "
                          + lit(", ".join(report.backups_holding[:5])) + (" …" if len(report.backups_holding) > 5 else "")
                          + ".", highlight=False)
        if report.reports_holding:
            console.print(f"[yellow]{len(report.reports_holding)} file(s) under reports/ written before this may hold "
                          "their words (quotes, workbooks, sample sheets):[/] " + lit(", ".join(report.reports_holding[:10]))
                          + (" …" if len(report.reports_holding) > 10 else "")
                          + ". Delete them, or write them again now.", highlight=False)
        if report.backups_holding or report.reports_holding:
            console.print("Deleting these (and any copies you made or shared) completes the withdrawal.",
                          highlight=False)
    for r in report.failed:
        err_console.print(f"[bold red]Failed:[/] {escape(r.error or '')}", highlight=False, soft_wrap=True)


def _render_key(study: object) -> None:
    from ..ingest.pseudonymise import PseudonymKey
    from ..ingest.run import key_path

    key = PseudonymKey.load(key_path(study))  # type: ignore[arg-type]
    table = Table(title=lit(f"Pseudonym key ({key.path})"))
    for col in ("kind", "real", "pseudonym"):
        table.add_column(col)
    for kind, real, pseudonym in key.entries():
        table.add_row(lit(kind), lit(real), lit(pseudonym))
    console.print(table)


@app.command("ingest")
def ingest_cli(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Files or folders to ingest (default: everything in data/raw/).")] = None,
    study: StudyOpt = None,
    unit: Annotated[Optional[Unit], typer.Option(
        "--unit", "-u", help="Segment by turn, paragraph or sentence (default: the unit in thematic.toml).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-read files even if they are unchanged.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List unchanged files and every warning.")] = False,
    show_key: Annotated[bool, typer.Option(
        "--show-key", help="Also print the pseudonym key (real names!). Off by default.")] = False,
    allow_outside: Annotated[bool, typer.Option(
        "--allow-outside", help="Also read files that resolve outside the study folder (symlinks).")] = False,
    prune: Annotated[bool, typer.Option(
        "--prune", help="Remove stored documents whose files are gone from data/raw (their codings stay in the log, "
        "flagged).")] = False,
    purge: Annotated[bool, typer.Option(
        "--purge", help="With --prune: erase those documents, and any pruned before, from the store and its log "
        "(a participant withdrew consent).")] = False,
) -> None:
    """Read transcripts, subtitles and surveys into the study: segments, speakers, pseudonyms.

    Unchanged files are skipped; codings on changed files follow their quotes or are flagged for
    review. Files that fail are listed at the end (exit code 1); the others are still ingested.
    """
    from ..ingest.run import ingest, input_files

    with error_boundary():
        s = open_study(study)
        files, missing = input_files(s, paths, allow_outside=allow_outside)
        with Progress(TextColumn("[bold]Ingesting[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}", markup=False), console=console, transient=True) as bar:
            task = bar.add_task("", total=len(files) + len(missing))
            report = ingest(s, paths, unit=unit.value if unit else None, force=force, allow_outside=allow_outside,
                            prune=prune, purge=purge,
                            progress=lambda path: bar.update(task, advance=1, description=path))
        render_report(report, verbose=verbose)
        if show_key:
            _render_key(s)
    if report.failed:
        raise typer.Exit(1)


@export_app.command("segments")
def export_segments_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (.csv, .xlsx or .parquet).")],
    format: Annotated[Optional[TableFormat], typer.Option(
        "--format", "-f", help="csv, xlsx or parquet (default: from the --out extension).")] = None,
    document: Annotated[Optional[list[str]], typer.Option(
        "--document", "-d", help="Only this document id (repeatable).")] = None,
    no_interviewer: Annotated[bool, typer.Option(
        "--no-interviewer", help="Leave out interviewer turns.")] = False,
    study: StudyOpt = None,
) -> None:
    """Export segments with speaker, participant, role, timestamps and participant attributes."""
    from ..ingest.export import export_segments

    with error_boundary():
        refuse_stdout(out)
        s = open_study(study)
        result = export_segments(s.store, out, format=format.value if format else None, document=document,
                                 include_interviewer=not no_interviewer)
    for w in result.warnings:
        console.print(f"[yellow]{escape(w)}[/]", highlight=False, soft_wrap=True)
    console.print(f"Wrote {result.rows:,} segments to {lit(result.path)}", highlight=False)
