"""python-docx helpers for the reports: styles, a contents field, page numbers, plain tables.

Everything is done with real Word styles (``Heading 1``, ``Quote``, ``Quote Attribution``, ...) so
a user's template restyles the whole report. Styles missing from a template are created, based on
the template's own ``Normal``; without a template a sober thesis-like look is applied.
"""

from __future__ import annotations

import math
import re
import weakref
from pathlib import Path
from typing import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .._atomic import atomic_path
from .._docx_layout import fit_widths
from ..errors import Errors, InputError

#: Characters no Word (XML) file can hold: an older thematic kept U+FFFE/U+FFFF from transcripts.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text a Word file can hold: characters XML forbids (invisible ones) left out."""
    return _XML_ILLEGAL.sub("", str(value))

QUOTE = "Quote"
ATTRIBUTION = "Quote Attribution"
DEFINITION = "Code Definition"
SUMMARY = "Code Summary"
TOC_HEADING = "TOC Heading"
INK = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x55, 0x55, 0x55)
BODY_FONT = "Cambria"
HEADING_FONT = "Calibri"


_STYLE_IDS: "weakref.WeakKeyDictionary[object, dict[str | None, str | None]]" = weakref.WeakKeyDictionary()


def add_styled(doc: Document, text: str = "", style: str | None = None) -> Paragraph:
    """``doc.add_paragraph(text, style=style)`` without python-docx's per-call scans of every style and of the
    whole body (which made a long quote appendix take minutes): the style's id is looked up once per document."""
    ids = _STYLE_IDS.setdefault(doc.part, {})
    if style not in ids:
        ids[style] = doc.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
    body, p = doc.element.body, OxmlElement("w:p")
    try:
        last = body[-1]
    except IndexError:
        last = None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)  # python-docx searches the whole body for it on every paragraph
    else:
        body.append(p)
    paragraph = Paragraph(p, doc)
    if ids[style] is not None:
        p.style = ids[style]
    if text:
        paragraph.add_run(text)
    return paragraph


def open_document(template: str | Path | None) -> tuple[Document, bool]:
    """A document to write into: the user's template emptied of its body, else python-docx's default.

    Returns the document and whether it came from a user template.
    """
    if template is None:
        return new_document(), False
    path = Path(template)
    try:
        doc = new_document(str(path))
    except Exception as exc:  # python-docx raises several types for non-docx input
        raise InputError(Errors.E406.format(path=path, detail=f"{type(exc).__name__}: {exc}")) from exc
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc, True


def _paragraph_style(doc: Document, name: str, base: str = "Normal"):
    styles = doc.styles
    if name in [s.name for s in styles]:
        return styles[name], False
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if base in [s.name for s in styles] else None
    style.quick_style = True
    return style, True


def ensure_styles(doc: Document, *, restyle: bool) -> None:
    """Create the report's styles where missing; with ``restyle`` give them the default report look."""
    for level in (1, 2, 3, 4):
        _paragraph_style(doc, f"Heading {level}")
    for name in ("Title", "Subtitle", "Caption", TOC_HEADING):
        _paragraph_style(doc, name)
    for level in (1, 2, 3):
        style, created = _paragraph_style(doc, f"TOC {level}")
        if created or restyle:
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
    quote, created_q = _paragraph_style(doc, QUOTE)
    attr, created_a = _paragraph_style(doc, ATTRIBUTION)
    definition, created_d = _paragraph_style(doc, DEFINITION)
    summary, created_s = _paragraph_style(doc, SUMMARY)
    if restyle or created_q:
        _quote_look(quote)
    if restyle or created_a:
        attr.base_style = quote if created_a or restyle else attr.base_style
        f = attr.paragraph_format
        f.left_indent, f.right_indent, f.space_before, f.space_after = Cm(1.0), Cm(1.0), Pt(0), Pt(10)
        f.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        attr.font.italic, attr.font.size, attr.font.color.rgb = False, Pt(9), MUTED
    if restyle or created_d:
        definition.font.italic = True
        definition.paragraph_format.space_after = Pt(4)
        definition.paragraph_format.keep_with_next = True
    if restyle or created_s:
        summary.paragraph_format.keep_with_next = True
        summary.font.size = Pt(9.5)
        summary.font.color.rgb = MUTED
        summary.paragraph_format.space_after = Pt(8)
    if restyle:
        _report_look(doc)


def _quote_look(style) -> None:
    f = style.paragraph_format
    f.left_indent, f.right_indent, f.space_before, f.space_after = Cm(1.0), Cm(1.0), Pt(6), Pt(1)
    f.alignment = WD_ALIGN_PARAGRAPH.LEFT
    f.keep_with_next = True
    style.font.italic = True
    style.font.size = Pt(10.5)
    style.font.color.rgb = INK


