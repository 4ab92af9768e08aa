"""A Microsoft Forms or LimeSurvey ``Id`` column is the form's row numbers whatever number it starts at.

Before, a bare ``Id`` column was taken for the tool's row numbers (scoped to its file) only when its smallest
value was exactly 1. A researcher who deleted a form's test responses gets Ids from 2 or 3 on, so two such
forms shared participants ``3``…``6``: different people of two forms merged into one participant, with the
attributes of both, and no warning.

Now an ``Id`` column of whole numbers in a file that has Microsoft Forms' or LimeSurvey's own columns
(``Start time``, ``Completion time``; ``submitdate``, ``lastpage``…) is scoped to its file whatever its first
number, so the two forms keep their people apart. A column of another file, or one with a respondent-id
title, is shared across files as before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from regression.tiny_study import CODEBOOK, study_with
from thematic.study import Study

STAFF = [("Housing", "Supervision every fortnight with my manager kept me going."),
         ("Probation", "Peer support from colleagues who had been through the same."),
         ("Housing", "Clear training on boundaries in my first month in the job."),
         ("Probation", "Time off after a hard case, which my manager offered me.")]
USERS = [("North", "My mentor listened and helped me find a flat within weeks."),
         ("South", "The weekly group where I met people in the same boat as me."),
         ("North", "Help with the benefit forms that I could not read myself."),
         ("East", "The Friday drop-in with a brew and someone to chat with."),
         ("South", "Lifts to appointments, I would never have got there otherwise.")]


def _ms_forms(path: Path, first: int, attribute: str, rows: list[tuple[str, str]]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Id", "Start time", "Completion time", "Email", "Name", attribute, "What helped you most?"])
    for i, (value, answer) in enumerate(rows):
        start = datetime(2024, 5, 1, 9) + timedelta(hours=i)
        sheet.append([first + i, start, start + timedelta(minutes=4), "anonymous", None, value, answer])
    book.save(path)


def test_two_forms_whose_ids_do_not_start_at_one_keep_their_people_apart(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK)
    _ms_forms(root / "data" / "raw" / "staff.xlsx", 3, "Which team are you in?", STAFF)
    _ms_forms(root / "data" / "raw" / "users.xlsx", 2, "Which site do you attend?", USERS)
    with Study(root) as study:
        report = study.ingest()
        people = study.store.participants().set_index("participant_id")
        segs = study.segments()
    assert report.ok
    assert len(people) == 9 and segs["participant_id"].nunique() == 9
    assert sorted(segs.loc[segs["document_id"] == "staff", "participant_id"]) == [
        "staff-R3", "staff-R4", "staff-R5", "staff-R6"]
    assert people.loc["staff-R3", "Which team are you in?"] == "Housing"
    assert people.loc["users-R3", "Which site do you attend?"] == "South"
    assert not [w for w in report.study_warnings if w.startswith("[W025]")]


def test_limesurvey_ids_after_deleted_test_responses_are_row_numbers(tmp_path: Path) -> None:
    lime = ("id,submitdate,lastpage,startlanguage,site,What got in the way?\n"
            "4,2024-05-01 09:10:00,3,en,Leeds,The bus fare every week was more than I could manage.\n"
            "5,2024-05-01 10:10:00,3,en,York,Nobody to look after the children during the sessions.\n")
    root = study_with(tmp_path / "s", CODEBOOK, {"lime.csv": lime})
    with Study(root) as study:
        study.ingest()
        assert set(study.segments()["participant_id"]) == {"lime-R4", "lime-R5"}


def test_an_id_column_without_the_tools_columns_is_shared_across_files_unless_it_starts_at_one(
        tmp_path: Path) -> None:
    wave = "ID,site,What got in the way?\n{a},Leeds,{x}\n{b},York,{y}\n"
    root = study_with(tmp_path / "s", CODEBOOK, {
        "wave1.csv": wave.format(a=101, b=102, x="The bus fare every week was more than I could manage.",
                                 y="Nobody to look after the children during the sessions."),
        "wave2.csv": wave.format(a=101, b=102, x="The fare went up again and I stopped going in the end.",
                                 y="My mother helps with the children now, so it is easier."),
        "hand.csv": wave.format(a=1, b=2, x="Too far to walk with a pram in the rain, twice a week.",
                                y="The times changed without anyone telling me about it."),
    })
    with Study(root) as study:
        study.ingest()
        ids = set(study.segments()["participant_id"])
    assert ids == {"101", "102", "hand-R1", "hand-R2"}
