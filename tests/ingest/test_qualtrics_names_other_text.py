"""D9: Qualtrics surveys: (a) a respondent's own name, from the name columns ingest leaves out, is
pseudonymised in the answers (and kept in the pseudonym key); (b) ``Q2_4_TEXT`` "... - Other - Text"
columns are open-text questions, as SurveyMonkey's "Other (please specify)" already is.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.run import key_path
from thematic.study import Study

_CODES = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
          "RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "Q1", "Q2",
          "Q2_4_TEXT", "Q3"]
_LABELS = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished",
           "Recorded Date", "Response ID", "Recipient Last Name", "Recipient First Name", "Recipient Email",
           "What is your role?", "Why did you choose this course? Please explain, in your own words.",
           "Why did you choose this course? - Other - Text", "Anything else you would like to tell us?"]
_IMPORT = ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate",
           "_recordId", "recipientLastName", "recipientFirstName", "recipientEmail", "QID1", "QID2_TEXT",
           "QID2_4_TEXT", "QID3_TEXT"]
_ROWS = [
    ["2024-03-01 10:00:00", "2024-03-01 10:05:00", "IP Address", "10.0.0.1", "100", "300", "True",
     "2024-03-01 10:05:01", "R_1abcDEF", "Okafor", "Nnamdi", "nnamdi@example.org", "Student",
     "I wanted to work with people. Nnamdi Okafor is my name and Okafor is on every form I fill in.", "",
     "The wifi in building C is awful, please fix it."],
    ["2024-03-01 11:00:00", "2024-03-01 11:09:00", "Survey Preview", "10.0.0.2", "100", "540", "True",
     "2024-03-01 11:09:01", "R_2preview", "Testperson", "Preview", "", "Staff", "This is a preview test answer",
     "", ""],
    ["2024-03-02 09:00:00", "2024-03-02 09:07:00", "IP Address", "10.0.0.3", "100", "420", "True",
     "2024-03-02 09:07:01", "R_3ghiJKL", "Reilly", "Siobhan", "siobhan@example.org", "Student",
     "Career change. After ten years in retail I needed something new, and this was affordable.",
     "Mum said so, Siobhan", ""],
    ["2024-03-02 10:00:00", "2024-03-02 10:07:00", "IP Address", "10.0.0.4", "100", "420", "True",
     "2024-03-02 10:07:01", "R_4mnoPQR", "", "", "", "Staff",
     "My colleague Nnamdi told me it was worth it, and the timetable suited my shifts.", "", ""],
]


def _qualtrics() -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CODES)
    writer.writerow(_LABELS)
    writer.writerow([json.dumps({"ImportId": i}) for i in _IMPORT])
    writer.writerows(_ROWS)
    return buf.getvalue()


def test_respondent_names_are_pseudonymised_in_answers(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("course-survey.csv", _qualtrics()))
    for name in ("Nnamdi", "Okafor", "Siobhan", "Reilly"):
        assert name not in doc.text
    own = next(s for s in doc.segments if s.participant_id == "R_1abcDEF" and "wanted" in s.text)
    assert own.text == "I wanted to work with people. R_1abcDEF is my name and R_1abcDEF is on every form I fill in."
    other = next(s for s in doc.segments if s.participant_id == "R_4mnoPQR")
    assert other.text.startswith("My colleague R_1abcDEF told me")  # like a participants.csv name: everywhere
    assert doc.attributes["pseudonymised"] == {"speaker": 4}
    assert "Testperson" not in doc.text and "preview" not in str(doc.attributes["pseudonymised"])


def test_names_stay_when_pseudonymisation_is_off(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("course-survey.csv", _qualtrics()), settings=IngestSettings(pseudonymise=False))
    assert "Nnamdi Okafor is my name" in doc.text


def test_respondent_names_go_into_the_study_key(study: Study) -> None:
    (study.paths.raw / "course-survey.csv").write_text(_qualtrics(), encoding="utf-8")
    (study.paths.raw / "note.txt").write_text("Notes\n\nInterviewer: Did Siobhan come?\n\nRespondent: Yes.\n",
                                              encoding="utf-8")
    report = study.ingest()
    assert report.ok
    key = key_path(study).read_text(encoding="utf-8")
    assert "speaker,Nnamdi Okafor,R_1abcDEF" in key and "speaker,Siobhan Reilly,R_3ghiJKL" in key
    assert "Testperson" not in key  # a screened-out row is never read
    for doc_id in ("course-survey", "note"):
        text = study.store.document_text(doc_id)
        assert "Siobhan" not in text and "Nnamdi" not in text
    people = study.store.participants()
    assert not any(c.lower().startswith("recipient") for c in people.columns)


def test_qualtrics_other_text_column_is_an_open_question(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("course-survey.csv", _qualtrics()), settings=IngestSettings(pseudonymise=False))
    columns = doc.attributes["columns"]
    assert "Q2_4_TEXT" in columns["questions"] and "Q2_4_TEXT" not in columns["attributes"]
    other = [s for s in doc.segments if s.question == "Why did you choose this course? - Other - Text"]
    assert [(s.participant_id, s.text) for s in other] == [("R_3ghiJKL", "Mum said so, Siobhan")]
    notes = [w for w in doc.warnings if w.startswith("[W119]")]
    assert len(notes) == 1 and "'Q2_4_TEXT'" in notes[0].split("attributes:")[0]


def test_other_text_column_found_by_its_code_alone(write: Callable[..., Path]) -> None:
    text = ("ResponseId,Q1,Q1_5_TEXT,Q2\n"
            "R_1,Bus,,The bus is slow and always late in the mornings when I need it.\n"
            "R_2,Other,Lift from a neighbour,Nothing much to add really about the service.\n"
            "R_3,Walk,,I walk because it is cheaper and the exercise does me good.\n")
    doc = read_transcript(write("one-header.csv", text), settings=IngestSettings(pseudonymise=False))
    assert doc.attributes["columns"]["questions"] == ["Q1_5_TEXT", "Q2"]
    assert doc.attributes["columns"]["attributes"] == ["Q1"]
