"""A PDF line ending in a hyphen before a number (``COVID-`` / ``19``) is joined as ``COVID-19``.

Was wrong: a hyphen at a line end was joined only when the next line began with a letter, so the text
read ``COVID- 19`` and ``aged 18- 25`` (a space inside the word, in quotes and searches).
Now: a hyphen right after a letter or digit at a line end, with a digit starting the next line, is kept
and the two lines meet without a space; a dash after a space still keeps its spaces.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

from .pdfgen import lines, write_pdf

PLAIN = IngestSettings(pseudonymise=False)


def test_hyphen_before_a_number_at_a_line_end(tmp_path: Path) -> None:
    body = lines(["Interviewer: What was hard?", "",
                  "Amara: We could not go to the centre at all during the COVID-",
                  "19 lockdowns, and the group for people aged 18-",
                  "25 closed too. We paid -", "20 pounds each was a lot."])
    doc = read_transcript(write_pdf(tmp_path / "covid.pdf", [body]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "What was hard?"),
        ("Amara", "We could not go to the centre at all during the COVID-19 lockdowns, and the group for people "
                  "aged 18-25 closed too. We paid - 20 pounds each was a lot.")]
