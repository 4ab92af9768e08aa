"""OpenDocument text (.odt) transcripts: content.xml walked in document order, then the text turn parser.

Kept: headings and paragraphs (also inside lists, sections and tables), spaces (``text:s``),
tabs and line breaks; a bold leading label (``**Name** text``, bold from an automatic or a named
style such as *Strong Emphasis*, parents followed) becomes ``Name: text``; a table of
*label / long text* rows becomes turns and a *key / value* table header metadata, as in Word; a table
nested in a cell is read once, into that cell, a row a line. Dropped (in table cells too): page headers
and footers (styles.xml), footnotes and endnotes, comments (annotations), deleted text of tracked
changes, tables of contents and indexes, text boxes and frames, fonts, and hidden text (``text:display="none"``
styles, hidden paragraphs, hidden-text fields and sections), counted in W548.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
import zlib
from types import SimpleNamespace
from typing import Any, Callable, Iterator

from ...errors import Errors, TranscriptParseError, Warnings
from ..labels import is_id_like
from ..normalise import normalise_text
from ..parsed import Parsed

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}
ODT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_MAX_XML = 256 * 1024 * 1024  # decompressed bytes of one XML member; more is refused as a zip bomb
_MAX_RATIO = 200
#: Spaces one ``text:s`` yields: a longer run is cut, so the text never outgrows the XML that holds it.
_MAX_SPACES = 16
_PARTICIPANT_KEYS = {"participant", "participant_id", "participant_no", "respondent", "respondent_id", "interviewee"}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


_SKIP = {_q(n) for n in ("text:note", "office:annotation", "office:annotation-end", "text:tracked-changes",
                         "text:deletion", "text:table-of-content", "text:alphabetical-index",
                         "text:illustration-index", "text:bibliography", "draw:frame")}
_P, _H, _SPAN, _A = _q("text:p"), _q("text:h"), _q("text:span"), _q("text:a")
_S, _TAB, _BR = _q("text:s"), _q("text:tab"), _q("text:line-break")
_TABLE, _ROW, _CELL = _q("table:table"), _q("table:table-row"), _q("table:table-cell")
_COVERED = _q("table:covered-table-cell")
_STYLE_NAME, _TEXT_STYLE = _q("text:style-name"), _q("style:name")
_HIDDEN_P, _HIDDEN_TEXT, _IS_HIDDEN = _q("text:hidden-paragraph"), _q("text:hidden-text"), _q("text:is-hidden")
_SECTION = _q("text:section")


def read_member(zf: zipfile.ZipFile, name: str, path: str, kind: str) -> bytes:
    """One archive member, refused ([E104]) when it unpacks past the caps (a zip bomb)."""
    info = zf.getinfo(name)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _MAX_XML or (info.file_size > 1 << 20 and ratio > _MAX_RATIO):
        detail = f"'{name}' unpacks to {info.file_size} bytes"
        raise TranscriptParseError(Errors.E104.format(path=path, kind=kind, detail=detail))
    with zf.open(info) as fh:
        data = fh.read(_MAX_XML + 1)
    if len(data) > _MAX_XML:
        raise TranscriptParseError(Errors.E104.format(path=path, kind=kind, detail=f"'{name}' is larger than declared"))
    return data


def _styles_where(roots: tuple[Any, ...], attribute: str, verdict: Callable[[str | None], bool | None]) -> set[str]:
    """Names of text styles for which ``verdict`` of their ``attribute`` holds, directly or through a parent style
    (None: the style does not say, so its parent decides)."""
    attr, parent = _q(attribute), _q("style:parent-style-name")
    own: dict[str, bool | None] = {}
    parents: dict[str, str] = {}
    for root in roots:
        if root is None:
            continue
        for st in root.iter(_q("style:style")):
            name = st.get(_TEXT_STYLE)
            if not name:
                continue
            props = st.find(_q("style:text-properties"))
            own[name] = verdict(props.get(attr) if props is not None else None)
            if st.get(parent):
                parents[name] = st.get(parent)  # type: ignore[assignment]

    def holds(name: str, depth: int = 0) -> bool:
        if own.get(name) is not None or depth > 20:
            return bool(own.get(name))
        return name in parents and holds(parents[name], depth + 1)

    return {n for n in own if holds(n)}


def _bold_styles(*roots: Any) -> set[str]:
    """Names of text styles that make text bold (directly or through a parent style)."""
    return _styles_where(roots, "fo:font-weight",
                         lambda w: None if w is None else w in ("bold", "600", "700", "800", "900"))


def _hidden_styles(*roots: Any) -> set[str]:
    """Names of styles whose text is hidden (``text:display="none"``, directly or through a parent style)."""
    return _styles_where(roots, "text:display", lambda d: {"none": True, "true": False}.get(d or ""))


def _is_hidden(el: Any, hidden: set[str]) -> bool:
    """Whether LibreOffice hides ``el``: a span or paragraph in a hidden style, a hidden paragraph or hidden-text
    field (its last computed ``text:is-hidden``), a section with ``text:display="none"``."""
    if el.tag in (_SPAN, _P, _H) and el.get(_STYLE_NAME) in hidden:
        return True
    if el.tag in (_P, _H):
        return any(c.get(_IS_HIDDEN) == "true" for c in el.iter(_HIDDEN_P))
    if el.tag == _HIDDEN_TEXT:
        return el.get(_IS_HIDDEN) == "true"
    return el.tag == _SECTION and el.get(_q("text:display")) == "none"


def _drop_hidden(el: Any, hidden: set[str]) -> int:
    """Remove hidden text from ``el`` (its tails kept); the number of characters removed."""
    n = 0
    for i, child in reversed(list(enumerate(el))):
        if _is_hidden(child, hidden):
            n += len("".join(child.itertext()))
            if child.tail:
                if i:
                    el[i - 1].tail = (el[i - 1].tail or "") + child.tail
                else:
                    el.text = (el.text or "") + child.tail
            el.remove(child)
        else:
            n += _drop_hidden(child, hidden)
    return n


def _space_count(value: str | None) -> int:
    """Spaces a ``text:s`` stands for: its ``text:c``, at most ``_MAX_SPACES`` (a count of millions would make a
    tiny file a huge text); one when missing or not a positive number, as a damaged count is."""
    try:
        n = int(value or 1)
    except ValueError:
        return 1
    return min(max(n, 1), _MAX_SPACES)


def _runs(el: Any, bold: set[str], inherited: bool, out: list[tuple[str, bool]]) -> None:
    """(text, bold) runs of a paragraph in order, skipping notes, comments and deletions."""
    if el.text:
        out.append((el.text, inherited))
    for child in el:
        if child.tag not in _SKIP:
            if child.tag == _S:
                out.append((" " * _space_count(child.get(_q("text:c"))), inherited))
            elif child.tag == _TAB:
                out.append(("\t", inherited))
            elif child.tag == _BR:
                out.append(("\n", inherited))
            else:
                is_bold = inherited or (child.tag == _SPAN and child.get(_STYLE_NAME) in bold)
                _runs(child, bold, is_bold, out)
        if child.tail:
            out.append((child.tail, inherited))


def _paragraph(el: Any, bold: set[str]) -> str:
    """A paragraph's text, a bold leading name turned into ``Name: `` (the Word reader's rule)."""
    from .docx import _paragraph_text

    runs: list[tuple[str, bool]] = []
    _runs(el, bold, el.get(_STYLE_NAME) in bold, runs)
    items = [SimpleNamespace(text=t, bold=b) for t, b in runs]
    return _paragraph_text(SimpleNamespace(runs=items, text="".join(t for t, _ in runs)))


def _rows(el: Any) -> Iterator[Any]:
    """A table's own rows (also in header-row and row groups), never the rows of a table nested in a cell."""
    for child in el:
        if child.tag == _ROW:
            yield child
        elif child.tag != _TABLE and child.tag not in _SKIP:
            yield from _rows(child)


