"""Participant attributes from several files: merged, never dropped by re-reading one file.

Before, each file's respondents replaced the participants' stored attributes wholesale: a second
`thematic ingest` with nothing changed dropped every survey attribute of a participant listed in
participants.csv, and of QualCoder's sample pair (a cases sheet and an answers file) whichever file
was stored last won, so the attributes depended on the order files had changed in.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.models import Participant
from thematic.study import Study

from .unlike_example import write_study

runner = CliRunner()
ANSWERS = ("Case,Age,Gender,Interest,What stops you studying?\n"
           "ID4,24,f,shopping,Work takes all my time.\n"
           "ID5,,m,golf,Family and work leave no time.\n"
           "ID6,67,m,gardening,Nothing; I am retired.\n")
CASES = "case,Age,gender,sport\nID4,56,F,netball\nID5,73,m,\nID6,67,m,soccer\n"


def _study(tmp_path: Path, files: dict[str, str], name: str = "study") -> Path:
    """A study of ``files`` beside two interview transcripts (their speakers are participants too)."""
    root = write_study(tmp_path / name)
    for file, text in files.items():
        (root / "data" / "raw" / file).write_text(text, encoding="utf-8")
    return root


def _people(root: Path) -> dict[str, dict[str, str]]:
    with Study(root) as study:
        frame = study.frames().participants.set_index("participant_id")
    return {pid: {k: str(v) for k, v in row.items() if v == v and v is not None} for pid, row in frame.iterrows()}


def test_survey_attributes_survive_an_ingest_that_changes_nothing(tmp_path: Path) -> None:
    root = _study(tmp_path, {"answers.csv": ANSWERS,
                             "participants.csv": "participant_id,role\nID4,student\nID5,staff\nID6,retired\n"})
    with Study(root) as study:
        study.ingest()
    first = _people(root)
    assert first["ID4"] == {"Age": "24", "Gender": "f", "Interest": "shopping", "role": "student"}
    with Study(root) as study:
        report = study.ingest()
        assert {r.status for r in report.rows} == {"unchanged"}
    assert _people(root) == first
    r = runner.invoke(app, ["tables", "frequency", "--by", "Interest", "--study", str(root)])
    assert r.exit_code == 0, r.output


def test_a_cases_sheet_and_an_answers_file_merge_whatever_order_they_change_in(tmp_path: Path) -> None:
    root = _study(tmp_path, {"answers.csv": ANSWERS, "cases.csv": CASES})
    with Study(root) as study:
        report = study.ingest()
    people = _people(root)
    # one column per attribute whatever its case; the attributes-only sheet wins where the two differ
    assert people["ID4"] == {"Age": "56", "gender": "F", "sport": "netball", "Interest": "shopping"}
    assert people["ID5"] == {"Age": "73", "gender": "m", "Interest": "golf"}
    warned = [w for w in report.study_warnings if w.startswith("[W025]")]
    assert len(warned) == 1 and "'Age' of 1 participant(s)" in warned[0]
    assert "data/raw/cases.csv and data/raw/answers.csv (ID4: 56 / 24)" in warned[0]
    assert "uses data/raw/cases.csv's" in warned[0]

    (root / "data" / "raw" / "answers.csv").write_text(ANSWERS.replace("Nothing;", "Nothing at all;"), encoding="utf-8")
    with Study(root) as study:
        rows = {r.path: r.status for r in study.ingest().rows}
    assert rows["data/raw/answers.csv"] == "changed" and rows["data/raw/cases.csv"] == "unchanged"
    assert _people(root) == people  # before: the changed answers file replaced the cases sheet's attributes

    fresh = _study(tmp_path, {"answers.csv": ANSWERS.replace("Nothing;", "Nothing at all;"), "cases.csv": CASES},
                   name="fresh")
    with Study(fresh) as study:
        study.ingest()
    assert _people(fresh) == people


def test_a_column_removed_from_participants_csv_is_gone_after_ingest(tmp_path: Path) -> None:
    root = _study(tmp_path, {"answers.csv": ANSWERS,
                             "participants.csv": "participant_id,role,site\nID4,student,north\n"})
    with Study(root) as study:
        study.ingest()
    assert _people(root)["ID4"]["site"] == "north"
    (root / "data" / "raw" / "participants.csv").write_text("participant_id,role\nID4,student\n", encoding="utf-8")
    with Study(root) as study:
        study.ingest()
    assert _people(root)["ID4"] == {"Age": "24", "Gender": "f", "Interest": "shopping", "role": "student"}
    (root / "data" / "raw" / "participants.csv").unlink()
    with Study(root) as study:
        study.ingest()
    assert _people(root)["ID4"] == {"Age": "24", "Gender": "f", "Interest": "shopping"}


def test_tables_by_an_attribute_ignore_its_case(tmp_path: Path) -> None:
    root = _study(tmp_path, {"answers.csv": ANSWERS})
    with Study(root) as study:
        study.ingest()
        for sid in study.store.segments()["segment_id"][:2]:
            study.code(sid, "time_pressure", coder="HT")
        by_lower = study.frequencies(by="gender")
        by_exact = study.frequencies(by="Gender")
    assert by_lower.equals(by_exact)
    r = runner.invoke(app, ["tables", "frequency", "--by", "hobby", "--study", str(root)])
    assert r.exit_code == 1 and "[E402]" in r.output and "survey files" in r.output


def test_a_store_from_before_sources_keeps_its_attributes_until_the_files_are_read(tmp_path: Path) -> None:
    from thematic.store import Store
    from thematic.store.schema import migrate

    root = _study(tmp_path, {"answers.csv": ANSWERS})
    path = root / "data" / "coded" / "thematic.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    migrate(con, target=3)
    con.executemany("INSERT INTO participants(participant_id, attributes) VALUES (?, ?)",
                    [("ID4", '{"Age": "99", "site": "north"}'), ("X1", '{"site": "south"}')])
    con.close()
    with Store(path) as store:
        assert store.participants().set_index("participant_id").loc["ID4", "Age"] == "99"
    with Study(root) as study:
        report = study.ingest()
    assert not [w for w in report.study_warnings if w.startswith("[W025]")]
    people = _people(root)
    assert people["ID4"] == {"Age": "24", "Gender": "f", "Interest": "shopping"}  # what the file says now
    assert people["X1"] == {"site": "south"}  # nobody else names X1 (an older REFI import's case): kept


def test_participants_given_through_the_api_are_a_source_too(tmp_path: Path) -> None:
    root = _study(tmp_path, {"answers.csv": ANSWERS})
    with Study(root) as study:
        study.ingest()
        study.store.save_participants([Participant("ID4", {"Age": "25", "note": "given directly"})])
        study.store.save_participants([Participant("Z9", {"note": "added later"})])
        merged = study.store.participants().set_index("participant_id")
        assert merged.loc["ID4", "Age"] == "24" and merged.loc["ID4", "note"] == "given directly"
        assert merged.loc["Z9", "note"] == "added later"
        conflicts = study.store.participant_conflicts()
    assert [(c.participant_id, c.attribute, c.kept, c.other) for c in conflicts] == [("ID4", "Age", "24", "25")]


@pytest.mark.parametrize("values", [("24", "24.0"), ("f", " F ")])
def test_values_that_only_differ_in_form_are_not_a_conflict(tmp_path: Path, values: tuple[str, str]) -> None:
    from thematic.store import Store

    with Store(tmp_path / "t.db") as store:
        store.set_participant_source("a", [Participant("P1", {"x": values[0]})], 10)
        store.set_participant_source("b", [Participant("P1", {"X": values[1]})], 20)
        assert store.participant_conflicts() == []
        assert store.participant_records() == [Participant("P1", {"x": values[0]})]


def test_a_facesheet_in_data_raw_is_named_as_a_roster_and_works_once_renamed(tmp_path: Path) -> None:
    from openpyxl import Workbook

    root = _study(tmp_path, {})
    book = Workbook()
    sheet = book.active
    for row in (["SurveyRespondentID", "TranscriptName", "AgeGroup"], ["R-17", "ana", "41-50"],
                ["R-18", "david", "21-30"], ["na", "Jim", "na"]):
        sheet.append(row)
    book.save(root / "data" / "raw" / "Facesheet information.xlsx")
    with Study(root) as study:
        report = study.ingest()
        assert not set(study.store.segments()["participant_id"].dropna()) & {"R-17", "R-18"}
    row = next(r for r in report.rows if r.path.endswith("Facesheet information.xlsx"))
    hint = next(w for w in row.warnings if w.startswith("[W112]"))
    assert "'TranscriptName'" in hint and "participants.xlsx" in hint and "--prune" in hint
    marker = next(w for w in report.study_warnings if w.startswith("[W023]"))
    assert marker.startswith("[W023] data/raw/Facesheet information.xlsx:")  # not "participants.csv", which is absent

    (root / "data" / "raw" / "Facesheet information.xlsx").rename(root / "data" / "raw" / "participants.xlsx")
    with Study(root) as study:
        report = study.ingest(prune=True)
        assert report.pruned == ("data/raw/Facesheet information.xlsx",)
        speaking = study.store.segments().query("not is_interviewer")
        assert set(speaking["participant_id"]) == {"R-17", "R-18"}
    assert any(w.startswith("[W023] participants.xlsx:") for w in report.study_warnings)


def test_saving_a_source_unchanged_writes_nothing(tmp_path: Path) -> None:
    """Every ingest (and so every `thematic code`) saves participants.csv again: unchanged, it must not write."""
    from thematic.store import Store

    with Store(tmp_path / "t.db") as store:
        store.set_participant_source("participants.csv", [Participant("P1", {"role": "mentor"})], 0)
        def changes() -> int:
            return int(store._conn.execute("SELECT total_changes()").fetchone()[0])

        before = changes()
        store.set_participant_source("participants.csv", [Participant("P1", {"role": "mentor"})], 0)
        assert changes() == before
        store.set_participant_source("participants.csv", [Participant("P1", {"role": "mentee"})], 0)
        assert changes() > before
        assert store.participant_records() == [Participant("P1", {"role": "mentee"})]
