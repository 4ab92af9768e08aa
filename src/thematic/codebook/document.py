"""The codebook as a methods appendix: Markdown (a section per theme and code) and Word (a table per theme)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._atomic import atomic_path
from .._formats import check_suffix
from ..errors import Errors, InputError
from ..models import Code

if TYPE_CHECKING:
    from .model import Codebook

FORMATS = ("docx", "md")
TABLE_HEADER = ("Code", "Definition", "Include / exclude", "Example")


def _title(cb: "Codebook") -> str:
    return f"Codebook: {cb.name} (version {cb.version})"


def _label(cb: "Codebook", code: Code) -> str:
    retired = " (retired)" if code.id in cb.retired else ""
    return f"{code.label}{retired}"


def _rows(cb: "Codebook", theme: Code) -> list[Code]:
    """The codes under a theme, depth first (sub-codes follow their parent)."""
    return cb.descendants(theme.id)


def codebook_markdown(cb: "Codebook") -> str:
    """The codebook as Markdown: a heading per theme, a section per code, then the changes log.

    Example:
        >>> Path("reports/codebook.md").write_text(codebook_markdown(study.codebook))
    """
    out = [f"# {_title(cb)}", ""]
    if cb.description:
        out += [cb.description, ""]
    out += [f"{len(cb.themes)} themes, {len(cb.codes)} codes.", ""]
    for theme in cb.themes:
        out += [f"## {theme.label} (`{theme.id}`)", "", theme.definition, ""]
        for code in _rows(cb, theme):
            depth = cb.depth(code.id)
            out += [f"{'#' * min(2 + depth, 6)} {_label(cb, code)} (`{code.id}`)", ""]
            if depth > 1:
                out += [f"*Sub-code of* `{code.parent}`.", ""]
            out += [f"**Definition.** {code.definition}", ""]
            for name, items in (("Include", code.include), ("Exclude", code.exclude)):
                if items:
                    out += [f"**{name}:**", "", *[f"- {i}" for i in items], ""]
            if code.examples:
                out += ["**Example:**", "", f"> {code.examples[0]}", ""]
    out += _changes_md(cb)
    return "\n".join(out).rstrip() + "\n"


def _changes_md(cb: "Codebook") -> list[str]:
    if not cb.change_log:
        return []
    lines = ["## Changes", ""]
    for e in sorted(cb.change_log, key=lambda e: e.index):
        note = f" ({e.note})" if e.note and e.kind != "note" else ""
        lines.append(f"- {e.describe()}{note}")
    return lines + [""]


def _criteria(code: Code) -> str:
    parts = []
    if code.include:
        parts.append("Include: " + "; ".join(code.include))
    if code.exclude:
        parts.append("Exclude: " + "; ".join(code.exclude))
    return "\n".join(parts)


def _widths(cb: "Codebook", total_cm: float) -> list[float]:
    """Column widths: the code column fits its longest label word or id (never broken mid-word)."""
    from .._docx_layout import CELL_PADDING_CM, longest_word_cm

    words = [longest_word_cm(h, 11, bold=True) for h in TABLE_HEADER]
    for code in cb:
        words[0] = max(words[0], longest_word_cm(_label(cb, code), 11, bold=True), longest_word_cm(code.id, 8))
    first = max(3.5, min(words[0] + CELL_PADDING_CM + 0.6, total_cm * 0.35))
    rest = total_cm - first
    return [first, rest * 0.4, rest * 0.35, rest * 0.25]


def codebook_docx(cb: "Codebook", *, paper: str | None = None) -> Any:
    """The codebook as a python-docx Document: a heading and a four-column table per theme."""
    from docx import Document
    from docx.shared import Cm, Pt

    from .._docx_layout import MARGIN_CM, set_paper, text_width_cm

    doc = Document()
    set_paper(doc, paper)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
    widths = _widths(cb, text_width_cm(paper))
    doc.add_heading(_title(cb), level=0)
    if cb.description:
        doc.add_paragraph(cb.description)
    for theme in cb.themes:
        doc.add_heading(f"{theme.label} ({theme.id})", level=1)
        doc.add_paragraph(theme.definition)
        codes = _rows(cb, theme)
        if not codes:
            continue
        table = doc.add_table(rows=1, cols=len(TABLE_HEADER))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, TABLE_HEADER):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for code in codes:
            indent = "    " * (cb.depth(code.id) - 1)
            cells = table.add_row().cells
            cells[0].text = ""
            cells[0].paragraphs[0].add_run(f"{indent}{_label(cb, code)}").bold = True
            cells[0].add_paragraph(code.id).runs[0].font.size = Pt(8)
            cells[1].text = code.definition
            cells[2].text = _criteria(code)
            cells[3].text = f"\u201c{code.examples[0]}\u201d" if code.examples else ""
        table.autofit = False
        for row in table.rows:
            for cell, w in zip(row.cells, widths):
                cell.width = Cm(w)
    if cb.change_log:
        doc.add_heading("Changes", level=1)
        for e in sorted(cb.change_log, key=lambda e: e.index):
            note = f" ({e.note})" if e.note and e.kind != "note" else ""
            doc.add_paragraph(f"{e.describe()}{note}", style="List Bullet")
    return doc


def export_codebook(cb: "Codebook", out: str | Path, *, format: str | None = None, paper: str | None = None) -> Path:
    """Write the codebook appendix to ``out`` as ``docx`` or ``md`` (default: from the suffix).

    Written to a temporary file and renamed, so a failed export never leaves half a file.

    Example:
        >>> export_codebook(study.codebook, "reports/codebook.docx")
    """
    path = Path(out)
    check_suffix(path, format)
    fmt = (format or path.suffix.lstrip(".")).lower()
    fmt = "md" if fmt == "markdown" else fmt
    if fmt not in FORMATS:
        raise InputError(Errors.E206.format(format=fmt or path.name))
    with atomic_path(path) as tmp:
        if fmt == "md":
            tmp.write_text(codebook_markdown(cb), encoding="utf-8")
        else:
            codebook_docx(cb, paper=paper).save(str(tmp))
    return path
