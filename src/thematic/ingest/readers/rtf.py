"""RTF transcripts (striprtf): the plain text of the paragraphs, then the text turn parser.

Kept: paragraphs (``\\par``; one paragraph per block, as in Word), line breaks inside a paragraph
(``\\line``), tabs, every character escape (``\\'e9``, ``\\u8217?``, the document's code page), and
tables: a row of *label / long text* cells (with an optional timestamp cell) becomes
``Label: text``, other rows one line of tab-separated cells. Dropped: fonts and all formatting
(so a label must be written ``Name:``; a bold label without a colon is not seen), pictures,
headers, footers, footnotes, comments and other RTF destinations, field codes (a hyperlink keeps
its text and target).
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import Errors, TranscriptParseError
from ..normalise import normalise_text
from ..parsed import Parsed

_CELL, _ROW, _LINE = "\ue001", "\ue002", "\u2028"
# Control words renamed to Unicode escapes that striprtf passes through (in a group of their own).
_MARKS = re.compile(r"(?<!\\)\\(cell|nestcell|row|nestrow|line)(?![a-zA-Z])(?:-?\d+)? ?")
_ESCAPES = {k: "{\\uc1\\u%d?}" % v for k, v in
            {"cell": -8191, "nestcell": -8191, "row": -8190, "nestrow": -8190, "line": 8232}.items()}


def _row(cells: list[str]) -> str:
    from .docx import _turn_row

    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    return _turn_row(cells)


def _tables(text: str) -> str:
    """Rows (cells ended by ``_CELL``, rows by ``_ROW``) turned into turns or tab-separated lines."""
    if _ROW not in text:
        return text.replace(_CELL, "\t")
    out: list[str] = []
    chunks = text.split(_ROW)
    prev_row = False
    for chunk in chunks[:-1]:
        first = chunk.find(_CELL)
        if first == -1:
            out.append(chunk)
            prev_row = False
            continue
        cut = 0 if prev_row else chunk.rfind("\n", 0, first) + 1
        out.append(chunk[:cut])
        out.append("\n" + _row(chunk[cut:].split(_CELL)) + "\n")
        prev_row = True
    out.append(chunks[-1].replace(_CELL, "\t"))
    return "".join(out)


def rtf_text(data: bytes, path: str) -> str:
    """The normalised text of an RTF file, paragraphs separated by blank lines.

    Raises:
        TranscriptParseError: [E100] no text.
    """
    from striprtf.striprtf import rtf_to_text

    raw = _MARKS.sub(lambda m: _ESCAPES[m.group(1)], data.decode("latin-1"))
    try:
        plain = rtf_to_text(raw, encoding="cp1252", errors="replace")
    except (ValueError, LookupError, IndexError) as exc:
        raise TranscriptParseError(Errors.E104.format(path=path, kind="RTF", detail=exc)) from None
    plain = _tables(plain.replace("\r", ""))
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)*", "\n\n", plain.strip()).replace(_LINE, "\n")
    text = normalise_text(text)
    if not text.strip():
        raise TranscriptParseError(Errors.E100.format(path=path, detail=" (the RTF file has no text)"))
    return text


def read_rtf(data: bytes, path: str, **options: Any) -> Parsed:
    """Read an RTF transcript into turns (see the module docstring)."""
    from .text import parse_text

    return parse_text(rtf_text(data, path), path, fmt="rtf", **options)
