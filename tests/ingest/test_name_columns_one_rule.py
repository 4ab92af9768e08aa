"""A column of people's names however it is spelt ("Participant Name", "Name of participant", "Surname") is
personal: never stored as an attribute or exported, and the survey and participants readers find it by one rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic._personal import is_personal, name_column_part
from thematic.ingest.participants import parse_roster
from thematic.ingest.readers.survey import read_survey
from thematic.study import Study

NAME_TITLES = ["Participant Name", "Full name", "participant_name", "Name of participant", "Surname", "First name",
               "Last name", "Respondent name", "Preferred name", "Interviewee name", "Nickname",
               "What is your name?", "RecipientFirstName", "Name"]


@pytest.mark.parametrize("title", NAME_TITLES)
def test_name_columns_are_personal(title: str) -> None:
    assert is_personal(title)
    assert name_column_part(title) is not None


@pytest.mark.parametrize("title", ["Site name", "Course name", "School", "role", "Name of your school", "Speaker"])
def test_other_columns_are_not_names(title: str) -> None:
    assert name_column_part(title) is None
    assert not is_personal(title)


def test_name_parts_say_which_part() -> None:
    assert [name_column_part(t) for t in ("First name", "Surname", "Name of participant", "Nickname")] == [
        "given", "family", "full", "full"]


def test_roster_keeps_a_participant_name_column_out_of_attributes_and_maps_its_names() -> None:
    roster = parse_roster("participant_id,Participant Name,role\nP01,Dean Whitfield,mentor\n"
                          "P02,Lucy Fernley,staff\n", "participants.csv")
    assert [dict(p.attributes) for p in roster.participants] == [{"role": "mentor"}, {"role": "staff"}]
    assert roster.find("Dean Whitfield") == "P01" and roster.find("lucy fernley") == "P02"


def test_roster_joins_given_and_family_columns() -> None:
    roster = parse_roster("participant_id,First name,Last name,site\nP01,Dean,Whitfield,York\n", "participants.csv")
    assert [dict(p.attributes) for p in roster.participants] == [{"site": "York"}]
    assert roster.find("Dean Whitfield") == "P01"


def test_survey_reads_a_name_of_participant_column_as_the_respondents_own_name() -> None:
    rows = [["respondent_id", "Name of participant", "what_helped"],
            ["R1", "Dean Whitfield", "My supervisor helped, and Dean Whitfield is how they know me there."],
            ["R2", "Lucy Fernley", "Nothing much helped with the thesis, it was a long lonely slog really."]]
    parsed = read_survey(rows, "survey.csv", "csv")
    assert parsed.header["respondent_names"] == {"R1": ["Dean Whitfield"], "R2": ["Lucy Fernley"]}
    assert all("Name of participant" not in p.attributes for p in parsed.participants)


def test_surnames_in_a_participant_name_column_reach_no_export(study: Study, tmp_path: Path) -> None:
    raw = study.paths.raw
    (raw / "participants.csv").write_text("participant_id,Participant Name,role,transcript\n"
                                          "P01,Dean Whitfield,mentor,int-01.txt\nP02,Lucy Fernley,staff,int-02.txt\n")
    (raw / "int-01.txt").write_text("Interviewer: Hi.\nDean: My PhD used qualitative interviews, said Mr Whitfield.\n")
    (raw / "int-02.txt").write_text("Interviewer: Hi.\nLucy: My PhD used survey methods.\n")
    report = study.ingest()
    assert report.ok
    people = study.store.participants()
    assert "Participant Name" not in people.columns
    assert "Whitfield" not in study.store.document_text("int-01")
    out = tmp_path / "segments.csv"
    from thematic.ingest.export import export_segments

    export_segments(study.store, out)
    text = out.read_text(encoding="utf-8-sig")
    assert "Whitfield" not in text and "Fernley" not in text and "P01" in text
