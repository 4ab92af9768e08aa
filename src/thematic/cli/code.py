"""`thematic code`: the batch run (ingest what changed, run the suggesters, store suggestions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text
from rich.table import Table

from ..errors import Errors
from ._app import CODE_GROUP, StudyOpt, code_app, console, err_console, error_boundary, is_interactive, lit, open_study
from .evaluate import short_name

if TYPE_CHECKING:
    from ..coding.run import CodeRunReport

_STYLE = {"ran": "green", "up to date": "dim", "skipped": "yellow"}

NEXT_STEPS = (
    ("thematic review", "accept or reject the suggestions (add --order uncertain for the most uncertain first)"),
    ("thematic tables frequency", "count manual and accepted codings by code and participant"),
    ("thematic report quotes", "write the Word appendix of quotes by theme and code"),
)


def render_code_report(report: "CodeRunReport", open_suggestions: int | None = None) -> None:
    """Print the ingest summary (if anything changed), one row per suggester, and what to do next
    (`thematic review` only when suggestions are open to review: ``open_suggestions``, None: not known)."""
    if report.ingest is not None and (report.ingest.changed_documents or report.ingest.failed):
        from .ingest import render_report

        render_report(report.ingest)
    if report.nothing_changed:
        console.print("[dim]Nothing changed since the last run: no document is new or changed and the "
                      "codebook and suggester settings are the same. Nothing to do.[/]")
    table = Table(title=f"Suggestions (codebook {lit(report.codebook_version)})")
    table.add_column("suggester", overflow="fold")
    for col, justify in (("status", "left"), ("docs", "right"), ("segments", "right"), ("words", "right"),
                         ("suggested", "right"), ("known", "right"), ("s", "right")):
        table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for r in report.runs:
        style = _STYLE.get(r.status, "")
        table.add_row(lit(short_name(r.name)), f"[{style}]{lit(r.status)}[/]", str(r.documents), f"{r.segments:,}", f"{r.words:,}",
                      f"{r.added:,}", f"{r.already:,}", f"{r.seconds:.1f}")
    console.print(table)
    console.print("[dim]known: already suggested, accepted or rejected on that segment, so not stored again.[/]")
    for note in report.notes:
        err_console.print(f"[yellow]{escape(note)}[/]", soft_wrap=True)
    for r in report.runs:
        if r.reason and r.status == "skipped":
            console.print(f"[yellow]{escape(short_name(r.name))} skipped:[/] {escape(r.reason)}", soft_wrap=True)
        for note in r.notes:
            err_console.print(f"[yellow]{escape(r.name)}:[/] {escape(note)}", soft_wrap=True)
        if r.skipped_codes:
            codes = ", ".join(f"{c} ({n})" for c, n in sorted(r.skipped_codes.items()))
            console.print(f"[dim]{escape(r.name)}: codes with too few examples to learn (examples): {escape(codes)}[/]",
                          soft_wrap=True)
    if report.batch_id:
        console.print(f"{report.added:,} suggestion(s) stored in batch {lit(report.batch_id)} "
                      f"(undo with `thematic undo {lit(report.batch_id)}`).")
    console.print("\nWhat to do next:")
    for cmd, why in NEXT_STEPS:
        if cmd != "thematic review" or open_suggestions is None or open_suggestions > 0:
            console.print(f"  [bold]{cmd}[/]  {why}")


class _RateColumn(ProgressColumn):
    """Items (passages, documents) per second."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.1f}/s" if task.speed else "", style="progress.data.speed")


def _progress_bar() -> tuple[Any, Any]:
    bar = Progress(TextColumn("{task.description}", markup=False), BarColumn(), MofNCompleteColumn(), _RateColumn(),
                   TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   console=err_console, transient=True, disable=not is_interactive())
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage.replace("suggest:", "suggesting: "), total=max(total, 1))
        bar.update(tasks[stage], completed=done, total=max(total, 1))

    return bar, update


@code_app.callback(invoke_without_command=True)
def code_cli(
    ctx: typer.Context,
    suggesters: Annotated[Optional[str], typer.Option(
        "--suggesters", help="Comma-separated suggesters: ensemble, rules, model, similarity, llm (default: "
                             "thematic.toml \\[code], the ensemble unless changed).")] = None,
    coder: Annotated[Optional[str], typer.Option(
        "--coder", help="Train the model on this coder's manual codings and reviews only; the run is recorded "
                        "under this name. Before add, remove or mark-seen: who codes (as their own "
                        "--coder).")] = None,
    limit: Annotated[Optional[int], typer.Option(
        "--limit", min=1, help="Try the suggesters on the first N passages to do (not remembered: the next run "
                               "does them all; the llm's answers are cached; a pending codebook migration still "
                               "runs first, W386).")] = None,
    sample: Annotated[Optional[int], typer.Option(
        "--sample", min=1, help="Try the suggesters on N passages drawn at random (seed 0); like --limit.")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Suggest on a Dask cluster: the scheduler's address (tcp://HOST:8786), or \"local\" "
                            "for this machine's cores (default: thematic.toml \\[code] scheduler). Docs: docs/dask.md")] = None,
    study: StudyOpt = None,
) -> None:
    """Ingest what changed, run the suggesters on new or changed documents, and store their suggestions.

    Suggestions are `suggested` codings with confidence and provenance, stored as one undoable batch;
    nothing already suggested, accepted or rejected is suggested again. With nothing changed it does
    nothing. Then review them with `thematic review`. A file the ingest could not read makes it exit 1, as
    `thematic ingest` does (the other files are still suggested on). Docs: docs/assisted-coding.md#thematic-code
    """
    if ctx.invoked_subcommand is not None:
        batch_only = [f"--{name} {value}" for name, value in (("suggesters", suggesters), ("limit", limit),
                                                              ("sample", sample), ("scheduler", scheduler))
                      if value is not None]
        if batch_only:
            raise typer.BadParameter(Errors.E530.format(options=" ".join(batch_only), command=ctx.invoked_subcommand),
                                     ctx, param_hint=", ".join(f"'{o.split()[0]}'" for o in batch_only))
        ctx.meta[CODE_GROUP] = {"study": study, "coder": coder.strip() if coder else None}
        return
    from ..coding.run import code

    with error_boundary():
        s = open_study(study)
        bar, update = _progress_bar()
        with bar:
            report = code(s, suggesters=suggesters, coder=coder, progress=update, limit=limit, sample=sample,
                          scheduler=scheduler)
        by_status = s.store.counts()["by_status_coder"]
        render_code_report(report, sum(n for status, _, n in by_status if status == "suggested"))
    if report.ingest is not None and report.ingest.failed:
        raise typer.Exit(1)  # as `thematic ingest`: a file it could not read (listed above) is a failed run
