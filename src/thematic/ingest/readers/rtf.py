"""RTF transcripts (striprtf): the plain text of the paragraphs, then the text turn parser.

Kept: paragraphs (``\\par``; one paragraph per block, as in Word), line breaks inside a paragraph
(``\\line``), tabs, every character escape (``\\'e9``, ``\\u8217?``, the document's code page), and
tables: rows of *label / long text* cells, or a table whose few speakers take turns (with an
optional timestamp cell), become ``Label: text``, other rows one line of tab-separated cells.
Dropped: fonts and all formatting (so a label must be written ``Name:``; a bold label without a
colon is not seen), pictures,
headers, footers, footnotes, comments and other RTF destinations, field codes (a hyperlink keeps
its text and target), list numbers and bullets (``\\listtext``), the text of tracked deletions
(``\\deleted``), and hidden text (``\\v``, counted in W548).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ...errors import Errors, TranscriptParseError, Warnings
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
#: Control words that stand for a character or a break: left out with the text of a deletion or hidden text.
_CHAR_WORDS = frozenset({"u", "par", "line", "tab", "emdash", "endash", "emspace", "enspace", "qmspace", "bullet",
                         "lquote", "rquote", "ldblquote", "rdblquote"})
_HIDDEN = re.compile(r"\\v(?![a-zA-Z])")


def _without_deleted(raw: str, hidden: bool = True) -> str:
    """The RTF without list numbers and bullets (``{\\listtext …}`` groups, which are formatting as in Word), the
    text of tracked deletions (``\\deleted``) and, with ``hidden``, hidden text (``\\v``); a deletion or hidden
    text lasts until ``\\deleted0``/``\\v0``, ``\\plain`` or the group's end.

    Control words and braces stay, so the structure striprtf reads is unchanged.
    """
    if "\\deleted" not in raw and "\\listtext" not in raw and not (hidden and _HIDDEN.search(raw)):
        return raw
    out: list[str] = []
    stack: list[tuple[bool, bool]] = []
    deleted = hiding = opened = False
    skip_to = -1  # inside a {\\listtext} group: dropped until the stack is back to this depth
    for m in _TOKEN.finditer(raw):
        token, word = m.group(0), m.group(1)
        if token == "{":
            stack.append((deleted, hiding))
            if skip_to < 0:
                out.append(token)
                opened = True
            continue
        if token == "}":
            deleted, hiding = stack.pop() if stack else (False, False)
            if skip_to >= 0:
                if len(stack) == skip_to:
                    skip_to = -1
                continue
            out.append(token)
            opened = False
            continue
        first, opened = opened, False
        if skip_to >= 0:
            continue
        if first and word == "listtext":
            out.pop()  # the group's "{"
            skip_to = len(stack) - 1
        elif word == "deleted":
            deleted = m.group(2) != "0"
        elif word == "v" and hidden:
            hiding = m.group(2) != "0"
        elif word == "plain":
            deleted = hiding = False
            out.append(token)
        elif (deleted or hiding) and (word in _CHAR_WORDS or not token.startswith("\\") or token.startswith("\\'")
                                      or token in ("\\~", "\\_")):
            continue  # a deleted or hidden character, escape or break
        else:
            out.append(token)
    return "".join(out)


def _plain(raw: str, path: str) -> str:
    from striprtf.striprtf import rtf_to_text

    raw = _MARKS.sub(lambda m: _ESCAPES[m.group(1)], raw)
    try:
        return rtf_to_text(raw, encoding="cp1252", errors="replace").replace("\r", "")
    except (ValueError, LookupError, IndexError, OverflowError) as exc:  # OverflowError: \u with 5,000 digits
        raise TranscriptParseError(Errors.E104.format(path=path, kind="RTF", detail=exc)) from None


def rtf_text(data: bytes, path: str, warnings: list[str] | None = None) -> str:
    """The normalised text of an RTF file, paragraphs separated by blank lines; hidden text (``\\v``) is left
    out and counted in W548 (appended to ``warnings``).

    Raises:
        TranscriptParseError: [E100] no text, [E104] damaged file.
    """
    raw = data.decode("latin-1")
    plain = _plain(_without_deleted(raw), path)
    n = len(_plain(_without_deleted(raw, hidden=False), path)) - len(plain) if _HIDDEN.search(raw) else 0
    if n > 0 and warnings is not None:
        warnings.append(Warnings.W548.format(path=path, n=n))
    plain = _tables(plain)
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)*", "\n\n", plain.strip()).replace(_LINE, "\n")
    text = normalise_text(text)
    if not text.strip():
        from .docx import HIDDEN_ONLY

        detail = HIDDEN_ONLY if n > 0 else " (the RTF file has no text)"
        raise TranscriptParseError(Errors.E100.format(path=path, detail=detail))
    return text


def read_rtf(data: bytes, path: str, **options: Any) -> Parsed:
    """Read an RTF transcript into turns (see the module docstring)."""
    from .text import parse_text

    warnings: list[str] = []
    parsed = parse_text(rtf_text(data, path, warnings), path, fmt="rtf", **options)
    return dataclasses.replace(parsed, warnings=tuple(warnings) + parsed.warnings) if warnings else parsed
