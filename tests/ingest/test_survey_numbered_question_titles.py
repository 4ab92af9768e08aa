"""Question columns titled ``Q 3. …``, ``Q: …``, ``Q.1`` or ``Q_1`` are questions, not survey-tool metadata.

Any title whose key began with ``q_`` was taken for a Qualtrics ``Q_…`` column and left out without a word:
six of nine answers were never stored. Now only Qualtrics' own spelling (``Q_`` and a CamelCase name such as
``Q_RecaptchaScore``) is metadata by that rule, and a column left out as metadata whose answers read like
open text (long, varied sentences) is named in a warning with its number of answers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

TITLES = ["respondent_id", "What helped you most?", "Q 3. Please tell us more about the support",
          "Q: What would you change?", "Q.1", "Q_1", "Q_RecaptchaScore", "Q_TotalDuration"]
ROWS = [
    ["R1", "More staff would help me a lot with the waiting times.",
     "The peer mentor phoned me every week and that kept me going.", "Shorter waits for a first appointment.",
     "The bus pass made the biggest difference to getting there.", "I would tell a friend to come along here.",
     "0.9", "412"],
    ["R2", "My family helped me get there each week, every week.",
     "My key worker found me a place on the course and paid the fees.", "More evening sessions for people who work.",
     "Having somebody to ring when things went badly wrong.", "Probably not, it was too far from my house.",
     "0.8", "388"],
    ["R3", "Money for the bus fare, I cannot afford to travel.",
     "Nobody really, I did it on my own in the end, it was hard.", "Someone to talk to when it goes wrong.",
     "Nothing much, the forms were all far too long for me.", "Yes, the staff there were lovely to everyone.",
     "1.0", "501"],
]


def _read(tmp_path: Path, titles: list[str], rows: list[list[str]]):  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    csv.writer(buf).writerows([titles, *rows])
    path = tmp_path / "feedback.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    ctx = FileContext(path, path.name, path.name, "feedback", {}, {})
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


def test_numbered_question_titles_are_questions_and_qualtrics_q_columns_metadata(tmp_path: Path) -> None:
    doc = _read(tmp_path, TITLES, ROWS).document
    columns = doc.attributes["columns"]
    assert columns["questions"] == TITLES[1:6]
    assert columns["metadata"] == ["Q_RecaptchaScore", "Q_TotalDuration"]
    assert len(doc.segments) == 15


def test_a_column_of_open_answers_left_out_as_metadata_is_named_in_a_warning(tmp_path: Path) -> None:
    titles = ["respondent_id", "What helped you most?", "Status"]  # "Status": a Qualtrics metadata title
    rows = [[r[0], r[1], r[2]] for r in ROWS]
    doc = _read(tmp_path, titles, rows).document
    assert doc.attributes["columns"]["metadata"] == ["Status"]
    (note,) = [w for w in doc.warnings if w.startswith("[W028]")]
    assert "feedback.csv" in note and "'Status'" in note and "3 answers" in note and "text_columns" in note
