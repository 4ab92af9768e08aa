"""A note's text in the ``memos/<file>.md`` an import writes (one ``## name`` section a note), escaped so that
reading the file back (export, a later import) finds each note whole.

A line of the text that would start a section (``## ``), and a first line that would read as the
``*author · date*`` line, get one more backslash in front (Markdown shows ``\\##`` as ``##``); reading
takes one off again, so a text that itself starts a line with backslashes comes back as it was.
"""

from __future__ import annotations

import re

_SECTION = re.compile(r"^\\*## ")  # a line read as a note's heading, once its backslashes are off
_BYLINE = re.compile(r"^\\*\*")  # a first line read as "*author · date*", likewise
_ESCAPED_SECTION = re.compile(r"^\\+## ")
_ESCAPED_BYLINE = re.compile(r"^\\+\*")


def escape_note(text: str) -> str:
    """A note's text as a section of the memo file holds it (stripped, its heading-like lines escaped)."""
    lines = ["\\" + line if _SECTION.match(line) else line for line in text.strip().split("\n")]
    if _BYLINE.match(lines[0]):
        lines[0] = "\\" + lines[0]
    return "\n".join(lines)


def unescape_note(text: str) -> str:
    """A section's body (without its byline) as the note's text: ``escape_note`` undone."""
    lines = [line[1:] if _ESCAPED_SECTION.match(line) else line for line in text.split("\n")]
    if _ESCAPED_BYLINE.match(lines[0]):
        lines[0] = lines[0][1:]
    return "\n".join(lines)


def section_name(name: str) -> str:
    """A note's name on its ``## `` line (one line)."""
    return " ".join(name.splitlines()).strip()
