"""`thematic agreement`: inter-coder agreement per code, disagreements, NVivo-style character figures."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape

if TYPE_CHECKING:
    import pandas as pd

from ._app import StudyOpt, app, console, err_console, error_boundary, lit, open_study
from .tables import render_frame, save_chart


class AgreementLevel(str, Enum):
    code = "code"
    theme = "theme"


class Units(str, Enum):
    seen = "seen"
    documents = "documents"


@app.command("agreement")
def agreement_cli(
    coders: Annotated[Optional[str], typer.Option("--coders", help="Coders to compare, e.g. HT,SO (default: thematic.toml's coders).")] = None,
    codes: Annotated[Optional[str], typer.Option("--codes", help="Only these codes (comma-separated; a theme or sub-theme means the codes applied beneath it, or with --level theme its own row).")] = None,
    level: Annotated[AgreementLevel, typer.Option(help="Agreement on codes as applied, or on themes (a theme = any of its codes).")] = AgreementLevel.code,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Count unreviewed suggestions (to measure a suggester as a coder).")] = False,
    units: Annotated[Units, typer.Option("--units", help="seen: segments every coder saw (sheet rows, widget, review, mark-seen, coded); documents: every segment of documents each coded (the old rule).")] = Units.seen,
    sample: Annotated[Optional[str], typer.Option("--sample", help="Only the segments of this recorded sample (an id from `thematic sample`, or latest, latest:CODER).")] = None,
    boot: Annotated[int, typer.Option("--boot", min=0, max=100_000, help="Bootstrap resamples for the 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the bootstrap, for reproducible intervals.")] = 0,
    characters: Annotated[bool, typer.Option("--characters", help="Also show NVivo-style character-level agreement and kappa (two coders).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the agreement and disagreement tables to FILE (.docx or .xlsx; .csv: disagreements only).")] = None,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Save a chart of Krippendorff's alpha by code (.png or .svg).")] = None,
    study: StudyOpt = None,
) -> None:
    """Agreement between coders per code and pooled: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

    Units are segments: each coder's decision (code applied or not) on every segment all of them
    saw (recorded coverage plus what they coded); `--units documents` restores the old rule. The
    title says how many segments that is. Undefined statistics show n/a with the reason.
    """
    import warnings

    from ..analysis import agreement, character_agreement, disagreements
    from ..analysis.intercoder import NoCoverageWarning, spelt_as_stored
    from ..export.reconcile import agreement_rows, agreement_title, write_agreement_report

    with error_boundary():
        s = open_study(study)
        f = s.frames()
        who = coders if coders is not None else list(s.config.coders)
        typed = list(who) if not isinstance(who, str) else [c.strip() for c in who.split(",") if c.strip()]
        names = spelt_as_stored(f.codings, typed, f.coverage)  # `ht,so` is HT and SO in every line below
        picked = list(s.store.sample_segments(sample)["segment_id"]) if sample else None
        seen_kw = dict(coverage=f.coverage, units=units.value, sample=picked)
        kw = dict(coders=names, codebook=f.codebook, codes=codes, level=level.value,
                  include_suggested=include_suggested, **seen_kw)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NoCoverageWarning)
            table = agreement(f.codings, f.segments, n_boot=boot, seed=seed, **kw)
            diffs = disagreements(f.codings, f.segments, **kw)
            chars = character_agreement(f.codings, coders=names, doc_lengths=f.doc_lengths, codebook=f.codebook,
                                        codes=codes, include_suggested=include_suggested, segments=f.segments,
                                        **seen_kw) if characters else None
        for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, NoCoverageWarning)):
            err_console.print(f"[yellow]{escape(message)}[/]", highlight=False)
        import pandas as pd

        header, rows = agreement_rows(table)
        render_frame(pd.DataFrame(rows, columns=header), title=agreement_title(table, names, n_boot=boot))
        console.print(lit(_coverage_line(table, names)), highlight=False)
        for code, note in table.loc[table["note"] != "", ["code_id", "note"]].itertuples(index=False):
            console.print(f"[dim]{escape(str(code))}: {escape(str(note))}[/]", highlight=False)
        console.print(f"{len(diffs)} segment(s) coded differently.")
        if chars is not None:
            pooled = chars.loc[chars["document_id"] == "(all documents)"]
            render_frame(pooled[["code_id", "percent_agreement", "kappa", "note"]],
                         title="Character-level agreement and kappa (as NVivo computes them)")
        if out is not None:
            from ._app import out_path

            path = write_agreement_report(table, diffs, out_path(out), coders=names, characters=chars, n_boot=boot,
                                          paper=s.config.paper)
            console.print(f"Wrote {lit(path)}", highlight=False)
        if chart is not None:
            from ..analysis.charts import agreement_chart

            save_chart(agreement_chart(table), chart)


def _coverage_line(table: pd.DataFrame, coders: list[str]) -> str:
    """How many segments each coder saw and how many all of them saw (the units of every figure above)."""
    if not len(table):
        return "No segment was seen by these coders."
    first = table.iloc[0]
    seen = [f"{c} saw {int(first[f'seen_{c}'])}" for c in coders if f"seen_{c}" in table]
    if seen:
        seen[0] += " segment(s)"
    both = "both" if len(coders) == 2 else "all"
    return f"{', '.join(seen)}; {both} saw {int(first['n_shared'])} (every figure above is over these)."
