"""Word (.docx) transcripts: paragraphs and tables in document order, then the text turn parser.

Speaker labels may be prefixes (``Name:``) or bold runs (**Name** then the utterance; bold set directly or
through a character or paragraph style and the styles they are based on); a table row
of short label + long text, or a table whose few labels take turns (and an optional timestamp cell),
becomes ``[ts] Label: text``. Nested
``w:body`` elements (Qualtrics' Word export) are read like the body. Tracked changes are read as
accepted (insertions kept, deletions dropped, a paragraph whose mark was deleted joined to the next). Hidden
text (``w:vanish``) is left out and counted (W548); a symbol (``w:sym``) is its character, a page or column break
a line break; an embedded HTML, MHT or text chunk (``w:altChunk``) is read in place, another kind named (W557).
A table cell merged down is read in its first row (a label merged down names each row's speaker), and a row of a
label without text is left out. Runs inside smart tags, content controls, simple fields,
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
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
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
#: E100's detail for a file whose only text is hidden (W548), shared by the document readers.
HIDDEN_ONLY = " that is shown (all of it is formatted Hidden, which is left out)"
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
    """A table's rows of cell texts. python-docx repeats a merged cell in every grid column and row it spans: one
    merged across is kept once; one merged down is read in its first row, and below only as a row's label (a
    speaker cell merged down names each row's speaker), else as an empty cell."""
    rows = []
    above: set[Any] = set()  # the cells (w:tc) of earlier rows, held so their identity stays
    for row in table.rows:
        seen: set[Any] = set()
        cells: list[str] = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            text = _cell_text(cell._tc, table).strip()
            if cell._tc in above and (_TIME_CELL.match(text) or any(c and not _TIME_CELL.match(c) for c in cells)):
                text = ""
            cells.append(text)
        above |= seen
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


def _label_only(cells: list[str]) -> bool:
    """A row of a label and no text: the label in the first cell that is not the time, every later cell empty
    (or none, where a time cell shows the row had its text cell at the end)."""
    at = next((i for i, c in enumerate(cells) if _TIME_CELL.match(c)), None)
    columns = [c for i, c in enumerate(cells) if i != at]
    return (bool(columns) and bool(columns[0]) and not any(columns[1:]) and (at is not None or len(columns) >= 2)
            and len(columns[0]) <= 40 and is_name_like(columns[0].rstrip(":")))


def _turn_row(cells: list[str], any_length: bool = False) -> str:
    """A transcript table row as ``[ts] Label: text``; a row of a label and no text (its text cell left empty) as
    nothing, other rows as their cells' lines."""
    ts = next((c for c in cells if _TIME_CELL.match(c)), None)
    rest = [c for c in cells if c and c is not ts]
    if (len(rest) >= 2 and len(rest[0]) <= 40 and is_name_like(rest[0].rstrip(":"))
            and (any_length or _is_long(" ".join(rest[1:])))):
        stamp = f"[{ts.strip('[]()')}] " if ts and parse_time(ts) is not None else ""
        return f"{stamp}{rest[0].rstrip(':')}: " + " ".join(rest[1:])
    return "" if _label_only(cells) else "\n".join(rest)


def _table_texts(table: Any, header: dict[str, str]) -> Iterator[str]:
    """A Word table's lines (see ``table_lines``)."""
    yield from table_lines(_table_rows(table), header)


def _is_column_header(row: list[str]) -> bool:
    return all(" ".join(c.lower().split()) in _COLUMN_HEADERS for c in row if c)


