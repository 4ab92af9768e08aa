"""Word (.docx) transcripts: paragraphs and tables in document order, then the text turn parser.

Speaker labels may be prefixes (``Name:``) or bold runs (**Name** then the utterance; bold set directly or
through a character or paragraph style and the styles they are based on); a table row
of short label + long text, or a table whose few labels take turns (and an optional timestamp cell),
becomes ``[ts] Label: text``. Nested
``w:body`` elements (Qualtrics' Word export) are read like the body. Tracked changes are read as
accepted (insertions kept, deletions dropped). Runs inside smart tags, content controls, simple fields,
inline custom XML and bidi wrappers are read in place; a text box's paragraphs are read once (its
DrawingML copy, not the VML fallback) right after the paragraph anchoring it. When python-docx still sees
less than half of the body's text (paragraphs nested in custom XML or other unknown containers), the document
XML is walked for every ``w:p`` instead (W105); a smaller unread part is named in W165.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
import zlib
from typing import Any, Iterable, Iterator

from ...errors import Errors, TranscriptParseError, Warnings
from ..labels import is_id_like, is_name_like, label_key
from ..normalise import normalise_text
from ..parsed import Parsed, parse_time

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Containers whose content python-docx's paragraphs, rows and cells look past: lifted into their parent.
_WRAPPERS = tuple(f"{_W}{t}" for t in ("smartTag", "fldSimple", "dir", "bdo", "customXml", "sdt"))
#: A wrapper's own properties, dropped with it (an sdt's content is its w:sdtContent).
_WRAPPER_PROPERTIES = frozenset(f"{_W}{t}" for t in ("smartTagPr", "customXmlPr", "fldData", "sdtPr", "sdtEndPr"))
_BLOCK_TAGS = frozenset(f"{_W}{t}" for t in ("p", "tbl", "tr", "tc"))
#: Ancestors of a w:t that the reader walks (after the wrappers are lifted); any other holds unread text.
_READ_PATH = frozenset(f"{_W}{t}" for t in ("r", "hyperlink", "p", "tc", "tr", "tbl", "body", "sdt", "sdtContent"))
_PARTICIPANT_KEYS = {"participant", "participant_id", "participant_no", "respondent", "respondent_id", "interviewee"}
#: A transcript table's column titles (its first row), dropped rather than read as a turn.
_COLUMN_HEADERS = frozenset({"time", "timestamp", "time stamp", "timecode", "time code", "start", "end", "speaker",
                             "speaker name", "name", "who", "text", "transcript", "transcription", "utterance",
                             "dialogue", "content", "speech", "said"})
#: How far a style's ``basedOn`` chain is followed (Word allows few levels; a damaged file may loop).
_STYLE_DEPTH = 16
_TIME_CELL = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?\s*$")


def _style_bold(style: Any) -> bool:
    """A style's bold, set by it or by the nearest style it is based on (a looping chain is cut short)."""
    for _ in range(_STYLE_DEPTH):
        if style is None:
            break
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _bold_runs(p: Any) -> Iterator[tuple[Any, bool]]:
    """Each run with whether Word shows it bold: direct bold, else its character style's bold toggling the
    paragraph style's (bold is a toggle property, so Strong in a bold heading is not bold)."""
    paragraph_bold: bool | None = None
    for r in p.runs:
        if r.bold is not None:
            yield r, bool(r.bold)
            continue
        if paragraph_bold is None:
            paragraph_bold = _style_bold(p.style)
        yield r, _style_bold(r.style) != paragraph_bold


def _paragraph_text(p: Any) -> str:
    """A paragraph's text with a bold leading label (direct or through a style) turned into ``Label: ``."""
    text = p.text
    if not p.runs or not text.strip():
        return text
    bold = ""
    for r, is_bold in _bold_runs(p):
        if is_bold and r.text is not None:
            bold += r.text
        elif r.text and r.text.strip():
            break
        else:
            bold += r.text or ""
    label = bold.strip()
    rest = text[len(bold):] if text.startswith(bold) else None
    if (label and rest is not None and rest.strip() and not label.endswith(":") and not rest.lstrip().startswith(":")
            and len(label) <= 40 and is_name_like(label)):
        return f"{label}: {rest.lstrip()}"
    return text


def _is_long(text: str) -> bool:
    return len(text) > 60 or text.count(" ") >= 8


def _table_rows(table: Any) -> list[list[str]]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:  # merged cells repeat: keep each once
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(_cell_text(cell._tc, table).strip())
        if any(cells):
            rows.append(cells)
    return rows


def _cell_text(tc: Any, table: Any) -> str:
    """A cell's paragraphs, one a line, as python-docx's ``cell.text``, plus any table nested in it (a row a
    line, cells tab-separated), which ``cell.text`` leaves out."""
    from docx.table import Table

    lines = []
    for child in tc.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(child.text)
        elif child.tag == f"{_W}tbl":
            lines.extend("\t".join(c for c in row if c) for row in _table_rows(Table(child, table)))
    return "\n".join(lines)


