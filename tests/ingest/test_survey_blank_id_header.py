"""A first column of unique ids under a blank title was never the id column (the title was renamed ``column 1``
before the test for a blank title ran): respondents were numbered by row, the ids were tallied as an attribute
and each person counted twice. It is now the id column; where a blank-titled column is not, W119 says so."""

from __future__ import annotations

import openpyxl

from thematic.study import Study

FEEDBACK = """,group,What got in the way of your studies?
007,A,I had no time because of my job and family duties.
012,B,Costs kept going up and up every single month.
045,A,Teacher support was the best thing about it all.
"""


def test_blank_titled_id_column_is_the_id_column(study: Study) -> None:
    (study.paths.raw / "feedback.csv").write_text(FEEDBACK, encoding="utf-8")
    (study.paths.raw / "participants.csv").write_text("participant_id,role\n007,student\n012,student\n045,student\n",
                                                      encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert not any("[W020]" in w for w in report.study_warnings), report.study_warnings
    segs = study.segments()
    assert sorted(segs["participant_id"]) == ["007", "012", "045"]
    people = study.store.participants()
    assert sorted(people["participant_id"]) == ["007", "012", "045"]  # each person once
    assert "column 1" not in people.columns  # ids are never tallied as an attribute
    tallies = study.attribute_tallies()
    assert set(tallies["N"]) == {3}
    assert study.store.counts()["roster"] == 3
    assert study.store.document("feedback").attributes["columns"]["id"] == "column 1"


def test_blank_titled_column_that_is_no_id_gets_a_note(study: Study) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None, "What got in the way of your studies?"])
    for group, text in [("A", "I had no time because of my job and family duties."),
                        ("B", "Costs kept going up and up every single month."),
                        ("A", "Teacher support was the best thing about it all.")]:
        ws.append([group, text])
    wb.save(study.paths.raw / "groups.xlsx")
    report = study.ingest()
    assert report.ok, report.rows
    notes = [w for w in report.rows[0].warnings if w.startswith("[W119]")]
    assert notes and "none (respondents numbered by row)" in notes[0], report.rows[0].warnings
    assert sorted(study.segments()["participant_id"]) == ["groups-R1", "groups-R2", "groups-R3"]


def test_untitled_row_index_is_no_id(study: Study) -> None:
    """pandas' ``to_csv`` writes its row index (0, 1, 2…) under a blank title: two such files share no people."""
    (study.paths.raw / "wave1.csv").write_text(FEEDBACK.replace("007,", "0,").replace("012,", "1,")
                                               .replace("045,", "2,"), encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert sorted(study.segments()["participant_id"]) == ["wave1-R1", "wave1-R2", "wave1-R3"]
    assert any(w.startswith("[W119]") for w in report.rows[0].warnings), report.rows[0].warnings
    people = study.store.participants()
    assert "column 1" not in people.columns  # a row index is no attribute of anyone
    assert study.store.document("wave1").attributes["columns"]["metadata"] == ["column 1"]
