"""The agreement report for the reconciliation meeting: agreement per code and the disagreement
table (segment, text, what each coder applied) as a Word document or an Excel workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

import pandas as pd
from docx.enum.section import WD_ORIENT

from .._docx_layout import set_paper
from ..analysis.frequency import percent_text
from ..store import spelt_as_known
from ._docx import SUMMARY, add_page_numbers, add_table, ensure_styles, open_document, save_document
from .tables import format_of

_DISAGREEMENT_FIXED = frozenset({"document_id", "document_label", "segment_id", "location", "participant_id", "speaker",
                                 "text", "disputed", "decision", "memo"})
_STATS = (("percent_agreement", "% agree"), ("cohen_kappa", "Cohen κ"), ("fleiss_kappa", "Fleiss κ"),
          ("krippendorff_alpha", "Kripp. α"))


def _num(value: float) -> str:
    """Two decimals, never "-0.00" (a rounded tiny negative reads as a real sign)."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _fmt(value: float, low: float, high: float, pct: bool = False) -> str:
    if pd.isna(value):
        return "n/a"
    if pct:
        return f"{percent_text(100 * value)}%"
    bounds = "" if pd.isna(low) else f" [{_num(low)}, {_num(high)}]"
    return f"{_num(value)}{bounds}"


def agreement_title(table: pd.DataFrame, coders: Sequence[str], *, n_boot: int, confidence: float = 0.95) -> str:
    """What the table is over: how many segments every coder saw, the unit rule, and the interval (if any)."""
    shared = int(table["n_shared"].iloc[0]) if len(table) else 0
    rule = str(table["units"].iloc[0]) if "units" in table and len(table) else "seen"
    what = {"seen": "seen by", "documents": "in documents coded by"}.get(rule.split(" ")[0], "seen by")
    sample = " in the sample" if "sample" in rule else ""
    ci = f", {confidence:.0%} bootstrap CI" if n_boot > 0 else ", no intervals (--boot 0)"
    who = " and ".join(coders) if len(coders) < 3 else "all of " + ", ".join(coders)
    return f"Agreement over {shared} segment(s){sample} {what} {who}{ci}"


def agreement_rows(table: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Header and rows for printing an agreement table (statistics with their intervals)."""
    header = ["Code", "Shared segments", "Prevalence", *(name for _, name in _STATS)]
    rows = []
    for _, r in table.iterrows():
        cells = [str(r.get("label", r["code_id"])), str(r["n_shared"]), _fmt(r["prevalence"], 0, 0, pct=True)]
        for key, _ in _STATS:
            cells.append(_fmt(r[key], r[f"{key}_low"], r[f"{key}_high"], pct=key == "percent_agreement"))
        rows.append(cells)
    return header, rows


def _as_columns(coders: Sequence[str], table: pd.DataFrame, disagreements: pd.DataFrame) -> list[str]:
    """The coders as the tables spell them (their ``seen_CODER`` and disagreement columns), so ``ht`` is HT."""
    known = [str(c)[len("seen_"):] for c in table.columns if str(c).startswith("seen_")]
    known += [str(c) for c in disagreements.columns if str(c) not in _DISAGREEMENT_FIXED]
    return spelt_as_known(list(coders), known)


def write_agreement_report(table: pd.DataFrame, disagreements: pd.DataFrame, path: str | Path, *,
                           coders: Sequence[str], characters: pd.DataFrame | None = None,
                           title: str = "Coding comparison", n_boot: int = 1000,
                           paper: str | None = None) -> Path:
    """Write the agreement table and the disagreements to .docx (landscape) or .xlsx; ``coders`` are named as
    ``agreement`` names them (``ht`` is the HT of the tables' columns)."""
    out = Path(path)
    coders = _as_columns(coders, table, disagreements)
    fmt = format_of(out, allowed=("docx", "xlsx", "csv"))
    if fmt != "docx":
        from .tables import write_table, write_tables

        if fmt == "csv":
            return write_table(disagreements, out)
        decide = disagreements.assign(decision="", memo="")  # filled in the meeting: `thematic import reconcile`
        sheets = {"Agreement": table, "Disagreements": decide}
        if characters is not None:
            sheets["Character-level (NVivo)"] = characters
        return write_tables(sheets, out, format="xlsx")[0]
    doc, from_template = open_document(None)
    ensure_styles(doc, restyle=True)
    add_page_numbers(doc)
    set_paper(doc, paper)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.different_first_page_header_footer = False
    doc.add_heading(title, level=1)
    shown = " (intervals in brackets)" if n_boot > 0 else ""  # the title already says "no intervals (--boot 0)"
    doc.add_paragraph(f"Coders: {', '.join(coders)}. {agreement_title(table, coders, n_boot=n_boot)}{shown}. "
                      f"{date.today():%d %B %Y}.", style=SUMMARY)
    header, rows = agreement_rows(table)
    add_table(doc, header, rows, bold_rows=[r["code_id"] == "(all codes)" for _, r in table.iterrows()])
    notes = table.loc[table["note"].astype(str) != "", ["code_id", "note"]]
    for code, note in notes.itertuples(index=False):
        doc.add_paragraph(f"{code}: {note}.", style=SUMMARY)
    doc.add_heading("Disagreements", level=1)
    if disagreements.empty:
        doc.add_paragraph("The coders agree on every shared segment.")
    else:
        cols = ["location", "participant_id", "text", *coders, "disputed"]
        where = "document_label" if "document_label" in disagreements else "document_id"
        body = [[str(r.get(where, "")) + ", " + str(r["location"]), *(str(r[c]) if pd.notna(r[c]) else ""
                 for c in cols[1:])] for _, r in disagreements.iterrows()]
        add_table(doc, ["Where", "Participant", "Text", *coders, "Disputed"], body, numeric_from=99, wide=2)
    return save_document(doc, out)
