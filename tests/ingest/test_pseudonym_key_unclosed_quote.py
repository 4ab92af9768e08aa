"""A pseudonym key whose CSV has a quote that never closes is refused as damaged (E116, with its line).

The key was read with Python's csv reader, which reads an unclosed quoted value to the end of the file: a key
edited by hand with one stray quote in a pseudonym became one entry holding every later row, so those people's
names were no longer known (left unreplaced in new text) and their pseudonyms were handed out again. Now the
key is refused with E116 naming the line where the quote opens, as other damage to the key is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.errors import InputError
from thematic.ingest.pseudonymise import PseudonymKey


def test_an_unclosed_quote_in_the_key_is_e116_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text('kind,real,pseudonym\nspeaker,Ann Lee,"Speaker 1\nspeaker,Maria Gomez,Speaker 2\n'
                    "speaker,Tom Reilly,Speaker 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E116\].*key\.csv:2:.*never closed"):
        PseudonymKey.load(path)


def test_a_name_with_a_line_break_inside_quotes_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text('kind,real,pseudonym\nspeaker,"Ann\nLee",Speaker 1\nspeaker,Maria Gomez,Speaker 2\n',
                    encoding="utf-8")
    key = PseudonymKey.load(path)
    assert key.assign("speaker", "Maria Gomez") == "Speaker 2"
    assert key.assign("speaker", "Ann\nLee") == "Speaker 1"
