"""`thematic evaluate`: score the suggesters like coders, against a gold file or the study's manual codings."""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from .._atomic import check_target, write_text_atomic
from .._spreadsheet import csv_text
from ._app import StudyOpt, app, console, err_console, error_boundary, lit, open_study, out_path, stdout_closed


class EvalFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _num(x: Any) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def short_name(name: str) -> str:
    """The name a researcher types (``rules``, ``similarity``) for a built-in suggester; others as they are."""
    from ..coding.evaluate import BASELINE
    from ..coding.suggest.base import SHORT_NAMES

    if name == BASELINE:
        return "baseline"
    return next((short for short, full in SHORT_NAMES.items() if full == name), name)


def _scored(mode: str) -> str:
    """A short form of how a suggester was scored, for a narrow table."""
    if mode.startswith("zero-shot"):
        return "zero-shot"
    if "cross-validation" in mode:
        return mode.split(" cross-validation")[0] + " CV"
    return "most frequent code" if mode.startswith("most frequent") else mode


def render_table(result: dict[str, Any], *, per_code: bool = False) -> None:
    """Print the overall figures per suggester (and, when asked, per code)."""
    console.print(f"Source: {escape(result['source'])}; {result['n_units']} units, {result['n_human_codes']} human "
                  f"codes; codebook {escape(result['codebook']['name'])} {lit(result['codebook']['version'])}.")
    folds = result.get("folds")
    if folds:
        console.print(f"Trained suggesters: {folds['k']} folds grouped by {escape(str(folds['grouped_by']))} "
                      f"({folds['n_groups']} groups; a unit's group is never in its own training data).")
    wide = console.width >= 110  # on a narrow terminal: the figures that matter, never cut
    cols = ["suggester", "how scored", *(["micro P", "micro R"] if wide else []), "micro F1", "macro F1",
            "mean kappa", "top-1 P", "top-3 R", *(["suggested"] if wide else []), "per unit"]
    t = Table(title="Suggesters measured like coders")
    for col in cols:
        text = col in {"suggester", "how scored"}
        t.add_column(col, justify="left" if text else "right", max_width=None if text else 5 + 4 * (col == "suggested"))
    for name, r in result["suggesters"].items():
        if "skipped" in r:
            t.add_row(lit(short_name(name)), "[yellow]skipped[/]", *["-"] * (len(cols) - 2))
            continue
        figures = {"micro P": _num(r["micro"]["precision"]), "micro R": _num(r["micro"]["recall"]),
                   "micro F1": _num(r["micro"]["f1"]), "macro F1": _num(r["macro"]["f1"]),
                   "mean kappa": _num(r["kappa_mean"]), "top-1 P": _num(r["top1_precision"]),
                   "top-3 R": _num(r["top3_recall"]),
                   "suggested": "-" if r.get("folds_trained") == 0 else str(r["n_suggested"]),
                   "per unit": "-" if r.get("suggestions_per_unit") is None else f"{r['suggestions_per_unit']:.1f}"}
        t.add_row(lit(short_name(name)), lit(wide and r["mode"] or _scored(r["mode"])),
                  *(figures[c] for c in cols[2:]))
    console.print(t)
    for name, r in result["suggesters"].items():
        if "skipped" in r:
            console.print(f"[yellow]{escape(name)} skipped:[/] {escape(r['skipped'])}", soft_wrap=True)
        for note in r.get("notes", []):
            console.print(f"[dim]{escape(name)}: {escape(note)}[/]", soft_wrap=True)
    for w in result["warnings"]:
        err_console.print(f"[yellow]{escape(w)}[/]", soft_wrap=True)
    if per_code:
        _render_per_code(result)
    console.print("[dim]Read it as agreement with a human coder: kappa above 0.6 is substantial. Per-code figures "
                  "on a handful of examples are noisy; see docs/assisted-coding.md#how-to-read-it.[/]")


