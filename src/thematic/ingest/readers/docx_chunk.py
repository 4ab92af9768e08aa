"""Word ``w:altChunk`` parts (content Word imports into the document where the chunk stands) as Word elements.

HTML (also inside an MHT archive) is read with the standard library's HTMLParser, which fetches nothing: scripts,
styles, the head and hidden elements (``hidden``, ``display:none``, Word's ``mso-hide:all``) are left out, bold and
line breaks kept, a table's rows made a Word table. Plain text is a paragraph a line. Other kinds (RTF, another
Word document) are not read: the caller names them.
"""

from __future__ import annotations

import codecs
import email
import re
from html.parser import HTMLParser
from typing import Any

_SKIP = frozenset({"script", "style", "head", "title", "template"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote",
                    "pre", "section", "article", "header", "footer", "nav", "aside", "address", "figure",
                    "figcaption", "main", "caption", "center", "form", "fieldset", "legend", "table", "tr", "td",
                    "th", "body", "html"})
_HIDDEN_STYLE = re.compile(r"display:none|mso-hide:all|visibility:hidden")
_BOLD_STYLE = re.compile(r"font-weight:(?:bold|[6-9]00)")
_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "message/rfc822": "mht", "multipart/related": "mht",
          "application/x-mimearchive": "mht", "text/plain": "text"}
_EXTENSIONS = {"htm": "html", "html": "html", "xhtml": "html", "mht": "mht", "mhtml": "mht", "txt": "text"}

Runs = list[tuple[str, bool]]


class _Html(HTMLParser):
    """Paragraphs (``("p", runs)``) and tables (``("table", rows of cells of blocks)``) of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Any] = []
        self.hidden = 0
        self._target = self.blocks
        self._runs: Runs = []
        self._stack: list[tuple[str, bool, str, bool]] = []  # tag, bold, "skip"/"hidden"/"", structure kept
        self._tables: list[dict[str, Any]] = []

    def _state(self) -> tuple[bool, str]:
        bold = any(e[1] for e in self._stack)
        out = "skip" if any(e[2] == "skip" for e in self._stack) else "hidden" if any(e[2] for e in self._stack) else ""
        return bold, out

    def _flush(self) -> None:
        if "".join(t for t, _ in self._runs).strip():
            self._target.append(("p", self._runs))
        self._runs = []

    def _close_cell(self) -> None:
        self._flush()
        if self._tables:
            self._target = self._tables[-1]["outer"]

    def _open(self, tag: str) -> None:
        self._flush()
        if tag == "table":
            self._tables.append({"rows": [], "outer": self._target})
        elif tag == "tr" and self._tables:
            self._close_cell()
            self._tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self._tables:
            self._close_cell()
            rows = self._tables[-1]["rows"]
            if not rows:
                rows.append([])
            cell: list[Any] = []
            rows[-1].append(cell)
            self._target = cell

    def _end(self, tag: str) -> None:
        self._flush()
        if tag in ("td", "th", "tr") and self._tables:
            self._close_cell()
        elif tag == "table" and self._tables:
            self._close_cell()
            table = self._tables.pop()
            if any(table["rows"]):
                self._target.append(("table", [r for r in table["rows"] if r]))

    def _pop_to(self, i: int) -> None:
        while len(self._stack) > i:
            tag, _, _, kept = self._stack.pop()
            if kept:
                self._end(tag)

    def _implied_end(self, tag: str) -> None:
        """Close what HTML closes implicitly: an open cell or row at the next one, a paragraph at a block."""
        cell = (("td", "th"), ("tr", "table"))
        stops, barriers = {"td": cell, "th": cell, "tr": (("tr",), ("table",))}.get(
            tag, (("p",), _BLOCK) if tag in _BLOCK else ((), ()))
        for i in range(len(self._stack) - 1, -1, -1):
            name = self._stack[i][0]
            if name in stops:
                self._pop_to(i)
                return
            if name in barriers:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        _, state = self._state()
        if tag in _VOID:
            if not state and tag == "br":
                if self._runs and self._runs[-1][0].endswith(" "):
                    self._runs[-1] = (self._runs[-1][0].rstrip(" "), self._runs[-1][1])
                self._runs.append(("\n", self._state()[0]))
            elif not state and tag == "hr":
                self._flush()
            return
        self._implied_end(tag)
        _, state = self._state()
        style = re.sub(r"\s+", "", (a.get("style") or "").lower())
        own = "skip" if tag in _SKIP else "hidden" if "hidden" in a or _HIDDEN_STYLE.search(style) else ""
        bold = tag in ("b", "strong") or bool(_BOLD_STYLE.search(style))
        kept = not state and not own and tag in _BLOCK
        if kept:
            self._open(tag)
        self._stack.append((tag, bold, own, kept))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                self._pop_to(i)
                return

    def handle_data(self, data: str) -> None:
        bold, state = self._state()
        if state == "hidden":
            self.hidden += len(" ".join(data.split()))
        if state:
            return
        if not any(e[0] == "pre" for e in self._stack):
            data = re.sub(r"\s+", " ", data)
            if not self._runs or self._runs[-1][0].endswith("\n"):
                data = data.lstrip(" ")
        if data:
            self._runs.append((data, bold))

    def close(self) -> None:
        super().close()
        self._pop_to(0)
        while self._tables:
            self._end("table")
        self._flush()


def _decode(data: bytes, charset: str | None = None) -> str:
    """Text of an HTML or text part: by its byte-order mark, its declared charset, UTF-8, else cp1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    declared = re.search(rb"charset\s*=\s*[\"']?([\w.:-]+)", data[:4096], re.IGNORECASE)
    for name in (charset, declared.group(1).decode("ascii") if declared else None, "utf-8"):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                pass
    return data.decode("cp1252", "replace")


