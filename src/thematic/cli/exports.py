"""`thematic export codings|tables`: codings and every analysis table as CSV, Parquet or XLSX."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import StudyOpt, console, error_boundary, export_app, library_warnings, lit, open_study, out_path


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


FormatOpt = Annotated[Optional[TableFormat], typer.Option("--format", "-f", help="csv, parquet or xlsx (default: from --out's suffix).")]


@export_app.command("codings")
def codings_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file (.csv, .parquet or .xlsx).")],
    format: FormatOpt = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only these coders (comma-separated).")] = None,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Also export unreviewed suggestions.")] = False,
    all_statuses: Annotated[bool, typer.Option("--all-statuses", help="Export every coding, rejected suggestions included.")] = False,
    study: StudyOpt = None,
) -> None:
    """Export codings with code label, theme, participant and location (manual + accepted by default)."""
    from ..export.tables import codings_table, write_table

    with error_boundary(), library_warnings():
        f = open_study(study).frames()
        table = codings_table(f.codings, f.segments, f.codebook, coder=coder, include_suggested=include_suggested,
                              all_statuses=all_statuses)
        path = write_table(table, out_path(out), format=format.value if format else None)
    console.print(f"Wrote {len(table)} codings to {lit(path)}", highlight=False)


@export_app.command("tables")
def tables_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="A folder (csv, parquet: one file per table) or an .xlsx workbook.")],
    format: FormatOpt = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Attributes for by-group tables (comma-separated).")] = None,
    coders: Annotated[Optional[str], typer.Option("--coders", help="Coders for the agreement tables (default: thematic.toml's coders).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Only these coders' codings in the frequency tables.")] = None,
    include_suggested: Annotated[bool, typer.Option("--include-suggested", help="Also count unreviewed suggestions.")] = False,
    study: StudyOpt = None,
) -> None:
    """Export every analysis table: frequencies, by group, matrices, co-occurrence, attributes, agreement."""
    from ..export.reports import default_coders, export_tables

    with error_boundary(), library_warnings():
        s = open_study(study)
        frames = s.frames()
        who = coders if coders is not None else default_coders(frames, s.config.coders)
        paths = export_tables(frames, out_path(out), format=format.value if format else None, by=by, coders=who, coder=coder,
                              include_suggested=include_suggested)
    console.print(f"Wrote {len(paths)} file(s): {lit(', '.join(str(p) for p in paths[:4]))}"
                  f"{' …' if len(paths) > 4 else ''}", highlight=False)
