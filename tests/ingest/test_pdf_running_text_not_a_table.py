"""Running text in a PDF is never split as if it were a row of a speaker | text table.

Was wrong: the reader took a document-wide "text column" (in running text simply where the word after a
repeated ``Interviewer: `` starts) and split any line with a word starting at that x after an ordinary
space, writing the words before it as a label: the page's ``the bus was late again`` was stored as
``the bus was: late again`` (a colon, sometimes a paragraph break, inside a quote).
Now: a line is split only where the gap before the column is wider than the line's word spacing and the
words before it read as a speaker label (a name, role or id, with a timestamp or not); the table rows of
the same file are still read as ``Speaker: text`` turns.
"""

from __future__ import annotations

from pathlib import Path

from pdfminer.fontmetrics import FONT_METRICS

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

from .pdfgen import write_pdf

PLAIN = IngestSettings(pseudonymise=False)


def _width(text: str, size: float = 11.0) -> float:
    """The printed width of ``text`` in Helvetica (the font pdfgen writes)."""
    widths = FONT_METRICS["Helvetica"][1]
    return sum(widths[c] for c in text) * size / 1000


def test_prose_line_with_a_word_at_the_table_column_is_kept_as_written(tmp_path: Path) -> None:
    rows = [("Interviewer", "Thanks for coming. Shall we start?"), ("Idris", "Yes, that is fine with me."),
            ("Interviewer", "How long have you lived here?"),
            ("Idris", "About six years, since the children were small."),
            ("Interviewer", "And the community centre?"), ("Idris", "We go on Thursdays for the food bank.")]
    last = "Idris: One more thing, the bus was late again so I missed most of the session."
    column = 60 + _width(last[:last.index("late")])
    runs, y = [], 780.0
    for who, text in rows:
        runs += [(60.0, y, who, False), (column, y, text, False)]
        y -= 25
    runs.append((60.0, y, last, False))
    doc = read_transcript(write_pdf(tmp_path / "table.pdf", [runs]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == rows + [("Idris", last.split(": ", 1)[1])]


def test_running_text_with_a_repeated_label_gets_no_inserted_colon(tmp_path: Path) -> None:
    """The word after every ``Interviewer: `` starts at one x; a prose line with a word there is not split."""
    lead, wrapped = "Idris: Mostly for the food bank when the bus runs", "on time and the weather is kind."
    assert abs(_width("on time and ") - _width("Interviewer: ")) < 1  # "the" starts where the labels' text does
    runs = [(60.0, 780.0, "Interviewer: Do you use the community centre?", False),
            (60.0, 755.0, "Idris: Sometimes.", False),
            (60.0, 730.0, "Interviewer: What stops you going more?", False),
            (60.0, 705.0, lead, False), (60.0, 690.3, wrapped, False),
            (60.0, 665.0, "Interviewer: Thank you.", False)]
    doc = read_transcript(write_pdf(tmp_path / "prose.pdf", [runs]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Do you use the community centre?"), ("Idris", "Sometimes."),
        ("Interviewer", "What stops you going more?"),
        ("Idris", f"{lead.split(': ')[1]} {wrapped}"),
        ("Interviewer", "Thank you.")]


def test_table_with_colons_in_its_speaker_cells_is_still_a_table(tmp_path: Path) -> None:
    """Rows with no spacing between them and ``Name:`` cells: each row is still its own turn."""
    rows = [("Interviewer", "Did you sing as a child?"), ("Wren", "Only in the car."), ("Interviewer", "Why the car?"),
            ("Wren", "Nobody could hear me over the engine."), ("Interviewer", "That makes sense.")]
    runs = [run for i, (who, text) in enumerate(rows) for run in ((72, 780 - 13 * i, f"{who}:", False),
                                                                    (170, 780 - 13 * i, text, False))]
    doc = read_transcript(write_pdf(tmp_path / "dense.pdf", [runs]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == rows