def _html_blocks(html: str) -> tuple[list[Any], int]:
    parser = _Html()
    parser.feed(html)
    parser.close()
    return parser.blocks, parser.hidden


def _mht_blocks(data: bytes) -> tuple[list[Any], int] | None:
    """The HTML (else plain-text) part of an MHT archive; its pictures and other parts are not read."""
    message = email.message_from_bytes(data)
    for wanted in ("text/html", "text/plain"):
        for part in message.walk():
            payload = part.get_payload(decode=True) if part.get_content_type() == wanted else None
            if isinstance(payload, bytes):
                text = _decode(payload, part.get_content_charset())
                return _html_blocks(text) if wanted == "text/html" else (_text_blocks(text), 0)
    return None


def _text_blocks(text: str) -> list[Any]:
    return [("p", [(line, False)]) for line in text.splitlines() if line.strip()]


def _element(block: Any) -> Any:
    """A ``w:p`` (bold runs kept) or ``w:tbl`` for a block."""
    from docx.oxml import OxmlElement

    if block[0] == "p":
        p = OxmlElement("w:p")
        for text, bold in block[1]:
            r = OxmlElement("w:r")
            r.text = text
            if bold:
                rpr = OxmlElement("w:rPr")
                rpr.append(OxmlElement("w:b"))
                r.insert(0, rpr)
            p.append(r)
        return p
    tbl = OxmlElement("w:tbl")
    for row in block[1]:
        tr = OxmlElement("w:tr")
        for cell in row:
            tc = OxmlElement("w:tc")
            for inner in cell:
                tc.append(_element(inner))
            if not cell:
                tc.append(OxmlElement("w:p"))
            tr.append(tc)
        tbl.append(tr)
    return tbl


def chunk_elements(data: bytes, content_type: str, name: str) -> tuple[list[Any], int] | None:
    """The Word paragraphs and tables of an embedded chunk, and the characters of hidden HTML left out; ``None``
    when the chunk is of a kind thematic does not read (the caller names it in W557)."""
    ctype = content_type.split(";")[0].strip().lower()
    kind = _KINDS.get(ctype) or (_EXTENSIONS.get(name.rsplit(".", 1)[-1].lower())
                                 if ctype in ("", "application/octet-stream") else None)
    if kind == "html":
        blocks, hidden = _html_blocks(_decode(data))
    elif kind == "mht":
        found = _mht_blocks(data)
        if found is None:
            return None
        blocks, hidden = found
    elif kind == "text":
        blocks, hidden = _text_blocks(_decode(data)), 0
    else:
        return None
    return [_element(b) for b in blocks], hidden