def _render_per_code(result: dict[str, Any]) -> None:
    for name, r in result["suggesters"].items():
        if "skipped" in r or name.startswith("baseline"):
            continue
        t = Table(title=f"{lit(short_name(name))}: per code")
        for col in ("code", "support", "suggested", "P", "R", "F1", "kappa"):
            t.add_column(col, justify="left" if col == "code" else "right")
        for row in r["per_code"]:
            t.add_row(lit(row["code_id"]), str(row["support"]), str(row["predicted"]), _num(row["precision"]),
                      _num(row["recall"]), _num(row["f1"]), _num(row["kappa"]))
        console.print(t)


@app.command("evaluate")
def evaluate_cli(
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Gold JSON Lines file of {\"id\", \"text\", \"codes\"} "
                                                 "(default: the study's own manual codings).")] = None,
    cv: Annotated[int, typer.Option("--cv", help="Folds for the model's cross-validation.")] = 5,
    suggesters: Annotated[Optional[str], typer.Option(
        "--suggesters", help="Comma-separated: rules, model, similarity, ensemble, llm (default: rules, model, similarity "
                             "and the ensemble, `thematic code`'s default; similarity reads wording only without the "
                             "embeddings extra).")] = None,
    codebook: Annotated[Optional[Path], typer.Option("--codebook", help="Codebook YAML (default: the study's).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Use only this coder's manual codings.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table (readable), json (all figures) or csv "
                                            "(one row per suggester and code); with --out, the file's suffix "
                                            "says.")] = EvalFormat.table,
    per_code: Annotated[bool, typer.Option("--per-code", help="With --format table: also show each code.")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the figures to this file instead of the screen, "
                                                "as its suffix says: .json or .csv (--format json|csv must agree).")] = None,
    curve: Annotated[bool, typer.Option("--curve", help="Learning curve instead: kappa and F1 of each trained "
                                        "suggester named (default the model) after N coded segments, random vs "
                                        "uncertainty-first order.")] = False,
    sizes: Annotated[str, typer.Option("--sizes", help="With --curve: numbers of coded segments (the pool's size "
                                       "is always added).")] = "25,50,100,200",
    chart: Annotated[Optional[Path], typer.Option("--chart", help="With --curve: chart file (.png, .svg or .pdf; "
                                                  "default reports/learning-curve.png in a study).")] = None,
    study: StudyOpt = None,
) -> None:
    """Measure each suggester against human codes: precision, recall, F1, Cohen's kappa, top-1/top-3.

    Zero-shot suggesters use the codebook only; the model is scored by k-fold cross-validation.
    A most-frequent-code baseline is shown for comparison.
    Docs: docs/assisted-coding.md#thematic-evaluate-suggesters-measured-like-coders
    """
    from ..coding.evaluate import evaluate, evaluation_frame, evaluation_json
    from ..errors import StudyError

    with error_boundary():
        try:
            s = open_study(study)
        except StudyError:
            if gold is None or codebook is None:
                raise
            s = None
        options = {"cache_dir": str(s.paths.coded / "cache")} if s is not None else {}
        names = [x.strip() for x in suggesters.split(",") if x.strip()] if suggesters else None
        target, fmt = _out(out, fmt)
        if curve:
            _curve(s, gold=gold, codebook=codebook, coder=coder, names=names, sizes=sizes, cv=cv, chart=chart,
                   fmt=fmt, out=target, options=options)
            return
        result = evaluate(s, gold=gold, cv=cv, suggesters=names, codebook=codebook, coder=coder, options=options)
        if fmt is EvalFormat.table:
            render_table(result, per_code=per_code)
            return
        _emit(evaluation_json(result) if fmt is EvalFormat.json else csv_text(evaluation_frame(result)), target,
              result["warnings"], holds_warnings=fmt is EvalFormat.json)


#: What `evaluate --out` writes: the figures as JSON or CSV (the table is for the screen).
OUT_FORMATS = ("csv", "json")


def _out(out: Optional[Path], fmt: EvalFormat) -> tuple[Optional[Path], EvalFormat]:
    """``--out`` checked before any work, as every export's is: the format its suffix names (E405 unless .json or
    .csv, so never the store or a backup), which ``--format json|csv`` must agree with (E412); a link, pipe or
    device is refused (E417)."""
    if out is None:
        return None, fmt
    from .._formats import check_suffix
    from ..export.tables import format_of

    target = out_path(out)
    by_suffix = format_of(target, None, allowed=OUT_FORMATS)
    check_suffix(target, None if fmt is EvalFormat.table else fmt.value)
    check_target(target)
    return target, EvalFormat(by_suffix)


