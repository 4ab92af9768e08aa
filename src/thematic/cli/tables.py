"""`thematic tables frequency|attributes|cooccurrence|matrix`: thin wrappers over thematic.analysis."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ._app import StudyOpt, console, error_boundary, lit, open_study, out_path, tables_app

ByOpt = Annotated[Optional[str], typer.Option("--by", help="Participant attribute to group by (e.g. role); N per group.")]
CoderOpt = Annotated[Optional[str], typer.Option("--coder", help="Only these coders' codings (comma-separated).")]
SuggestedOpt = Annotated[bool, typer.Option("--include-suggested", help="Also count suggestions nobody has reviewed.")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the table to FILE (.csv, .xlsx or .parquet).")]
DocsOpt = Annotated[Optional[str], typer.Option("--documents", help="Only these documents (id patterns, e.g. 'interviews-*'); N = their speakers.")]
ChartOpt = Annotated[Optional[Path], typer.Option("--chart", help="Also save a chart to FILE (.png or .svg).")]


class Level(str, Enum):
    all = "all"
    theme = "theme"
    code = "code"


class Unit(str, Enum):
    segment = "segment"
    participant = "participant"
    document = "document"


class Columns(str, Enum):
    participant = "participant"
    document = "document"


class CellValue(str, Enum):
    segments = "segments"
    presence = "presence"


class Percent(str, Enum):
    row = "row"
    column = "column"


def render_frame(df: Any, *, title: str | None = None, max_rows: int = 60, index: bool = False,
                 headings: dict[int, str] | None = None) -> None:
    """Print a DataFrame as a rich table (numbers right-aligned, floats rounded).

    ``headings`` maps a row position to a heading printed as a row of its own above it. The title, headers
    and cells are shown as written (a label "Theme [/b]" or a value "[red]" is text, not markup).
    """
    import pandas as pd

    from ..analysis.frequency import percent_text

    frame = df.reset_index() if index else df
    table = Table(title=None if title is None else lit(title), title_justify="left", show_lines=False)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col])
        table.add_column(lit(col), justify="right" if numeric else "left", overflow="fold")
    digits = [1 if str(c).startswith("pct") else 3 for c in frame.columns]
    for pos, row in enumerate(frame.head(max_rows).itertuples(index=False)):
        if headings and pos in headings:
            table.add_section()
            table.add_row(lit(headings[pos]), *([""] * (len(frame.columns) - 1)), style="bold")
        table.add_row(*("" if v is None or (not isinstance(v, str) and pd.isna(v)) else
                        (percent_text(v, d) if d == 1 else f"{v:.{d}f}") if isinstance(v, float) else lit(v)
                        for v, d in zip(row, digits)))
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"… {len(frame) - max_rows} more rows (use --out to write them all).")


def write_out(df: Any, out: Optional[Path]) -> None:
    """Write a table when --out was given and say where."""
    if out is not None:
        from ..export.tables import write_table

        path = write_table(df, out_path(out))
        console.print(f"Wrote {lit(path)}", highlight=False)


def save_chart(fig: Any, chart: Optional[Path]) -> None:
    """Save a Figure when --chart was given and say where."""
    if chart is not None:
        from ..analysis.charts import save_figure

        save_figure(fig, str(out_path(chart)))
        console.print(f"Wrote {lit(chart)}", highlight=False)


@tables_app.command("frequency")
def frequency_cli(
    by: ByOpt = None,
    level: Annotated[Level, typer.Option(help="Themes, codes, or all (themes and codes).")] = Level.all,
    coder: CoderOpt = None,
    include_suggested: SuggestedOpt = False,
    wide: Annotated[bool, typer.Option("--wide", help="Write 'n of N' with one column per group (--by), else per source kind (interviewees, survey respondents).")] = False,
    documents: DocsOpt = None,
    question: Annotated[Optional[list[str]], typer.Option("--question", help="Only answers to this survey question (id or text, '*' patterns; repeat for several); N = who answered it.")] = None,
    out: OutOpt = None,
    chart: ChartOpt = None,
    study: StudyOpt = None,
) -> None:
    """Segments, documents and "n of N participants" per theme and code, optionally by a participant attribute."""
    from ..analysis import frequencies, frequency_wide
    from ..analysis.frequency import population_note
    from ..analysis.selection import UNCATALOGUED, UNCATALOGUED_HEADING

    with error_boundary():
        f = open_study(study).frames()
        freq = frequencies(f.codings, f.segments, f.participants, f.codebook, by=by, level=level.value,
                           coder=coder, include_suggested=include_suggested, documents=documents,
                           coverage=f.coverage, question=question)
        first = freq.drop_duplicates("code_id")
        indented = ["  " * int(d) + str(lab) for d, lab in zip(first["depth"], first["label"])]
        # codes in codings but not in the codebook come last: under their own heading, not the last theme's
        loose = [i for i, kind in enumerate(first["kind"]) if kind == UNCATALOGUED]
        headings = {loose[0]: UNCATALOGUED_HEADING} if loose else None
        if by or freq["source"].nunique() > 1:
            shown = frequency_wide(freq).assign(label=indented).drop(columns="kind")
        else:
            shown = freq.assign(label=indented)[["label", "n_of_N", "pct_participants", "n_segments", "n_documents"]]
        render_frame(shown, title="Frequencies" + (f" by {by}" if by else ""), headings=headings)
        if f.consensus_note and not coder:
            console.print(f"[dim]{lit(f.consensus_note)}[/]", highlight=False)
        console.print(lit(population_note(freq)))
        write_out(frequency_wide(freq) if wide else freq, out)
        if chart is not None:
            from ..analysis.charts import frequency_chart

            save_chart(frequency_chart(freq, level=None if level is Level.all else level.value,
                                       value="pct_participants" if by else "n_participants"), chart)


def _not_empty(value: str) -> str:
    """A usage error for an empty --sep (there is nothing to split a multi-select answer at)."""
    if value == "":
        raise typer.BadParameter("must be at least one character, e.g. ';' or ','")
    return value


@tables_app.command("attributes")
def attributes_cli(
    attributes: Annotated[Optional[list[str]], typer.Argument(help="Attributes to tally (default: all but ids and names).")] = None,
    multi: Annotated[Optional[str], typer.Option("--multi", help="Multi-select attributes to split into options (comma-separated).")] = None,
    sep: Annotated[str, typer.Option("--sep", callback=_not_empty,
                                     help="Separator between options of a multi-select answer.")] = ";",
    by: Annotated[Optional[str], typer.Option("--by", help="Cross each attribute with this one (a crosstab).")] = None,
    percent: Annotated[Optional[Percent], typer.Option(help="With --by: percentages of each row or column.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the table to FILE (.csv, .xlsx or .parquet); with --by, every crosstab in that one file (a sheet each in .xlsx, else stacked under an 'attribute' column).")] = None,
    study: StudyOpt = None,
) -> None:
    """Survey-style tallies: participants per attribute value (n of N, %), multi-select split, crosstabs."""
    from ..analysis import attribute_tallies, crosstab
    from ..analysis.attributes import is_personal
    from ..analysis.selection import attribute_column

    with error_boundary():
        participants = open_study(study).store.participants()
        if by is None:
            table = attribute_tallies(participants, attributes, multi_select=multi, sep=sep)
            render_frame(table, title="Participants by attribute")
            console.print(f"N: {len(participants)} participant(s) with a row in participants.csv or a survey file, "
                          "with or without a transcript turn or answer (frequency tables count only those with one).")
            write_out(table, out)
            return
        by = attribute_column(participants, by)
        names = attributes or [c for c in participants.columns if c != by and not is_personal(c)]
        tables = {}
        for name in names:
            tables[name] = crosstab(participants, name, by, multi_select=multi, sep=sep,
                                    percent=percent.value if percent else None)
            render_frame(tables[name], title=f"{name} by {by}", index=True)
        if out is not None:
            from ..export.tables import write_crosstabs

            console.print(f"Wrote {lit(write_crosstabs(tables, out_path(out)))}", highlight=False)


@tables_app.command("cooccurrence")
def cooccurrence_cli(
    unit: Annotated[Unit, typer.Option(help="Codes co-occur in the same segment, participant or document.")] = Unit.segment,
    level: Annotated[Level, typer.Option(help="Cross codes, themes, or all (themes and codes).")] = Level.code,
    matrix: Annotated[bool, typer.Option("--matrix", help="Write the square code x code matrix instead of pairs.")] = False,
    jaccard: Annotated[bool, typer.Option("--jaccard", help="Matrix/heatmap of Jaccard indices instead of counts.")] = False,
    min_count: Annotated[int, typer.Option(min=1, help="Only pairs sharing at least this many units.")] = 1,
    include_nested: Annotated[bool, typer.Option("--include-nested", help="Also pair a code with its own sub-codes (left out, and blank in the matrix, by default).")] = False,
    coder: CoderOpt = None,
    include_suggested: SuggestedOpt = False,
    out: OutOpt = None,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Also save a heatmap to FILE (.png or .svg).")] = None,
    study: StudyOpt = None,
) -> None:
    """Pairs of codes applied together: counts and the Jaccard index (both / either)."""
    from ..analysis import cooccurrence, cooccurrence_matrix

    with error_boundary():
        f = open_study(study).frames()
        kw = dict(unit=unit.value, level=level.value, coder=coder, include_suggested=include_suggested,
                  include_nested=include_nested)
        pairs = cooccurrence(f.codings, f.segments, f.codebook, min_count=min_count, **kw)
        square = cooccurrence_matrix(f.codings, f.segments, f.codebook, value="jaccard" if jaccard else "n_both", **kw) \
            if (matrix or chart is not None) else None
        if matrix:
            from ..analysis.selection import entry_table

            names = entry_table(f.codebook, square.index).set_index("code_id")["label"].to_dict()
            render_frame(square.set_axis([names.get(c, c) for c in square.index], axis=0).rename_axis("code"),
                         title=f"Co-occurrence matrix ({unit.value}, {'Jaccard' if jaccard else 'units with both'})",
                         index=True)
        else:
            render_frame(pairs[["label_a", "label_b", "n_a", "n_b", "n_both", "jaccard"]],
                         title=f"Co-occurrence ({unit.value})")
        write_out(square if matrix else pairs, out)
        if chart is not None:
            from ..analysis.charts import cooccurrence_heatmap
            from ..analysis.selection import entry_table

            labels = entry_table(f.codebook, square.index).set_index("code_id")["label"].to_dict()
            save_chart(cooccurrence_heatmap(square, labels=labels), chart)


@tables_app.command("matrix")
def matrix_cli(
    columns: Annotated[Columns, typer.Option(help="Columns are participants or documents.")] = Columns.participant,
    value: Annotated[CellValue, typer.Option(help="Cells count coded segments, or show presence (0/1).")] = CellValue.segments,
    level: Annotated[Level, typer.Option(help="Rows are themes, codes, or all (themes and codes).")] = Level.all,
    coder: CoderOpt = None,
    include_suggested: SuggestedOpt = False,
    documents: DocsOpt = None,
    out: OutOpt = None,
    study: StudyOpt = None,
) -> None:
    """Code x participant (or x document) matrix of coded segments."""
    from ..analysis import code_matrix, with_labels

    with error_boundary():
        f = open_study(study).frames()
        m = with_labels(code_matrix(f.codings, f.segments, f.participants, f.codebook, columns=columns.value,
                                    value=value.value, level=level.value, coder=coder,
                                    include_suggested=include_suggested, documents=documents), f.codebook)
        render_frame(m.drop(columns="label").set_index(m["label"]), title=f"Code x {columns.value}", index=True)
        write_out(m, out)