def _speakers_take_turns(rows: list[list[str]]) -> bool:
    """Most rows are [time] | label | text (or a label whose text cell is empty) and a few labels recur (speakers
    take turns; a key | value table's keys do not)."""
    labels = []
    for r in rows:
        rest = [c for c in r if c and not _TIME_CELL.match(c)]
        if (len(rest) >= 2 and len(rest[0]) <= 40 and is_name_like(rest[0].rstrip(":"))) or _label_only(r):
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
        yield from (line for r in body if (line := _turn_row(r, any_length=turns)))
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
    transcript checked, a name replaced) lost its new words. A paragraph whose mark was deleted joins the next.
    """
    for p in list(body.iter(f"{_W}p")):
        mark = p.find(f"{_W}pPr/{_W}rPr")
        if mark is not None and (mark.find(f"{_W}del") is not None or mark.find(f"{_W}moveFrom") is not None):
            _join_next(p)
    for el in list(body.iter(f"{_W}del", f"{_W}moveFrom")):
        el.getparent().remove(el)
    for el in list(body.iter(f"{_W}ins", f"{_W}moveTo")):
        parent = el.getparent()
        at = parent.index(el)
        for child in list(el):
            parent.insert(at, child)
            at += 1
        parent.remove(el)


#: Body-level elements a paragraph can be followed by (bookmarks, comment ranges and the like are passed over).
_BLOCK_LEVEL = frozenset(f"{_W}{t}" for t in ("p", "tbl", "sdt", "customXml", "altChunk", "sectPr", "body"))


def _join_next(p: Any) -> None:
    """Move a paragraph's content to the start of the next paragraph, as Word shows a paragraph whose mark is
    deleted or hidden; kept where no paragraph follows (a table, the end of a cell)."""
    nxt = p.getnext()
    while nxt is not None and nxt.tag not in _BLOCK_LEVEL:
        nxt = nxt.getnext()
    if nxt is None or nxt.tag != f"{_W}p" or p.getparent() is None:
        return
    at = 1 if len(nxt) and nxt[0].tag == f"{_W}pPr" else 0
    for child in [c for c in p if c.tag != f"{_W}pPr"]:
        nxt.insert(at, child)
        at += 1
    p.getparent().remove(p)


def _on(el: Any) -> bool | None:
    """A toggle property's value (``w:val`` of false, 0 or off turns it off); None when it is not set."""
    if el is None:
        return None
    return el.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _vanish(rpr: Any) -> bool | None:
    """Whether run properties hide the text (``w:vanish``, ``w:specVanish``); None when they do not say."""
    if rpr is None:
        return None
    direct = _on(rpr.find(f"{_W}vanish"))
    return direct if direct is not None else _on(rpr.find(f"{_W}specVanish"))


def _hidden_styles(document: Any) -> tuple[dict[str, bool], str]:
    """Each style id with whether it hides text (set by it or the nearest style it is based on), and the id of
    the default paragraph style."""
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    default = ""
    for st in document.styles.element.iter(f"{_W}style"):
        sid = st.get(f"{_W}styleId")
        if not sid:
            continue
        own[sid] = _vanish(st.find(f"{_W}rPr"))
        base = st.find(f"{_W}basedOn")
        if base is not None and base.get(f"{_W}val"):
            based[sid] = base.get(f"{_W}val")
        if st.get(f"{_W}type") == "paragraph" and st.get(f"{_W}default") in ("1", "true"):
            default = sid

    def hidden(sid: str | None) -> bool:
        for _ in range(_STYLE_DEPTH):
            if sid is None or sid not in own:
                return False
            if own[sid] is not None:
                return bool(own[sid])
            sid = based.get(sid)
        return False

    return {sid: hidden(sid) for sid in own}, default


def _style_id(pr: Any, tag: str) -> str | None:
    el = pr.find(f"{_W}{tag}") if pr is not None else None
    return None if el is None else el.get(f"{_W}val")


def _drop_hidden(body: Any, document: Any) -> int:
    """Remove the runs Word neither shows nor prints (Font ▸ Hidden: ``w:vanish`` on the run, through its character
    style or its paragraph's style; a toggle, as bold is) and join a paragraph whose mark is hidden to the next.
    Returns the characters removed."""
    styles, default = _hidden_styles(document)
    if not any(styles.values()) and next(body.iter(f"{_W}vanish", f"{_W}specVanish"), None) is None:
        return 0
    paragraphs: dict[Any, bool] = {}

    def in_hidden_paragraph(p: Any) -> bool:
        if p is None:
            return False
        if p not in paragraphs:
            paragraphs[p] = styles.get(_style_id(p.find(f"{_W}pPr"), "pStyle") or default, False)
        return paragraphs[p]

    def hidden(rpr: Any, p: Any) -> bool:
        direct = _vanish(rpr)
        if direct is not None:
            return direct
        char = _style_id(rpr, "rStyle")
        return styles.get(char, False) != in_hidden_paragraph(p) if char else in_hidden_paragraph(p)

    runs = [r for r in body.iter(f"{_W}r") if hidden(r.find(f"{_W}rPr"), next(r.iterancestors(f"{_W}p"), None))]
    chosen = set(runs)
    n = 0
    for r in runs:
        if r.getparent() is not None and not any(a in chosen for a in r.iterancestors(f"{_W}r")):
            n += sum(len(t.text or "") for t in r.iter(f"{_W}t"))
            r.getparent().remove(r)
    for p in list(body.iter(f"{_W}p")):
        if hidden(p.find(f"{_W}pPr/{_W}rPr"), p):
            _join_next(p)
    return n


