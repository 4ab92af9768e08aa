"""`thematic sample` and `thematic code mark-seen`: double-coding samples and what each coder saw."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from ._app import (StudyOpt, app, code_app, code_group_coder, code_group_value, console, error_boundary, lit,
                   open_study, out_path)


def file_part(name: str) -> str:
    """``name`` as one safe part of a file name: a coder named ``HT/SO`` or ``../x`` never picks the folder."""
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "coder"


@app.command("sample")
def sample_cli(
    coder: Annotated[str, typer.Option("--coder", help="Who double-codes the sample, e.g. SO.")],
    fraction: Annotated[Optional[float], typer.Option("--fraction", help="Share of participant segments, e.g. 0.2 (from every stratum).")] = None,
    n: Annotated[Optional[int], typer.Option("--n", help="How many segments in all, exactly (instead of --fraction); at least one per stratum, so at least the number of strata (else E604).")] = None,
    by: Annotated[str, typer.Option("--by", help="Stratify by 'document' or a participant attribute (e.g. role).")] = "document",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed: the same seed and data give the same sample.")] = 0,
    document: Annotated[Optional[list[str]], typer.Option("--document", "-d", help="Only this document (repeatable).")] = None,
    of: Annotated[Optional[str], typer.Option("--of", help="Only segments this first coder saw (e.g. HT): recorded as seen or coded by them, as agreement counts them; so the sample is double-coded.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="The coder's blind sheet (.xlsx; default reports/coding-CODER-sample.xlsx).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the sheet if the file exists (it may be the coder's filled-in sheet, not imported yet).")] = False,
    study: StudyOpt = None,
) -> None:
    """Draw a seeded, stratified double-coding sample for a coder, record it, and write their blind sheet of just those segments.

    `thematic sample --coder SO --fraction 0.2`, then `thematic import sheet FILE --coder SO` and
    `thematic agreement --coders HT,SO --sample latest`. See docs/two-coders.md.
    """
    with error_boundary():
        s = open_study(study)
        target = out if out is not None else s.root / "reports" / f"coding-{file_part(coder)}-sample.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        result = s.sample(coder=coder, fraction=fraction, n=n, by=by, seed=seed, document=document, of=of,
                          out=out_path(target), force=force)
    strata = ", ".join(f"{k}: {v}" for k, v in result.strata.items())
    console.print(f"Sample [cyan]{lit(result.sample_id)}[/]: {len(result.segments)} of {result.n_candidates} participant "
                  f"segment(s) for [bold]{lit(coder)}[/], by {lit(by)} (seed {seed}) — {lit(strata)}.", highlight=False)
    console.print(f"Wrote {escape(str(result.sheet))}: fill it in, then `thematic import sheet "
                  f"{escape(_as_typed(result.sheet, s.root))} --coder {escape(shlex.quote(coder))}`.", highlight=False)


def _as_typed(path: Path, root: Path) -> str:
    """``path`` as `thematic import sheet` reads it: relative to the study folder when inside it, quoted for a shell."""
    try:
        shown = path.relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(path)
    return shlex.quote(shown)


@code_app.command("mark-seen")
def mark_seen_cli(
    ctx: typer.Context,
    segments: Annotated[Optional[list[str]], typer.Argument(help="Segment ids (e.g. int-01:4).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Who saw and decided on the segments.")] = None,
    document: Annotated[Optional[list[str]], typer.Option("--document", "-d", help="Every participant segment of this document (repeatable).")] = None,
    sample: Annotated[Optional[str], typer.Option("--sample", help="Every segment of this recorded sample (id, latest or latest:CODER).")] = None,
    source: Annotated[str, typer.Option("--source", help="Where the coding was done (kept with the record).")] = "cli",
    study: StudyOpt = None,
) -> None:
    """Record that a coder saw and decided on segments (coded or not), so agreement compares coders over what both saw.

    `thematic code mark-seen --coder SO --document int-03` or `thematic code mark-seen int-01:4 int-01:6 --coder SO`.
    """
    coder, study = code_group_coder(ctx, coder), code_group_value(ctx, "study", study)
    with error_boundary():
        s = open_study(study)
        ids = list(segments or [])
        if document:
            from ..coding.manual import resolve_documents

            document = resolve_documents(s.store, document)  # E408 with a did-you-mean, not "Recorded 0"
            ids += list(s.store.segments(document=document, include_interviewer=False, with_text=False)["segment_id"])
        if sample:
            ids += list(s.store.sample_segments(sample)["segment_id"])
        n = s.mark_seen(ids, coder=coder, source=source)
        total = len(s.seen(coder))
    console.print(f"Recorded {n} segment(s) as seen by [bold]{lit(coder)}[/] ({total} in all).", highlight=False)