def _turn_row(cells: list[str], any_length: bool = False) -> str:
    ts = next((c for c in cells if _TIME_CELL.match(c)), None)
    rest = [c for c in cells if c and c is not ts]
    if (len(rest) >= 2 and len(rest[0]) <= 40 and is_name_like(rest[0].rstrip(":"))
            and (any_length or _is_long(" ".join(rest[1:])))):
        stamp = f"[{ts.strip('[]()')}] " if ts and parse_time(ts) is not None else ""
        return f"{stamp}{rest[0].rstrip(':')}: " + " ".join(rest[1:])
    return "\n".join(rest)


def _table_texts(table: Any, header: dict[str, str]) -> Iterator[str]:
    """A Word table's lines (see ``table_lines``)."""
    yield from table_lines(_table_rows(table), header)


def _is_column_header(row: list[str]) -> bool:
    return all(" ".join(c.lower().split()) in _COLUMN_HEADERS for c in row if c)


def _speakers_take_turns(rows: list[list[str]]) -> bool:
    """Most rows are [time] | label | text and a few labels recur (speakers take turns; a key | value table's
    keys do not)."""
    labels = []
    for r in rows:
        rest = [c for c in r if c and not _TIME_CELL.match(c)]
        if len(rest) >= 2 and len(rest[0]) <= 40 and is_name_like(rest[0].rstrip(":")):
            labels.append(label_key(rest[0].rstrip(":")))
    return len(rows) >= 4 and len(labels) >= 0.8 * len(rows) and len(set(labels)) <= len(labels) // 2


