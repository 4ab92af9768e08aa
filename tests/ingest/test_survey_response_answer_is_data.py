"""A first respondent whose closed answer is "Response" is a respondent, not SurveyMonkey's second header row.

One cell equal to ``Response`` anywhere in row 2 made it a header row: the first respondent vanished, N fell
by one and their answers were glued onto the question titles. Now row 2 is SurveyMonkey's sub-header only in
SurveyMonkey's shape: ``Response`` / ``Open-Ended Response`` (or option names) under the questions, most of
its cells such marks or options, and nothing under the id and tool-metadata columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

HELPED = "More staff would help me a lot with the waiting times."


def _read(tmp_path: Path, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path = tmp_path / "consultation.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    ctx = FileContext(path, path.name, path.name, "consultation", {}, {})
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


def test_a_respondent_who_answered_response_is_read_as_data(tmp_path: Path) -> None:
    result = _read(tmp_path, [
        ["respondent_id", "submission_type", "What helped you most?", "What would you change?"],
        ["R1", "Response", HELPED, "Shorter waits for a first appointment please."],
        ["R2", "Complaint", "My family helped me get there each week, every week.",
         "More evening sessions for people who work."],
        ["R3", "Response", "Money for the bus fare, I cannot afford to travel.",
         "Someone to talk to when it all goes wrong."],
    ])
    segments = result.document.segments
    assert sorted({s.speaker for s in segments}) == ["R1", "R2", "R3"]
    assert sorted({s.question for s in segments}) == ["What helped you most?", "What would you change?"]
    assert {p.id: p.attributes["submission_type"] for p in result.participants}["R1"] == "Response"


def test_a_surveymonkey_sub_header_with_options_is_still_read_as_one(tmp_path: Path) -> None:
    result = _read(tmp_path, [
        ["Respondent ID", "Collector ID", "Which supports did you receive?", "", "", "What helped most?", "Age"],
        ["", "", "Mentoring", "Training", "Other (please specify)", "Open-Ended Response", "Response"],
        ["1001", "77", "Mentoring", "", "My sister drove me", HELPED, "45-54"],
    ])
    segments = result.document.segments
    assert {(s.speaker, s.question) for s in segments} == {
        ("1001", "What helped most?"), ("1001", "Which supports did you receive? - Other (please specify)")}
    assert result.participants[0].attributes["Age"] == "45-54"
