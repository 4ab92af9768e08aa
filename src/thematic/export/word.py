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

from .._docx_layout import set_paper
from ..analysis.frequency import ALL_GROUP, percent_text
from ..analysis.selection import UNCATALOGUED, UNCATALOGUED_HEADING
from ._docx import (
    ATTRIBUTION,
    DEFINITION,
    QUOTE,
    SUMMARY,
    add_page_numbers,
    add_table,
    add_toc,
    add_styled,
    ensure_styles,
    open_document,
    save_document,
    xml_text,
)


@dataclass(frozen=True)
class AppendixContent:
    """Everything the appendix shows, already computed."""

    title: str
    entries: pd.DataFrame  # entry_table rows to show, in order (see ``appendix_rows`` for the headings added)
    frequencies: pd.DataFrame  # frequencies(...): group "All" plus any groups of ``by``
    quotes: pd.DataFrame  # select_quotes(...)
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    by: str | None = None
    show_table: bool = True
    figures: tuple[tuple[str, bytes], ...] = ()  # (caption, PNG bytes)
    restyle: bool = True  # set by build_quote_appendix: False when a user template gives the look


#: ``kind`` of a row that only heads the rows below it (codes not in the codebook).
HEADING = "heading"


def appendix_rows(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries as the appendix lists them: codes not in the codebook (deleted, or split away by a release)
    last, under a heading row of their own (kind ``heading``) as in the terminal table, never under the last
    theme."""
    loose = entries["kind"] == UNCATALOGUED
    if not loose.any():
        return entries
    heading = pd.DataFrame([{"code_id": None, "label": UNCATALOGUED_HEADING, "kind": HEADING, "theme_id": None,
                             "parent": None, "depth": 0, "definition": ""}]).reindex(columns=entries.columns)
    return pd.concat([entries.loc[~loose], heading.astype(entries.dtypes.to_dict()), entries.loc[loose]],
                     ignore_index=True)


def _pct(value: float) -> str:
    return "–" if pd.isna(value) else f"{percent_text(value)}%"


def summary_line(freq_all: pd.Series | pd.DataFrame) -> str:
    """``7 of 12 participants (58%); 11 passages in 6 documents``; with several source kinds
    ``3 of 3 interviewees (100%), 1 of 6 survey respondents (17%); 5 passages in 4 documents``."""
    rows = freq_all.to_frame().T if isinstance(freq_all, pd.Series) else freq_all
    n_seg, n_doc = int(rows["n_segments"].sum()), int(rows["n_documents"].sum())
    people = ", ".join(f"{r.n_of_N} {getattr(r, 'source', 'participants')} ({_pct(r.pct_participants)})"
                       for r in rows.itertuples(index=False))
    passages = "passage" if n_seg == 1 else "passages"
    docs = "document" if n_doc == 1 else "documents"
    return f"{people}; {n_seg} {passages} in {n_doc} {docs}"


def group_line(by: str, freq_groups: pd.DataFrame) -> str:
    """``By role: peer mentor 4 of 5; staff 1 of 3`` (with several source kinds each names its kind)."""
    from ..analysis.frequency import wide_columns

    names = wide_columns(freq_groups) if "source" in freq_groups else list(freq_groups["group"])
    parts = [f"{g} {n}" for g, n in zip(names, freq_groups["n_of_N"])]
    return f"By {by}: " + "; ".join(parts) + "."


def heading_entries(content: AppendixContent) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order (for the pre-filled contents)."""
    out = []
    if content.show_table:
        out.append((1, "Themes and codes at a glance"))
    if content.figures:
        out.append((1, "Charts"))
    rows = appendix_rows(content.entries)
    out.extend((min(int(d) + 1, 4), str(lab)) for d, lab in zip(rows["depth"], rows["label"]))
    return out


def _title_page(doc: Document, content: AppendixContent) -> None:
    add_styled(doc, content.title, "Title")
    if content.subtitle:
        add_styled(doc, content.subtitle, "Subtitle")
    for note in content.notes:
        add_styled(doc, note, SUMMARY)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


@dataclass(frozen=True)
class GlanceTable:
    """The "Themes and codes at a glance" table, ready for Word or Markdown."""

    header: list[str]
    rows: list[list[object]]
    bold: list[bool]  # theme rows
    indents: list[int]  # codebook depth
    caption: str


def glance_table(content: AppendixContent) -> GlanceTable:
    """n of N per theme and code: one column per source kind (with passages and documents), or per group with ``by``."""
    from ..analysis.frequency import population_note, wide_columns

    freq = content.frequencies
    sources = list(dict.fromkeys(freq["source"])) if "source" in freq else ["participants"]
    overall = freq.loc[freq["group"] == ALL_GROUP]
    if content.by:
        cells = freq.assign(_col=wide_columns(freq))
        columns = list(dict.fromkeys(cells["_col"]))
        header = ["Theme / code", *("All" if c == ALL_GROUP else c for c in columns)]
    else:  # one column per source kind, keyed by the source (wide_columns names a lone source "All")
        cells = overall.assign(_col=overall.get("source", "participants"))
        columns = sources
        header = ["Theme / code", *(s.capitalize() for s in sources), "Passages", "Documents"]
    rows: list[list[object]] = []
    bold, indents = [], []
    for code, label, kind, depth in appendix_rows(content.entries)[["code_id", "label", "kind", "depth"]].itertuples(
            index=False):
        bold.append(kind in ("theme", HEADING))
        indents.append(int(depth))
        if kind == HEADING:
            rows.append([label, *[""] * (len(header) - 1)])
            continue
        mine = cells.loc[cells["code_id"] == code]
        value = dict(zip(mine["_col"], mine["n_of_N"]))
        pct = dict(zip(mine["_col"], mine["pct_participants"]))
        if content.by:
            rows.append([label, *(value.get(c, "") for c in columns)])
        else:
            whole = overall.loc[overall["code_id"] == code]
            rows.append([label, *(f"{value[c]} ({_pct(pct[c])})" if c in value else "" for c in columns),
                         int(whole["n_segments"].sum()), int(whole["n_documents"].sum())])
    caption = (("Each column: how many of the participants (of all, or of the group) the theme or code was applied "
                "to at least once." if content.by else
                "How many of the participants the theme or code was applied to at least once (%: of them); "
                "passages: coded segments.")
               + " A theme counts the union of its codes; interviewer turns are not counted. " + population_note(freq))
    return GlanceTable(header, rows, bold, indents, caption)


def _frequency_table(doc: Document, content: AppendixContent) -> None:
    doc.add_heading("Themes and codes at a glance", level=1)
    table = glance_table(content)
    add_table(doc, table.header, table.rows, bold_rows=table.bold, indents=table.indents, rules=content.restyle)
    add_styled(doc, table.caption, "Caption")


def _figures(doc: Document, content: AppendixContent) -> None:
    doc.add_heading("Charts", level=1)
    for i, (caption, png) in enumerate(content.figures, start=1):
        doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        add_styled(doc, f"Figure {i}. {caption}", "Caption")


def _entry(doc: Document, content: AppendixContent, row: pd.Series, quotes: pd.DataFrame) -> None:
    heading = doc.add_heading(str(row.label), level=min(int(row.depth) + 1, 4))
    if row.kind in ("theme", HEADING):
        heading.paragraph_format.page_break_before = True  # each theme starts a page
    if row.kind == HEADING:
        return
    if row.definition:
        add_styled(doc, str(row.definition), DEFINITION)
    freq = content.frequencies
    overall = freq.loc[(freq.code_id == row.code_id) & (freq.group == ALL_GROUP)]
    if len(overall):
        add_styled(doc, summary_line(overall), SUMMARY)
    if content.by:
        groups = freq.loc[(freq.code_id == row.code_id) & (freq.group != ALL_GROUP)]
        if len(groups):
            add_styled(doc, group_line(content.by, groups), SUMMARY)
    if quotes.empty and row.kind != "theme":
        add_styled(doc, "No quotes selected.", SUMMARY)
    for q in quotes.itertuples(index=False):
        add_styled(doc, f"\u201c{xml_text(q.text)}\u201d", QUOTE)
        add_styled(doc, xml_text(" \u00b7 ".join(x for x in (q.attribution, q.location) if x)), ATTRIBUTION)


def build_quote_appendix(content: AppendixContent, *, template: str | Path | None = None,
                         paper: str | None = None) -> Document:
    """The appendix as a python-docx Document (see the module docstring).

    ``paper`` (A4 or Letter; default from the locale) sizes the pages; a template keeps its own
    size unless ``paper`` is given.
    """
    doc, from_template = open_document(template)
    if paper is not None or not from_template:
        set_paper(doc, paper)
    ensure_styles(doc, restyle=not from_template)
    content = replace(content, restyle=not from_template)
    if not from_template:
        add_page_numbers(doc)
    _title_page(doc, content)
    add_toc(doc, heading_entries(content))
    add_styled(doc, "Page numbers appear in the contents when Word updates this field: it offers to when the "
                "document opens (or right-click the contents and choose Update Field).", SUMMARY)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    if content.show_table and len(content.entries):
        _frequency_table(doc, content)
    if content.figures:
        _figures(doc, content)
    by_code = {c: g for c, g in content.quotes.groupby("code_id", sort=False)} if len(content.quotes) else {}
    for row in appendix_rows(content.entries).itertuples(index=False):
        _entry(doc, content, pd.Series(row._asdict()), by_code.get(row.code_id, content.quotes.iloc[0:0]))
    return doc


def write_quote_appendix(content: AppendixContent, path: str | Path, *, template: str | Path | None = None,
                         paper: str | None = None) -> Path:
    """Build the appendix and save it atomically to ``path`` (.docx)."""
    return save_document(build_quote_appendix(content, template=template, paper=paper), path)