def _cell_lines(el: Any, bold: set[str], lines: list[str]) -> None:
    """A cell's text: its paragraphs on one line, a nested table read once, a row a line (cells tab-separated);
    notes, comments and frames skipped as in any paragraph."""
    for child in el:
        if child.tag in (_P, _H):
            text = _paragraph(child, bold).strip()
            if text:
                lines[-1] = f"{lines[-1]} {text}".strip()
        elif child.tag == _TABLE:
            lines.extend("\t".join(c for c in row if c) for row in _table_rows(child, bold))
            lines.append("")
        elif child.tag not in _SKIP:
            _cell_lines(child, bold, lines)  # lists and sections in a cell


def _span(value: str | None) -> int:
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def _table_rows(el: Any, bold: set[str]) -> list[list[str]]:
    rows = []
    for row in _rows(el):
        cells = []
        spanned = 0  # covered cells still to come of the last cell spanning columns
        for cell in row:
            if cell.tag == _CELL:
                lines = [""]
                _cell_lines(cell, bold, lines)
                cells.append("\n".join(line for line in lines if line))
                spanned = _span(cell.get(_q("table:number-columns-spanned"))) - 1
            elif cell.tag == _COVERED:
                n = _span(cell.get(_q("table:number-columns-repeated")))
                across = min(n, spanned)
                spanned -= across
                cells.extend([""] * min(n - across, 64))  # merged down from above: read there, its columns kept
        if any(cells):
            rows.append(cells)
    return rows


