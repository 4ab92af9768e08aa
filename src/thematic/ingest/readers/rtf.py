"""RTF transcripts (striprtf): the plain text of the paragraphs, then the text turn parser.

Kept: paragraphs (``\\par``; one paragraph per block, as in Word), line breaks inside a paragraph
(``\\line``), tabs, every character escape (``\\'e9``, ``\\u8217?``, the document's code page), and
tables: rows of *label / long text* cells, or a table whose few speakers take turns (with an
optional timestamp cell), become ``Label: text``, other rows one line of tab-separated cells.
Dropped: fonts and all formatting (so a label must be written ``Name:``; a bold label without a
colon is not seen), pictures,
headers, footers, footnotes, comments and other RTF destinations, field codes (a hyperlink keeps
its text and target), and the text of tracked deletions (``\\deleted``).
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


def _cells(chunk: str) -> list[str]:
    cells = [c.strip() for c in chunk.split(_CELL)]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _tables(text: str) -> str:
    """Rows (cells ended by ``_CELL``, rows by ``_ROW``), a table at a time, as turns or tab-separated lines
    (``table_lines``, as in Word: label / long text rows, or a few speakers taking turns, are turns)."""
    from .docx import table_lines

    if _ROW not in text:
        return text.replace(_CELL, "\t")
    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            out.append("\n" + "\n".join(table_lines(rows, {})) + "\n")
            rows.clear()

    chunks = text.split(_ROW)
    prev_row = False
    for chunk in chunks[:-1]:
        first = chunk.find(_CELL)
        if first == -1:
            flush()
            out.append(chunk)
            prev_row = False
            continue
        cut = 0 if prev_row else chunk.rfind("\n", 0, first) + 1
        if not prev_row:
            flush()
            out.append(chunk[:cut])
        rows.append(_cells(chunk[cut:]))
        prev_row = True
    flush()
    out.append(chunks[-1].replace(_CELL, "\t"))
    return "".join(out)


_TOKEN = re.compile(r"\\(?:([a-zA-Z]+)(-?\d+)? ?|'[0-9a-fA-F]{2}|.)|[{}]|[^\\{}]+", re.S)


def _without_deleted(raw: str) -> str:
    """The RTF with the text of tracked deletions (``\\deleted`` until ``\\deleted0`` or the group's end) removed.

    Control words and braces stay, so the structure striprtf reads is unchanged.
    """
    if "\\deleted" not in raw:
        return raw
    out: list[str] = []
    stack: list[bool] = []
    deleted = False
    for m in _TOKEN.finditer(raw):
        token, word = m.group(0), m.group(1)
        if token == "{":
            stack.append(deleted)
        elif token == "}":
            deleted = stack.pop() if stack else False
        elif word == "deleted":
            deleted = m.group(2) != "0"
            continue
        elif deleted and (word in ("u", "par", "line", "tab") or not token.startswith("\\") or token.startswith("\\'")):
            continue  # a deleted character, escape or break
        out.append(token)
    return "".join(out)


def rtf_text(data: bytes, path: str) -> str:
    """The normalised text of an RTF file, paragraphs separated by blank lines.

    Raises:
        TranscriptParseError: [E100] no text.
    """
    from striprtf.striprtf import rtf_to_text

    raw = _MARKS.sub(lambda m: _ESCAPES[m.group(1)], _without_deleted(data.decode("latin-1")))
    try:
        plain = rtf_to_text(raw, encoding="cp1252", errors="replace")
    except (ValueError, LookupError, IndexError, OverflowError) as exc:  # OverflowError: \u with 5,000 digits
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