def table_lines(rows: list[list[str]], header: dict[str, str]) -> Iterator[str]:
    """A transcript table (label | long text, or a few labels taking turns) as turns; a key | value table
    as tab-separated header lines (short keys also go into ``header``). Shared by the Word and
    OpenDocument readers."""
    body = rows[1:] if rows and _is_column_header(rows[0]) else rows
    long_rows = sum(1 for r in body if len(r) >= 2 and _is_long(" ".join(r[1:])))
    turns = _speakers_take_turns(body)
    if body and (turns or long_rows >= max(1, len(body) // 2)):
        yield from (_turn_row(r, any_length=turns) for r in body)
        return
    for r in rows:
        if len(r) == 2 and r[0] and len(r[0]) <= 40:
            header.setdefault(r[0].strip().rstrip(":").lower().replace(" ", "_"), r[1])
        yield "\t".join(c for c in r if c)


def _blocks(parent: Any, container: Any, header: dict[str, str]) -> Iterator[str]:
    """Paragraph and table texts of a body (recursing into content controls) in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _paragraph_text(Paragraph(child, parent))
        elif child.tag == f"{_W}tbl":
            yield from _table_texts(Table(child, parent), header)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(parent, content, header)
        elif child.tag == f"{_W}body":  # nested bodies (Qualtrics' Word export): invalid, but Word shows them
            yield from _blocks(parent, child, header)


def _xml_paragraphs(body: Any) -> Iterator[str]:
    """Every ``w:p`` of the (prepared) body, whatever nests it, each with its own runs only (the fallback walk).

    Runs in a nested paragraph belong to that paragraph; text boxes are already read once (``_lift_text_boxes``).
    """
    for p in body.iter(f"{_W}p"):
        yield "".join(r.text for r in p.iter(f"{_W}r") if next(r.iterancestors(f"{_W}p"), None) is p)


def _accept_changes(body: Any) -> None:
    """Read tracked changes as accepted: inserted and moved-to text kept, deleted and moved-from text dropped.

    python-docx's paragraph text skips runs inside ``w:ins``, so an edit made with Track Changes on (a
    transcript checked, a name replaced) lost its new words.
    """
    for el in list(body.iter(f"{_W}del", f"{_W}moveFrom")):
        el.getparent().remove(el)
    for el in list(body.iter(f"{_W}ins", f"{_W}moveTo")):
        parent = el.getparent()
        at = parent.index(el)
        for child in list(el):
            parent.insert(at, child)
            at += 1
        parent.remove(el)


def _lift(el: Any, children: Iterable[Any]) -> None:
    """Put ``children`` where ``el`` is, and drop ``el``."""
    parent = el.getparent()
    if parent is None:
        return
    at = parent.index(el)
    for child in list(children):
        parent.insert(at, child)
        at += 1
    parent.remove(el)


def _unwrap_containers(body: Any) -> None:
    """Lift the content of inline containers into the paragraph (row, cell) holding them, so python-docx reads
    every run in order: smart tags, content controls, simple fields (their result), bidi wrappers and inline
    custom XML. ``mc:AlternateContent`` keeps only its first ``mc:Choice`` (its ``mc:Fallback`` is a copy).

    An inline content control showing its placeholder (prompt text nobody typed) is dropped; custom XML
    holding paragraphs is left for the XML fallback (W105).
    """
    for alt in list(body.iter(f"{_MC}AlternateContent")):
        keep = alt.find(f"{_MC}Choice")
        keep = keep if keep is not None else alt.find(f"{_MC}Fallback")
        _lift(alt, [] if keep is None else keep)
    for el in list(body.iter(*_WRAPPERS)):
        if el.tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            children = [] if content is None else list(content)
            inline = not any(c.tag in _BLOCK_TAGS for c in children)
            if inline and el.find(f"{_W}sdtPr/{_W}showingPlcHdr") is not None:
                children = []
            _lift(el, children)
        elif el.tag == f"{_W}customXml" and any(c.tag in (f"{_W}p", f"{_W}tbl") for c in el):
            continue
        else:
            _lift(el, [c for c in el if c.tag not in _WRAPPER_PROPERTIES])


def _lift_text_boxes(body: Any) -> None:
    """Move each text box's paragraphs and tables out of its run to just after the paragraph anchoring it
    (several boxes in one paragraph in order), so each is read once, as a paragraph of its own."""
    after: dict[Any, Any] = {}
    for box in list(body.iter(f"{_W}txbxContent")):
        anchor = next(box.iterancestors(f"{_W}p"), None)
        if anchor is None or anchor.getparent() is None:
            continue
        last = after.get(anchor, anchor)
        for child in list(box):
            last.addnext(child)
            last = child
        after[anchor] = last


def _unread(body: Any) -> tuple[int, list[str], str]:
    """Characters in ``w:t`` elements the reader does not reach (inside elements it does not know), those
    elements' names, and the start of that text."""
    chars, names, sample = 0, [], ""
    for t in body.iter(f"{_W}t"):
        parent = t.getparent()
        if not t.text or parent is None:
            continue
        outside = parent if parent.tag != f"{_W}r" else None
        for a in parent.iterancestors() if outside is None else ():
            if a is body:
                break
            if a.tag not in _READ_PATH:
                outside = a
                break
        if outside is None:
            continue
        chars += len(t.text)
        local = outside.tag.rsplit("}", 1)[-1]
        name = f"{outside.prefix}:{local}" if outside.prefix else local
        if name not in names:
            names.append(name)
        if len(sample) < 40:
            sample += t.text
    return chars, names, sample


#: Below this share of the body's characters, python-docx missed text (unknown containers): walk the XML.
_VISIBLE = 0.5


def _xml_chars(body: Any) -> int:
    """Characters in the (prepared: one copy of each text box) body's ``w:t`` elements, wherever they are nested."""
    return sum(len(t.text or "") for t in body.iter(f"{_W}t"))


def _join(texts: Iterable[str]) -> str:
    return "\n\n".join(t.strip() for t in texts if t and t.strip())


def docx_text(data: bytes, path: str) -> tuple[str, list[str], dict[str, str]]:
    """The normalised text of a .docx (Word paragraphs separated by blank lines), warnings, and header keys
    from key | value tables (``Participant ID | P02``).

    Raises:
        TranscriptParseError: [E104] damaged file, [E100] no text.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    warnings: list[str] = []
    header: dict[str, str] = {}
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        _accept_changes(body)
        _unwrap_containers(body)
        _lift_text_boxes(body)
        text = _join(_blocks(document._body, body, header))
        unread = _unread(body)
        if len(text) < _VISIBLE * _xml_chars(body) and len(xml_text := _join(_xml_paragraphs(body))) > len(text):
            text = xml_text
            warnings.append(Warnings.W105.format(path=path))
        elif unread[0]:
            warnings.append(Warnings.W165.format(path=path, n=unread[0], elements=", ".join(unread[1]),
                                                 sample=" ".join(unread[2].split())[:40]))
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError, SyntaxError, EOFError) as exc:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="Word", detail=exc)) from None
    except Exception as exc:  # lxml and defusedxml raise their own parse errors
        if type(exc).__module__.startswith(("lxml", "defusedxml", "xml", "docx")):
            raise TranscriptParseError(Errors.E104.format(path=path, kind="Word", detail=exc)) from None
        raise
    text = normalise_text(text)
    if not text.strip():
        raise TranscriptParseError(Errors.E100.format(path=path, detail=" (the Word document is empty)"))
    return text, warnings, header


def read_docx(data: bytes, path: str, **options: Any) -> Parsed:
    """Read a .docx transcript into turns (see the module docstring)."""
    from .text import parse_text

    text, warnings, table_header = docx_text(data, path)
    parsed = parse_text(text, path, fmt="docx", **options)
    header = dict(parsed.header)
    pid = next((v for k, v in table_header.items() if k in _PARTICIPANT_KEYS and is_id_like(v)), None)
    if pid and "participant" not in header:
        header["participant"] = pid
    attributes = {**{k: v for k, v in table_header.items() if k not in _PARTICIPANT_KEYS}, **parsed.attributes}
    return dataclasses.replace(parsed, header=header, attributes=attributes,
                               warnings=tuple(warnings) + parsed.warnings)