def _table(el: Any, bold: set[str], header: dict[str, str]) -> Iterator[str]:
    from .docx import table_lines

    yield from table_lines(_table_rows(el, bold), header)


def _blocks(el: Any, bold: set[str], header: dict[str, str]) -> Iterator[str]:
    for child in el:
        if child.tag in (_P, _H):
            yield _paragraph(child, bold)
        elif child.tag == _TABLE:
            yield from _table(child, bold, header)
        elif child.tag not in _SKIP:
            yield from _blocks(child, bold, header)  # lists, list items, sections


def odt_text(data: bytes, path: str, warnings: list[str] | None = None) -> tuple[str, dict[str, str]]:
    """The normalised text of an .odt (paragraphs separated by blank lines) and key | value header rows; hidden
    text is left out and counted in W548 (appended to ``warnings``).

    Raises:
        TranscriptParseError: [E104] damaged file, [E100] no text.
    """
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            content = ElementTree.fromstring(read_member(zf, "content.xml", path, "OpenDocument"))
            styles = (ElementTree.fromstring(read_member(zf, "styles.xml", path, "OpenDocument"))
                      if "styles.xml" in zf.namelist() else None)
    except TranscriptParseError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error) as exc:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="OpenDocument", detail=exc)) from None
    except Exception as exc:  # defusedxml and expat raise their own parse errors
        if type(exc).__module__.startswith(("defusedxml", "xml")):
            raise TranscriptParseError(Errors.E104.format(path=path, kind="OpenDocument", detail=exc)) from None
        raise
    body = content.find(f"{_q('office:body')}/{_q('office:text')}")
    header: dict[str, str] = {}
    try:
        n_hidden = 0 if body is None else _drop_hidden(body, _hidden_styles(styles, content))
        texts = [] if body is None else list(_blocks(body, _bold_styles(styles, content), header))
    except RecursionError:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="OpenDocument",
                                                      detail="elements nested too deeply to read")) from None
    if n_hidden and warnings is not None:
        warnings.append(Warnings.W548.format(path=path, n=n_hidden))
    text = normalise_text("\n\n".join(t.strip() for t in texts if t.strip()))
    if not text.strip():
        from .docx import HIDDEN_ONLY

        detail = HIDDEN_ONLY if n_hidden else " (the OpenDocument file is empty)"
        raise TranscriptParseError(Errors.E100.format(path=path, detail=detail))
    return text, header


def read_odt(data: bytes, path: str, **options: Any) -> Parsed:
    """Read an .odt transcript into turns (see the module docstring)."""
    from .text import parse_text

    warnings: list[str] = []
    text, table_header = odt_text(data, path, warnings)
    parsed = parse_text(text, path, fmt="odt", **options)
    header = dict(parsed.header)
    pid = next((v for k, v in table_header.items() if k in _PARTICIPANT_KEYS and is_id_like(v)), None)
    if pid and "participant" not in header:
        header["participant"] = pid
    attributes = {**{k: v for k, v in table_header.items() if k not in _PARTICIPANT_KEYS}, **parsed.attributes}
    return dataclasses.replace(parsed, header=header, attributes=attributes,
                               warnings=tuple(warnings) + parsed.warnings)
