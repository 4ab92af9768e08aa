"""participants.csv and the mapping of speaker labels to participants and interviewers."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import DEFAULT_INTERVIEWER_LABELS
from thematic.errors import InputError
from thematic.ingest.participants import Roster, load_roster, parse_roster, resolve_speakers

from .helpers import make_xlsx

ROSTER = "participant_id,name,transcript,role,site\nP01,Dean; Deano,p01.txt,peer mentor,Harlow\nP02,Marcia,,staff,\n"


def test_participants_roster_attributes_and_maps() -> None:
    roster = parse_roster(ROSTER, "participants.csv")
    assert [(p.id, dict(p.attributes)) for p in roster.participants] == [
        ("P01", {"role": "peer mentor", "site": "Harlow"}), ("P02", {"role": "staff"})]
    assert roster.by_name == {"dean": "P01", "deano": "P01", "marcia": "P02"}
    assert roster.for_document("interviews/p01.txt", "p01.txt") == "P01" and roster.ids == {"P01", "P02"}


def test_participants_id_column_may_be_called_id() -> None:
    assert parse_roster("id,gender\nA,f\n", "p.csv").participants[0].attributes == {"gender": "f"}


def test_participants_problems_are_listed_at_once_with_lines() -> None:
    with pytest.raises(InputError) as info:
        parse_roster("participant_id,role\nP01,a\n,b\nP01,c\n", "participants.csv")
    msg = str(info.value)
    assert "participants.csv:3: [E110] empty participant id" in msg
    assert "participants.csv:4: [E110] duplicate participant id 'P01'" in msg
    with pytest.raises(InputError, match=r"^\[E110\] participants.csv:1: no participant_id"):
        parse_roster("name,role\nx,y\n", "participants.csv")


def test_participants_missing_file_is_an_empty_roster(tmp_path: Path) -> None:
    assert load_roster(tmp_path / "participants.csv") == Roster()


def test_participants_xlsx_is_read_when_there_is_no_csv(tmp_path: Path) -> None:
    make_xlsx(tmp_path / "participants.xlsx", [["participant_id", "name", "age_band"], ["P01", "Dean", "35-44"]])
    roster = load_roster(tmp_path / "participants.csv")
    assert roster.by_name == {"dean": "P01"} and roster.participants[0].attributes == {"age_band": "35-44"}


def test_participants_resolve_order_map_interviewer_roster_header() -> None:
    roster = parse_roster(ROSTER, "participants.csv")
    infos, unmapped = resolve_speakers(
        ["Researcher 1", "Deano", "Kim", "Marcia", "Q", "Sol"],
        speakers={"kim": "interviewer", "Sol": "P09"}, participant=None, roster=roster,
        interviewer_labels=DEFAULT_INTERVIEWER_LABELS)
    assert {k: (v.participant_id, v.is_interviewer, v.is_name) for k, v in infos.items()} == {
        "Researcher 1": (None, True, False), "Deano": ("P01", False, True), "Kim": (None, True, True),
        "Marcia": ("P02", False, True), "Q": (None, True, False), "Sol": ("P09", False, True)}
    assert unmapped == []


def test_participants_header_participant_maps_the_one_remaining_speaker() -> None:
    infos, unmapped = resolve_speakers(["Interviewer", "A"], speakers={}, participant="P05", roster=Roster(),
                                       interviewer_labels=DEFAULT_INTERVIEWER_LABELS)
    assert infos["A"].participant_id == "P05" and unmapped == []
    infos, unmapped = resolve_speakers(["Facilitator", "Ann", "Bo"], speakers={}, participant="P05", roster=Roster(),
                                       interviewer_labels=DEFAULT_INTERVIEWER_LABELS)
    assert infos["Ann"].participant_id is None and unmapped == ["Ann", "Bo"]
    infos, _ = resolve_speakers([None], speakers={}, participant="P08", roster=Roster(), interviewer_labels=())
    assert infos[None].participant_id == "P08"


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_participants_csv_saved_with_another_delimiter_is_read(sep: str) -> None:
    """Excel in many European locales saves "CSV" with semicolons: it was refused as having no id column."""
    text = sep.join(["participant_id", "name", "role"]) + "\n" + sep.join(["P01", "Ana, the mentor", "mentor"]) + "\n"
    roster = parse_roster(text, "participants.csv")
    assert [(p.id, dict(p.attributes)) for p in roster.participants] == [("P01", {"role": "mentor"})]
    assert roster.find("Ana, the mentor") == "P01"


def test_a_comma_file_whose_names_hold_semicolons_stays_comma_separated() -> None:
    roster = parse_roster('participant_id,name,role\nP01,"Dean; Deano",mentor\n', "participants.csv")
    assert roster.find("Deano") == "P01" and roster.participants[0].attributes == {"role": "mentor"}


def test_a_transcript_column_written_with_windows_paths_maps_the_files() -> None:
    roster = parse_roster("participant_id,transcript\nP01,C:\\Users\\me\\Interviews\\Ana Interview.docx\n"
                          "P02,interviews\\david.docx\n", "participants.csv")
    assert roster.for_document("interviews/Ana Interview.docx", "Ana Interview.docx") == "P01"
    assert roster.for_document("interviews/david.docx", "david.docx", "david") == "P02"