#: The Symbol font's characters 0x20-0x7E, 0xA0-0xEF and 0xF1-0xFE (0xF0 has none), as Unicode.
_SYMBOL = dict(zip(
    [*range(0x20, 0x7F), *range(0xA0, 0xF0), *range(0xF1, 0xFF)],
    " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_‾αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼"
    "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪"
    "〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭"))
#: Wingdings characters Word's AutoCorrect and bullets commonly insert.
_WINGDINGS = {0x4A: "\u263a", 0x4B: "\U0001f610", 0x4C: "\u2639", 0x6C: "\u25cf", 0xA7: "\u25aa", 0xFB: "\u2717",
              0xFC: "\u2713"}
_DINGBAT_FONTS = ("wingdings", "webdings", "dingbat", "marlett")


def _symbol(font: str | None, char: str | None) -> str:
    """The character a ``w:sym`` shows: the Symbol font's mapped to Unicode, a few common Wingdings, another
    dingbat font's kept as its private-use code, any other font's as the character code it names."""
    try:
        code = int(char or "", 16)
    except ValueError:
        return ""
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    name = (font or "").strip().lower()
    if name == "symbol":
        return _SYMBOL.get(low, "")
    if "wingdings" in name and low in _WINGDINGS:
        return _WINGDINGS[low]
    if any(f in name for f in _DINGBAT_FONTS):
        return chr(0xF000 + low) if low < 0x100 else ""
    return chr(low) if 0x20 <= low < 0xD800 or 0xE000 <= low <= 0x10FFFF else ""


def _symbols_and_breaks(body: Any) -> None:
    """Read a symbol (``w:sym``, Insert ▸ Symbol) as its character and a page or column break inside a paragraph as
    a line break; python-docx reads neither, so words on either side were glued together."""
    from docx.oxml import OxmlElement

    for sym in list(body.iter(f"{_W}sym")):
        t = OxmlElement("w:t")
        t.text = _symbol(sym.get(f"{_W}font"), sym.get(f"{_W}char"))
        sym.getparent().replace(sym, t)
    for br in body.iter(f"{_W}br"):
        if br.get(f"{_W}type") in ("page", "column"):
            del br.attrib[f"{_W}type"]


def _read_alt_chunks(body: Any, part: Any, path: str, warnings: list[str]) -> int:
    """Put the paragraphs of each embedded chunk (``w:altChunk``: HTML, MHT or plain text that Word imports where it
    stands) in its place; a chunk of another kind, or a missing or outside one, is named in W557. Returns the
    characters of hidden HTML left out."""
    from .docx_chunk import chunk_elements

    hidden = 0
    for chunk in list(body.iter(f"{_W}altChunk")):
        rid = chunk.get(f"{_R}id")
        rel = part.rels.get(rid) if rid else None
        name, kind, elements = rid or "w:altChunk", "a missing part", None
        if rel is not None and rel.is_external:
            name, kind = rel.target_ref, "a link outside the file, not followed"
        elif rel is not None:
            target = rel.target_part
            name, kind = str(target.partname).lstrip("/"), target.content_type or "unknown type"
            found = chunk_elements(target.blob, kind, name)
            if found is not None:
                elements, n = found
                hidden += n
        if elements is None:
            warnings.append(Warnings.W557.format(path=path, part=name, kind=kind))
        _lift(chunk, elements or [])
    return hidden


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
        hidden = _read_alt_chunks(body, document.part, path, warnings)
        _symbols_and_breaks(body)
        hidden += _drop_hidden(body, document)
        if hidden:
            warnings.append(Warnings.W548.format(path=path, n=hidden))
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
        hidden_only = any(w.startswith("[W548]") for w in warnings)
        detail = HIDDEN_ONLY if hidden_only else " (the Word document is empty)"
        raise TranscriptParseError(Errors.E100.format(path=path, detail=detail))
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
