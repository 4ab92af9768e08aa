"""The Word quote appendix: a title page, contents, an optional frequency table and charts, then for
each theme and code a heading, its definition, "n of N participants" and the attributed quotes.

Takes plain frames (``select_quotes``, ``frequencies``, ``entry_table``) and writes with
python-docx; it never reads the store. Headings use Word's ``Heading 1-4`` styles, quotes the
``Quote`` style and attributions ``Quote Attribution``, so ``template=`` restyles everything.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from ..analysis.frequency import ALL_GROUP
from ._docx import (
    ATTRIBUTION,
    DEFINITION,
    QUOTE,
    SUMMARY,
    add_page_numbers,
    add_table,
    add_toc,
    ensure_styles,
    open_document,
    save_document,
)


@dataclass(frozen=True)
class AppendixContent:
    """Everything the appendix shows, already computed."""

    title: str
    entries: pd.DataFrame  # entry_table rows to show, in order
    frequencies: pd.DataFrame  # frequencies(...): group "All" plus any groups of ``by``
    quotes: pd.DataFrame  # select_quotes(...)
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    by: str | None = None
    show_table: bool = True
    figures: tuple[tuple[str, bytes], ...] = ()  # (caption, PNG bytes)
    restyle: bool = True  # set by build_quote_appendix: False when a user template gives the look


def _pct(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.0f}%"


def summary_line(freq_all: pd.Series) -> str:
    """``7 of 12 participants (58%); 11 passages in 6 documents``."""
    passages = "passage" if freq_all.n_segments == 1 else "passages"
    docs = "document" if freq_all.n_documents == 1 else "documents"
    return (f"{freq_all.n_of_N} participants ({_pct(freq_all.pct_participants)}); "
            f"{freq_all.n_segments} {passages} in {freq_all.n_documents} {docs}")


def group_line(by: str, freq_groups: pd.DataFrame) -> str:
    """``By role: peer mentor 4 of 5; staff 1 of 3``."""
    parts = [f"{g} {n}" for g, n in zip(freq_groups["group"], freq_groups["n_of_N"])]
    return f"By {by}: " + "; ".join(parts) + "."


def heading_entries(content: AppendixContent) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order (for the pre-filled contents)."""
    out = []
    if content.show_table:
        out.append((1, "Themes and codes at a glance"))
    if content.figures:
        out.append((1, "Charts"))
    out.extend((min(int(d) + 1, 4), str(lab)) for d, lab in zip(content.entries["depth"], content.entries["label"]))
    return out


def _title_page(doc: Document, content: AppendixContent) -> None:
    doc.add_paragraph(content.title, style="Title")
    if content.subtitle:
        doc.add_paragraph(content.subtitle, style="Subtitle")
    for note in content.notes:
        doc.add_paragraph(note, style=SUMMARY)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _frequency_table(doc: Document, content: AppendixContent) -> None:
    doc.add_heading("Themes and codes at a glance", level=1)
    freq = content.frequencies
    overall = freq.loc[freq["group"] == ALL_GROUP].set_index("code_id")
    groups = [g for g in dict.fromkeys(freq["group"]) if g != ALL_GROUP] if content.by else []
    # With groups the documents column gives way to one "n of N" column per group.
    header = ["Theme / code", "All", *groups] if groups else ["Theme / code", "Participants", "%", "Passages", "Documents"]
    rows, bold, indents = [], [], []
    for code, label, kind, depth in content.entries[["code_id", "label", "kind", "depth"]].itertuples(index=False):
        f = overall.loc[code]
        per_group = [freq.loc[(freq.code_id == code) & (freq.group == g), "n_of_N"].squeeze() for g in groups]
        rows.append([label, f.n_of_N, *per_group] if groups else
                    [label, f.n_of_N, _pct(f.pct_participants), f.n_segments, f.n_documents])
        bold.append(kind == "theme")
        indents.append(int(depth))
    add_table(doc, header, rows, bold_rows=bold, indents=indents, rules=content.restyle)
    n_total = int(overall["N_participants"].iloc[0]) if len(overall) else 0
    doc.add_paragraph(
        (f"All and each {content.by}: how many of the {n_total} participants (or of the group) the theme or code "
         "was applied to at least once." if groups else
         f"Participants: how many of the {n_total} participants the theme or code was applied to at least once "
         "(%: of all participants); passages: coded segments.")
        + " A theme counts the union of its codes; interviewer turns are not counted.",
        style="Caption")


def _figures(doc: Document, content: AppendixContent) -> None:
    doc.add_heading("Charts", level=1)
    for i, (caption, png) in enumerate(content.figures, start=1):
        doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        doc.add_paragraph(f"Figure {i}. {caption}", style="Caption")


def _entry(doc: Document, content: AppendixContent, row: pd.Series, quotes: pd.DataFrame) -> None:
    heading = doc.add_heading(str(row.label), level=min(int(row.depth) + 1, 4))
    if row.kind == "theme":
        heading.paragraph_format.page_break_before = True  # each theme starts a page
    if row.definition:
        doc.add_paragraph(str(row.definition), style=DEFINITION)
    freq = content.frequencies
    overall = freq.loc[(freq.code_id == row.code_id) & (freq.group == ALL_GROUP)]
    if len(overall):
        doc.add_paragraph(summary_line(overall.iloc[0]), style=SUMMARY)
    if content.by:
        groups = freq.loc[(freq.code_id == row.code_id) & (freq.group != ALL_GROUP)]
        if len(groups):
            doc.add_paragraph(group_line(content.by, groups), style=SUMMARY)
    if quotes.empty and row.kind != "theme":
        doc.add_paragraph("No quotes selected.", style=SUMMARY)
    for q in quotes.itertuples(index=False):
        doc.add_paragraph(f"\u201c{q.text}\u201d", style=QUOTE)
        doc.add_paragraph(" \u00b7 ".join(x for x in (q.attribution, q.location) if x), style=ATTRIBUTION)


def build_quote_appendix(content: AppendixContent, *, template: str | Path | None = None) -> Document:
    """The appendix as a python-docx Document (see the module docstring)."""
    doc, from_template = open_document(template)
    ensure_styles(doc, restyle=not from_template)
    content = replace(content, restyle=not from_template)
    if not from_template:
        add_page_numbers(doc)
    _title_page(doc, content)
    add_toc(doc, heading_entries(content))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if content.show_table and len(content.entries):
        _frequency_table(doc, content)
    if content.figures:
        _figures(doc, content)
    by_code = {c: g for c, g in content.quotes.groupby("code_id", sort=False)} if len(content.quotes) else {}
    for row in content.entries.itertuples(index=False):
        _entry(doc, content, pd.Series(row._asdict()), by_code.get(row.code_id, content.quotes.iloc[0:0]))
    return doc


def write_quote_appendix(content: AppendixContent, path: str | Path, *, template: str | Path | None = None) -> Path:
    """Build the appendix and save it atomically to ``path`` (.docx)."""
    return save_document(build_quote_appendix(content, template=template), path)
