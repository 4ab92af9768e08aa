"""`thematic report quotes|workbook`: the Word quote appendix and the workbook of every table."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import StudyOpt, console, error_boundary, library_warnings, lit, open_study, out_path, report_app


class Order(str, Enum):
    participant = "participant"
    document = "document"
    chosen = "chosen"


class DocLabel(str, Enum):
    neutral = "neutral"
    title = "title"
    id = "id"


class Style(str, Enum):
    pseudonym_role = "pseudonym-role"
    name_role = "name-role"
    role = "role"


@report_app.command("quotes")
def quotes_cli(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output file: .docx (Word) or .md (Markdown). Default: reports/appendix.docx in the study.")] = None,
    template: Annotated[Optional[Path], typer.Option("--template", help="A .docx whose styles (headings, Quote, ...) the appendix uses.")] = None,
    codes: Annotated[Optional[str], typer.Option("--codes", help="Only these themes/codes (comma-separated ids).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Participant attribute for per-group counts (and --groups).")] = None,
    groups: Annotated[Optional[str], typer.Option("--groups", help="With --by: only quotes from these groups (comma-separated).")] = None,
    max_quotes: Annotated[Optional[int], typer.Option("--max-quotes", min=1, help="At most N quotes per code (one per participant first).")] = None,
    order: Annotated[Order, typer.Option(help="Order quotes by participant, by document, or chosen (#chosen in the memo) first.")] = Order.participant,
    style: Annotated[Style, typer.Option(help="Attribution: 'P03 (peer mentor)', '(Name, role)' with the pseudonym, or role only.")] = Style.pseudonym_role,
    charts: Annotated[bool, typer.Option("--charts", help="Include frequency charts (PNG).")] = False,
    table: Annotated[bool, typer.Option("--table/--no-table", help="Include the frequency table.")] = True,
    title: Annotated[Optional[str], typer.Option("--title", help="Title on the first page.")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only these coders' codings (comma-separated).")] = None,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Also use unreviewed suggestions.")] = False,
    documents: Annotated[Optional[str], typer.Option("--documents", help="Only these documents (id patterns, e.g. 'interviews-*'); N = their speakers.")] = None,
    doc_label: Annotated[DocLabel, typer.Option("--doc-label", help="Name documents neutrally ('Interview 3'; file names may hold real names), by title or by id.")] = DocLabel.neutral,
    study: StudyOpt = None,
) -> None:
    """Write the quote appendix: per theme and code a heading, its definition, "n of N participants" and attributed quotes."""
    from ..export.reports import report_quotes

    with error_boundary(), library_warnings():
        s = open_study(study)
        path = report_quotes(
            s.frames(), out_path(out) if out else s.root / "reports" / "appendix.docx",
            template=template, codes=codes, by=by, groups=groups, max_quotes=max_quotes, order=order.value,
            style=style.value, charts=charts, table=table, title=title, coder=coder,
            include_suggested=include_suggested, documents=documents,
            document_label=doc_label.value, paper=s.config.paper,
        )
    console.print(f"Wrote {lit(path)}", highlight=False)


@report_app.command("workbook")
def workbook_cli(
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output .xlsx (default: reports/tables.xlsx in the study).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Attributes for by-group sheets (comma-separated; default: all with 2-12 values).")] = None,
    coders: Annotated[Optional[str], typer.Option("--coders", help="Coders for the agreement sheets (default: thematic.toml's coders).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only these coders' codings in the frequency sheets.")] = None,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Also count unreviewed suggestions.")] = False,
    boot: Annotated[int, typer.Option("--boot", min=0, max=100_000, help="Bootstrap resamples for agreement intervals.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the bootstrap.")] = 0,
    study: StudyOpt = None,
) -> None:
    """Write every analysis table (frequencies, by group, matrices, co-occurrence, attributes, agreement) as sheets of one workbook."""
    from ..export.reports import default_coders, report_workbook

    with error_boundary(), library_warnings():
        s = open_study(study)
        frames = s.frames()
        who = coders if coders is not None else default_coders(frames, s.config.coders)
        path = report_workbook(frames, out_path(out) if out else s.root / "reports" / "tables.xlsx", by=by,
                               coders=who, coder=coder, include_suggested=include_suggested, n_boot=boot, seed=seed)
    console.print(f"Wrote {lit(path)}", highlight=False)
