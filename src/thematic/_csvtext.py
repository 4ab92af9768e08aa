"""Checks on CSV text before it is read: a quote that opens a field and never closes swallows every later row."""

from __future__ import annotations

import re


def unclosed_quote(text: str, delimiter: str = ",") -> int | None:
    """The line where a quoted field opens and never closes while later lines follow, else None.

    Python's csv reader (not strict) reads such a field to the end of the text, so every later row silently becomes
    part of one value. Quotes are read as that reader reads them: a quote opens a field only at the field's start,
    and ``""`` inside a quoted field is a literal quote.
    """
    opening = re.compile(rf'(?:^|(?<=[{re.escape(delimiter)}\r\n]))"')
    pos = 0
    while (m := opening.search(text, pos)) is not None:
        i = m.end()
        while True:
            j = text.find('"', i)
            if j < 0:
                rest = text[m.end():].rstrip()
                return text.count("\n", 0, m.start()) + 1 if ("\n" in rest or "\r" in rest) else None
            if text.startswith('"', j + 1):
                i = j + 2
                continue
            break
        pos = j + 1
    return None


def unclosed_quote_detail(line: int) -> str:
    """What an unclosed quote on ``line`` does, for an error message."""
    return (f"a quote opened on line {line} is never closed, so every later line would be read as part of that one "
            "value; close the quote, and write a quote inside a quoted value as two: \"\"")
