"""`thematic agreement`: inter-coder agreement per code, disagreements, NVivo-style character figures."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import StudyOpt, app, console, error_boundary, open_study
from .tables import render_frame, save_chart


class AgreementLevel(str, Enum):
    code = "code"
    theme = "theme"


@app.command("agreement")
def agreement_cli(
    coders: Annotated[Optional[str], typer.Option("--coders", help="Coders to compare, e.g. HT,SO (default: thematic.toml's coders).")] = None,
    codes: Annotated[Optional[str], typer.Option("--codes", help="Only these codes (comma-separated; a theme means its codes).")] = None,
    level: Annotated[AgreementLevel, typer.Option(help="Agreement on codes as applied, or on themes (a theme = any of its codes).")] = AgreementLevel.code,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Count unreviewed suggestions (to measure a suggester as a coder).")] = False,
    boot: Annotated[int, typer.Option("--boot", help="Bootstrap resamples for the 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap, for reproducible intervals.")] = 0,
    characters: Annotated[bool, typer.Option("--characters", help="Also show NVivo-style character-level agreement and kappa (two coders).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the agreement and disagreement tables to FILE (.docx or .xlsx; .csv: disagreements only).")] = None,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Save a chart of Krippendorff's alpha by code (.png or .svg).")] = None,
    study: StudyOpt = None,
) -> None:
    """Agreement between coders per code and pooled: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

    Units are segments: each coder's decision (code applied or not) on every segment of the
    documents they coded. Undefined statistics show n/a with the reason.
    """
    from ..analysis import agreement, character_agreement, disagreements
    from ..export.reconcile import agreement_rows, write_agreement_report

    with error_boundary():
        s = open_study(study)
        f = s.frames()
        who = coders if coders is not None else list(s.config.coders)
        kw = dict(coders=who, codebook=f.codebook, codes=codes, level=level.value,
                  include_suggested=include_suggested)
        table = agreement(f.codings, f.segments, n_boot=boot, seed=seed, **kw)
        diffs = disagreements(f.codings, f.segments, **kw)
        chars = character_agreement(f.codings, coders=who, doc_lengths=f.doc_lengths, codebook=f.codebook,
                                    codes=codes, include_suggested=include_suggested) if characters else None
        import pandas as pd

        header, rows = agreement_rows(table)
        render_frame(pd.DataFrame(rows, columns=header), title="Agreement (segments as units, 95% bootstrap CI)")
        for code, note in table.loc[table["note"] != "", ["code_id", "note"]].itertuples(index=False):
            console.print(f"[dim]{code}: {note}[/]")
        console.print(f"{len(diffs)} segment(s) coded differently.")
        if chars is not None:
            pooled = chars.loc[chars["document_id"] == "(all documents)"]
            render_frame(pooled[["code_id", "percent_agreement", "kappa", "note"]],
                         title="Character-level agreement and kappa (as NVivo computes them)")
        if out is not None:
            names = list(who) if not isinstance(who, str) else [c.strip() for c in who.split(",")]
            path = write_agreement_report(table, diffs, out.resolve(), coders=names, characters=chars,
                                          paper=s.config.paper)
            console.print(f"Wrote {path}")
        if chart is not None:
            from ..analysis.charts import agreement_chart

            save_chart(agreement_chart(table), chart)
