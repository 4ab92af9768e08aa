"""A REDCap export is read as REDCap lays it out: one respondent per record, every instance's answers theirs.

Before, a REDCap export with a repeating instrument (one row of demographics per record, then one row per
instance with ``redcap_repeat_instrument`` / ``redcap_repeat_instance``, and ``redcap_event_name`` in a
longitudinal project) was read as one respondent per row: 7 "respondents" for 3 records, the answers on rows
without the record's ``site``, ``record_id`` itself tallied as an attribute, and no warning. With
``id_column = "record_id"`` every instance row was screened out as a duplicate (W104) and no answer was stored.

Now REDCap's reserved column names mark the layout: the record is the respondent, each instance's and event's
answers are that respondent's, their question naming the event and instance (``… (instance 2)``) so two
instances' answers to one question stay apart and keep their codings at re-ingest, and the record's attributes
come from its rows that are no repeating instance. A record is screened out as a whole; a row repeating its
record's event and instance is the duplicate. A repeated id in a file of another layout is still a duplicate.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd

from regression.tiny_study import CODEBOOK, study_with
from thematic.study import Study

HEADER = ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance", "site", "age_band",
          "demographics_complete", "visit_feedback", "visit_worry", "feedback_complete"]
HELPED_1 = "The key worker rang me back the same day every time I called."
HELPED_2 = "Being shown how to fill in the housing forms step by step."
WORRY_1 = "Whether the funding for the drop-in will run out next spring."
ROWS = [
    ["1", "", "", "North", "35-44", "2", "", "", ""],
    ["1", "feedback", "1", "", "", "", HELPED_1, WORRY_1, "2"],
    ["1", "feedback", "2", "", "", "", HELPED_2, "Losing my place on the course if I miss a week.", "2"],
    ["2", "", "", "South", "45+", "2", "", "", ""],
    ["2", "feedback", "1", "", "", "", "A job trial at the bakery that turned into a real job.",
     "Who I can talk to when the mentor is away on leave.", "2"],
    ["3", "", "", "North", "18-24", "2", "", "", ""],
    ["3", "feedback", "1", "", "", "", "Nobody judged me for what I had done in the past.",
     "Having nowhere quiet to talk about private things.", "2"],
]


def _write(root: Path, header: list[str], rows: list[list[str]], name: str = "redcap.csv") -> None:
    with open(root / "data" / "raw" / name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])


def _ingest(study: Study) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest()
    assert report.ok, report.rows
    return [w for row in report.rows for w in row.warnings]


def _answer(study: Study, respondent: str, question: str) -> str:
    segs = study.segments()
    [sid] = segs.loc[(segs["participant_id"] == respondent) & (segs["question"] == question), "segment_id"]
    return str(sid)


def test_each_record_is_one_respondent_with_every_instances_answers(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK)
    _write(root, HEADER, ROWS)
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
        people = study.store.participants().set_index("participant_id")
        columns = study.store.document("redcap").attributes["columns"]
    assert not [n for n in notes if n.startswith(("[W104]", "[W031]"))]
    assert len(segs) == 8
    assert sorted(segs["participant_id"].unique()) == ["1", "2", "3"]
    assert set(segs.loc[segs["participant_id"] == "1", "question"]) == {
        "visit_feedback (instance 1)", "visit_feedback (instance 2)", "visit_worry (instance 1)",
        "visit_worry (instance 2)"}
    assert segs.loc[segs["question"] == "visit_feedback (instance 2)", "text"].tolist() == [HELPED_2]
    assert sorted(people.index) == ["1", "2", "3"]
    assert people.loc["1", "site"] == "North" and people.loc["2", "age_band"] == "45+"
    assert {"record_id", "redcap_repeat_instrument", "redcap_repeat_instance", "demographics_complete",
            "feedback_complete"}.isdisjoint(people.columns)
    assert columns["id"] == "record_id" and columns["questions"] == ["visit_feedback", "visit_worry"]
    assert set(columns["attributes"]) == {"site", "age_band"}


def test_record_id_named_as_id_column_keeps_every_answer(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, toml='\n[ingest.survey."redcap.csv"]\nid_column = "record_id"\n')
    _write(root, HEADER, ROWS)
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
        assert study.store.exclusions().empty
    assert not [n for n in notes if n.startswith("[W104]")]
    assert len(segs) == 8 and set(segs["participant_id"]) == {"1", "2", "3"}


def test_longitudinal_events_name_their_answers_and_attributes_come_from_the_record_rows(tmp_path: Path) -> None:
    header = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance", "site",
              "housing", "what_changed"]
    rows = [
        ["7", "baseline_arm_1", "", "", "East", "hostel", "I only just moved into the hostel and know nobody here."],
        ["7", "month_6_arm_1", "", "", "", "flat", "I have my own flat now and a bus pass to get to work."],
        ["8", "baseline_arm_1", "", "", "West", "flat", "The rent went up so I am back at my mum's for now."],
    ]
    root = study_with(tmp_path / "s", CODEBOOK)
    _write(root, header, rows, "cohort.csv")
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
        people = study.store.participants().set_index("participant_id")
    assert set(zip(segs["participant_id"], segs["question"])) == {
        ("7", "what_changed (baseline_arm_1)"), ("7", "what_changed (month_6_arm_1)"),
        ("8", "what_changed (baseline_arm_1)")}
    assert people.loc["7", "site"] == "East" and people.loc["7", "housing"] == "hostel"
    assert "redcap_event_name" not in people.columns
    [w031] = [n for n in notes if n.startswith("[W031]")]  # housing differs between record 7's events
    assert "'housing' (1 record)" in w031 and "cohort.csv" in w031


def test_codings_stay_on_their_instance_when_the_export_changes(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK)
    _write(root, HEADER, ROWS)
    with Study(root) as study:
        _ingest(study)
        second = _answer(study, "1", "visit_feedback (instance 2)")
        study.code(second, "work", coder="AB", memo="record 1, second visit")
    edited = [list(r) for r in ROWS]
    edited[1][6] = HELPED_1.replace("every time", "each time")  # instance 1 answer edited
    edited.insert(3, ["1", "feedback", "3", "", "", "", "Meeting other dads at the Saturday group.", "", "2"])
    _write(root, HEADER, [edited[0], *reversed(edited[1:])])  # and the rows re-sorted
    with Study(root) as study:
        notes = _ingest(study)
        coding = study.store.codings(coder="AB").iloc[0]
        assert pd.isna(coding["flag"]), notes
        assert coding["segment_id"] == _answer(study, "1", "visit_feedback (instance 2)")
        assert len(study.segments()) == 9


def test_a_record_is_screened_out_whole_and_a_repeated_instance_is_the_duplicate(tmp_path: Path) -> None:
    rows = [*ROWS, ["3", "feedback", "1", "", "", "", "The same row pasted twice by mistake at export.", "", "2"]]
    root = study_with(tmp_path / "s", CODEBOOK, toml='\n[ingest.survey."redcap.csv"]\nexclude = { 2 = "withdrew" }\n')
    _write(root, HEADER, rows)
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
        excluded = dict(zip(study.store.exclusions()["respondent"], study.store.exclusions()["reason"]))
        people = set(study.store.participants()["participant_id"])
    assert excluded == {"2": "withdrew",
                        "3 (row 9)": "duplicate: an earlier row has the same record, event and instance"}
    assert set(segs["participant_id"]) == {"1", "3"} and people == {"1", "3"}
    assert "The same row pasted twice by mistake at export." not in set(segs["text"])
    assert [n for n in notes if n.startswith("[W104]")]


def test_a_repeated_id_outside_the_redcap_layout_is_still_a_duplicate(tmp_path: Path) -> None:
    header = ["record_id", "site", "visit_feedback"]
    rows = [["1", "North", HELPED_1], ["1", "South", HELPED_2], ["2", "East", WORRY_1]]
    root = study_with(tmp_path / "s", CODEBOOK, toml='\n[ingest.survey."plain.csv"]\nid_column = "record_id"\n')
    _write(root, header, rows, "plain.csv")
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
    assert set(segs["question"]) == {"visit_feedback"} and len(segs) == 2
    assert any(n.startswith("[W104]") and "duplicate" in n for n in notes)


def test_a_labels_export_is_recognised_by_its_column_labels(tmp_path: Path) -> None:
    header = ["Record ID", "Repeat Instrument", "Repeat Instance", "Site", "Complete?", "What helped you?",
              "Complete?"]
    rows = [["1", "", "", "North", "Complete", "", ""],
            ["1", "Feedback", "1", "", "", HELPED_1, "Complete"],
            ["1", "Feedback", "2", "", "", HELPED_2, "Complete"],
            ["2", "", "", "South", "Complete", "", ""],
            ["2", "Feedback", "1", "", "", WORRY_1, "Complete"]]
    root = study_with(tmp_path / "s", CODEBOOK)
    _write(root, header, rows, "labels.csv")
    with Study(root) as study:
        notes = _ingest(study)
        segs = study.segments()
        people = study.store.participants().set_index("participant_id")
    assert not [n for n in notes if n.startswith(("[W104]", "[W031]"))]
    assert sorted(zip(segs["participant_id"], segs["question"])) == [
        ("1", "What helped you? (instance 1)"), ("1", "What helped you? (instance 2)"),
        ("2", "What helped you? (instance 1)")]
    assert list(people.columns) == ["Site"] and people.loc["2", "Site"] == "South"