def _emit(text: str, target: Optional[Path], warnings: list[str], *, holds_warnings: bool = False) -> None:
    """JSON or CSV to ``target`` (atomically, saying so) or to stdout (a reader gone ends quietly, as other
    commands do); the warnings go to stderr, except on stdout beside JSON, which ``holds_warnings`` itself."""
    if target is None:
        try:
            typer.echo(text, nl=False)
        except BrokenPipeError:
            stdout_closed()
        if holds_warnings:
            return
    else:
        write_text_atomic(target, text)
        console.print(f"Wrote {lit(target)}.", highlight=False)
    for w in warnings:
        err_console.print(f"[yellow]{escape(w)}[/]", soft_wrap=True)


def _curve(s: Any, *, gold: Optional[Path], codebook: Optional[Path], coder: Optional[str], names: Optional[list[str]],
           sizes: str, cv: int, chart: Optional[Path], fmt: EvalFormat, out: Optional[Path],
           options: dict[str, Any]) -> None:
    """`thematic evaluate --curve`: the table (or JSON/CSV) and the chart file."""
    from ..analysis.charts import figure_format, save_figure
    from ..coding.curve import curve_chart, curve_frame, study_curve
    from ..coding.evaluate import evaluation_json
    from ..errors import Errors, InputError

    try:
        steps = sorted({int(x) for x in sizes.split(",") if x.strip()})
    except ValueError:
        steps = []
    if not steps or steps[0] < 1:
        raise InputError(Errors.E379.format(name="evaluate --curve", param="--sizes", value=sizes,
                                            allowed="comma-separated whole numbers, e.g. 25,50,100"))
    target = out_path(chart) if chart is not None else (
        (s.root / "reports" / "learning-curve.png") if s is not None else Path("learning-curve.png").absolute())
    figure_format(target)  # a bad suffix is refused before the work, not after it
    check_target(target)
    result = study_curve(s, gold=gold, codebook=codebook, coder=coder, suggester=names or ["model"],
                         sizes=steps, cv=cv, options=options)
    save_figure(curve_chart(result), str(target), dpi=150)
    result["chart"] = str(target)
    if fmt is not EvalFormat.table:
        _emit(evaluation_json(result) if fmt is EvalFormat.json else csv_text(curve_frame(result)), out,
              result["warnings"], holds_warnings=fmt is EvalFormat.json)
        return
    folds = result["folds"]
    several = len(result["suggesters"]) > 1
    console.print(f"Learning curve of {escape(result['suggester'])}: {result['n_units']} units, {folds['k']} folds "
                  f"grouped by {escape(str(folds['grouped_by']))} ({folds['n_groups']} groups); "
                  f"source: {escape(result['source'])}.")
    t = Table(title="After N segments decided by a person")
    cols = [*(["suggester"] if several else []), "N segments", "with a code", "order", "mean kappa", "micro F1",
            "per unit", "folds trained"]
    for col in cols:
        t.add_column(col, justify="left" if col in ("order", "suggester") else "right")
    drawn = result["suggesters"]
    for p in sorted(result["points"], key=lambda p: (drawn.index(p["suggester"]), p["n_coded"], p["order"])):
        spu = p["suggestions_per_unit"]
        t.add_row(*([lit(short_name(p["suggester"]))] if several else []), str(p["n_coded"]), f"{p['with_code']:g}",
                  lit(p["order"]), _num(p["kappa_mean"]), _num(p["micro_f1"]), "-" if spu is None else f"{spu:.1f}",
                  f"{p['folds_trained']}/{folds['k']}")
    console.print(t)
    console.print("[dim]N counts every segment of a fold's training pool (in a study: each turn you decided, "
                  "with or without a code); 'with a code' is how many of them you coded, averaged "
                  "over the folds. Figures come from the folds that trained; '-': none did.[/]")
    for w in result["warnings"]:
        err_console.print(f"[yellow]{escape(w)}[/]", soft_wrap=True)
    console.print(f"Chart: {escape(str(target))}")