def _set_font(style, name: str) -> None:  # type: ignore[no-untyped-def]
    """Give a style one font for every script, dropping theme fonts that would override it."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _report_look(doc: Document) -> None:
    """The default look: one serif family, black headings, generous margins (a thesis appendix)."""
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {1: 16, 2: 13, 3: 11.5, 4: 11}
    for name in ("Title", "Subtitle", TOC_HEADING, *(f"Heading {level}" for level in sizes)):
        _set_font(doc.styles[name], HEADING_FONT)
    for level, size in sizes.items():
        h = doc.styles[f"Heading {level}"]
        h.font.size, h.font.color.rgb, h.font.bold = Pt(size), INK, True
        h.font.italic = level == 4
        h.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        h.paragraph_format.space_after = Pt(4)
        h.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    title.font.size, title.font.color.rgb = Pt(26), INK
    title.paragraph_format.space_before = Pt(120)
    subtitle = doc.styles["Subtitle"]
    subtitle.font.size, subtitle.font.color.rgb, subtitle.font.italic = Pt(14), MUTED, False
    for name in ("Title", "Subtitle"):  # the default template draws a blue rule under the title
        ppr = doc.styles[name].element.find(qn("w:pPr"))
        border = ppr.find(qn("w:pBdr")) if ppr is not None else None
        if border is not None:
            ppr.remove(border)
    toc_heading = doc.styles[TOC_HEADING]
    toc_heading.font.color.rgb, toc_heading.font.size = INK, Pt(16)
    caption = doc.styles["Caption"]
    caption.font.color.rgb, caption.font.size, caption.font.bold = MUTED, Pt(9), False
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _field_runs(paragraph: Paragraph, instruction: str, *, dirty: bool = False) -> tuple[OxmlElement, OxmlElement]:
    """Open a complex field in ``paragraph``; returns the 'separate' and (unattached) 'end' fldChars."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep):
        run = paragraph.add_run()
        run._r.append(el)
    return sep, end


def add_toc(doc: Document, entries: Sequence[tuple[int, str]], *, title: str = "Contents") -> None:
    """A real Word contents field (``TOC \\o "1-3"``), pre-filled with the headings so it reads well
    before Word updates it; Word fills in page numbers when the field is updated (F9, or on opening)."""
    doc.add_paragraph(title, style=TOC_HEADING)
    entries = list(entries) or [(1, "Right-click and choose Update Field to build the contents.")]
    first = doc.add_paragraph(style=f"TOC {min(entries[0][0], 3)}")
    _, end = _field_runs(first, 'TOC \\o "1-3" \\h \\z \\u', dirty=True)
    first.add_run(entries[0][1])
    last = first
    for level, text in entries[1:]:
        last = add_styled(doc, text, f"TOC {min(level, 3)}")
    run = last.add_run()
    run._r.append(end)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def add_page_numbers(doc: Document) -> None:
    """Centred page numbers (a PAGE field) in the footer of every section."""
    for section in doc.sections:
        section.different_first_page_header_footer = True  # no number on the title page
        footer = section.footer
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _, end = _field_runs(p, "PAGE")
        p.add_run("1")
        p.add_run()._r.append(end)


def _rules(table) -> None:  # type: ignore[no-untyped-def]
    """Horizontal rules only (top, under the header, bottom; faint lines between rows)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge, size, color in (("top", 8, "000000"), ("bottom", 8, "000000"), ("insideH", 2, "BFBFBF"),
                              ("left", 0, "auto"), ("right", 0, "auto"), ("insideV", 0, "auto")):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if size else "nil")
        if size:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:color"), color)
        borders.append(el)
    tbl_pr.append(borders)
    for cell in table.rows[0].cells:
        tc_borders = OxmlElement("w:tcBorders")
        bottom = OxmlElement("w:bottom")
        bottom.set(qn("w:val"), "single")
        bottom.set(qn("w:sz"), "6")
        bottom.set(qn("w:color"), "000000")
        tc_borders.append(bottom)
        cell._tc.get_or_add_tcPr().append(tc_borders)


def reader_number(value: object, digits: int = 2) -> str:
    """A number as a reader expects it: fixed digits, no ``-0.00``, a dash for a missing value."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if math.isnan(value):
        return "–"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text.replace("-", "\u2212", 1)


def text_width(doc: Document) -> float:
    """The width between the margins of the document's last section, in centimetres."""
    s = doc.sections[-1]
    return (s.page_width - s.left_margin - s.right_margin) / 360000


def add_table(doc: Document, header: Sequence[str], rows: Sequence[Sequence[object]], *,
              bold_rows: Sequence[bool] = (), indents: Sequence[int] = (), numeric_from: int = 1,
              rules: bool = True, width_cm: float | None = None, widths_cm: Sequence[float] | None = None,
              wide: int = 0) -> None:
    """A plain table: bold repeating header, optional bold rows, indented first column, right-aligned
    numbers (formatted by ``reader_number``), column widths that never break a word (the first,
    descriptive column takes the rest); ``rules`` draws horizontal rules only (else the template's grid)."""
    rows = [[reader_number(v) for v in r] for r in rows]
    table = doc.add_table(rows=1, cols=len(header))
    if not rules and "Table Grid" in [s.name for s in doc.styles]:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    size = 9.0
    if widths_cm is None:
        widths_cm, size = fit_widths(header, rows, width_cm or text_width(doc), wide=wide)
    widths = [Cm(w) for w in widths_cm]
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_text(text)).bold = True
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, values)):
            p = cell.paragraphs[0]
            run = p.add_run(xml_text(text))
            run.bold = bool(bold_rows[i]) if i < len(bold_rows) else False
            if j == 0 and i < len(indents) and indents[i]:
                p.paragraph_format.left_indent = Cm(0.4 * indents[i])
    for j, column in enumerate(table.columns):
        column.width = widths[j]  # the grid (LibreOffice reads this) ...
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for j, cell in enumerate(row.cells):
            cell.width = widths[j]  # ... and each cell (Word reads this)
            for p in cell.paragraphs:
                p.paragraph_format.space_after = Pt(1)
                p.paragraph_format.space_before = Pt(1)
                if j >= numeric_from:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in p.runs:
                    run.font.size = Pt(size)
    if rules:
        _rules(table)


def save_document(doc: Document, path: str | Path) -> Path:
    """Write the document atomically (temp file + rename); a coded error if the file is locked."""
    out = Path(path)
    try:
        with atomic_path(out) as tmp:
            doc.save(str(tmp))
    except OSError as exc:
        raise InputError(Errors.E407.format(path=out, detail=exc.strerror or exc)) from exc
    return out
