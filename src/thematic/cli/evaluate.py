"""`thematic evaluate`: score the suggesters like coders, against a gold file or the study's manual codings."""

from __future__ import annotations

import math
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from .._atomic import write_text_atomic
from ._app import StudyOpt, app, console, err_console, error_boundary, open_study


class EvalFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _num(x: Any) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}"


def render_table(result: dict[str, Any], *, per_code: bool = False) -> None:
    """Print the overall figures per suggester (and, when asked, per code)."""
    console.print(f"Source: {escape(result['source'])}; {result['n_units']} units, {result['n_human_codes']} human "
                  f"codes; codebook {escape(result['codebook']['name'])} {result['codebook']['version']}.")
    t = Table(title="Suggesters measured like coders")
    for col in ("suggester", "how scored", "micro P", "micro R", "micro F1", "macro F1", "mean kappa", "top-1 P",
                "top-3 R", "suggested"):
        t.add_column(col, justify="left" if col in {"suggester", "how scored"} else "right")
    for name, r in result["suggesters"].items():
        if "skipped" in r:
            t.add_row(name, "[yellow]skipped[/]", *["-"] * 8)
            continue
        t.add_row(name, r["mode"], _num(r["micro"]["precision"]), _num(r["micro"]["recall"]), _num(r["micro"]["f1"]),
                  _num(r["macro"]["f1"]), _num(r["kappa_mean"]), _num(r["top1_precision"]), _num(r["top3_recall"]),
                  str(r["n_suggested"]))
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
        t = Table(title=f"{name}: per code")
        for col in ("code", "support", "suggested", "P", "R", "F1", "kappa"):
            t.add_column(col, justify="left" if col == "code" else "right")
        for row in r["per_code"]:
            t.add_row(row["code_id"], str(row["support"]), str(row["predicted"]), _num(row["precision"]),
                      _num(row["recall"]), _num(row["f1"]), _num(row["kappa"]))
        console.print(t)


@app.command("evaluate")
def evaluate_cli(
    gold: Annotated[Optional[Path], typer.Option("--gold", help="Gold JSON Lines file of {\"id\", \"text\", \"codes\"} "
                                                 "(default: the study's own manual codings).")] = None,
    cv: Annotated[int, typer.Option("--cv", help="Folds for the model's cross-validation.")] = 5,
    suggesters: Annotated[Optional[str], typer.Option(
        "--suggesters", help="Comma-separated: rules, model, similarity, llm (default: rules, model, and similarity "
                             "when installed).")] = None,
    codebook: Annotated[Optional[Path], typer.Option("--codebook", help="Codebook YAML (default: the study's).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Use only this coder's manual codings.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", help="table (readable), json (all figures) or csv "
                                            "(one row per suggester and code).")] = EvalFormat.table,
    per_code: Annotated[bool, typer.Option("--per-code", help="With --format table: also show each code.")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write json/csv to this file instead of the screen.")] = None,
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
        result = evaluate(s, gold=gold, cv=cv, suggesters=names, codebook=codebook, coder=coder, options=options)
        if fmt is EvalFormat.table:
            render_table(result, per_code=per_code)
            return
        text = (evaluation_json(result) if fmt is EvalFormat.json
                else evaluation_frame(result).to_csv(index=False))
        if out is not None:
            write_text_atomic(out, text)
            console.print(f"Wrote {out}.")
        else:
            typer.echo(text, nl=False)
