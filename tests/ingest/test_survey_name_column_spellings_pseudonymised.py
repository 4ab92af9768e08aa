"""A respondent's name column titled "Name (optional)", "First name (optional)", "Participant's name",
"Name (first and last)" or "Name/Nickname" was left out of the attributes but its names were never replaced:
the real names stayed in the answers and in `export segments` (only a bare "Name" was pseudonymised). Now one
rule tells a name column, whatever suffix, possessive or slash it has, and every column it finds is both left out
and used to pseudonymise; a question that merely contains the word "name" ("Name one thing that helped you")
is still a question and its answers are never taken for names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from thematic._personal import is_personal, name_column_part
from thematic.ingest.export import export_segments
from thematic.ingest.readers.survey import read_survey
from thematic.study import Study

SPELLINGS = [("Name (optional)", "full"), ("Your name (optional)", "full"), ("First name (optional)", "given"),
             ("Last name (optional)", "family"), ("Full name (optional)", "full"),
             ("What is your name? (optional)", "full"), ("Participant's name", "full"), ("Respondent’s name", "full"),
             ("Participants' names", "full"), ("Name (first and last)", "full"), ("Name/Nickname", "full"),
             ("Name / nickname", "full"), ("First and last name", "full"), ("First & last name", "full"),
             ("First/last name", "full"), ("Given name(s)", "given"), ("Sur-name", "family"), ("Name*", "full"),
             ("Name:", "full"), ("Name - optional", "full"), ("Name and surname", "full"),
             ("What's your name?", "full"), ("Please enter your full name", "full"), ("Your first name", "given"),
             ("Name (surname)", "family"), ("Prénom", "given"), ("Nom", "full"), ("Nachname", "family"),
             ("Vorname", "given"), ("Apellidos", "family"), ("Nombre", "full"), ("Cognome", "family"),
             ("Achternaam", "family"), ("Votre nom", "full"),
             ("Name of the person completing this form", "full"), ("Name if you would like a reply", "full")]

QUESTIONS = ["Name one thing that helped you", "Name one thing that helped you (optional)",
             "Please name one thing that helped", "Names of staff who helped you", "Name of your school",
             "Site name", "Course name (optional)", "What's in a name?", "Did you give your name to staff?",
             "How did you feel about sharing your name?", "Name the service you used / nickname it"]


@pytest.mark.parametrize(("title", "part"), SPELLINGS)
def test_common_spellings_of_a_name_column_are_name_columns(title: str, part: str) -> None:
    assert name_column_part(title) == part
    assert is_personal(title)


@pytest.mark.parametrize("title", QUESTIONS)
def test_questions_and_other_names_are_no_name_column(title: str) -> None:
    assert name_column_part(title) is None


@pytest.mark.parametrize("title", [t for t, _ in SPELLINGS])
def test_every_left_out_name_column_gives_the_respondents_names(title: str) -> None:
    rows = [["respondent_id", title, "What helped you most while you were with the service?", "site"],
            ["R1", "Maria", "Honestly, Maria here, the staff always remembered my kids and asked after them.",
             "North"],
            ["R2", "Piotr", "The mentor sorted my housing out quickly, within a week or so, said Piotr.", "South"]]
    parsed = read_survey(rows, "survey.csv", "csv")
    assert title in parsed.attributes["columns"]["metadata"]
    assert parsed.header["respondent_names"] == {"R1": ["Maria"], "R2": ["Piotr"]}
    assert [dict(p.attributes) for p in parsed.participants] == [{"site": "North"}, {"site": "South"}]


def test_a_question_with_name_in_its_title_is_a_question_and_its_answers_are_no_names() -> None:
    rows = [["respondent_id", "Name (optional)", "Name one thing that helped you"],
            ["R1", "Maria Gomez", "The mentor, who sorted my housing out in about a week."],
            ["R2", "Grace Okafor", "The weekly group where you could talk to people like you."]]
    parsed = read_survey(rows, "survey.csv", "csv")
    assert parsed.attributes["columns"]["questions"] == ["Name one thing that helped you"]
    assert parsed.header["respondent_names"] == {"R1": ["Maria Gomez"], "R2": ["Grace Okafor"]}


def test_short_answers_to_a_name_question_are_never_taken_for_names() -> None:
    rows = [["respondent_id", "Name one thing that helped you", "What would you change about the service?"],
            ["R1", "Mentor", "Longer opening hours in the evening, the Mentor said so too."],
            ["R2", "Group", "More staff on Fridays because it gets so busy in there."]]
    parsed = read_survey(rows, "survey.csv", "csv")
    assert "respondent_names" not in parsed.header


def test_names_from_suffixed_and_possessive_columns_reach_no_segment_or_export(study: Study, tmp_path: Path) -> None:
    raw = study.paths.raw
    for name, title, people in [("optional.csv", "Name (optional)", ["Maria Gomez", "Piotr Nowak"]),
                                ("first.csv", "First name (optional)", ["Grace", "Tomasz"]),
                                ("possessive.csv", "Participant's name", ["Ada Lovelace", "Ruth Ellis"])]:
        given = [p.split()[0] for p in people]
        with (raw / name).open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([
                ["Timestamp", title, "What helped you most while you were with the service?"],
                ["2024/05/01 9:00:00 AM GMT+1", people[0], f"Honestly, I'm {given[0]} and the staff always "
                                                           "remembered my kids."],
                ["2024/05/01 10:00:00 AM GMT+1", people[1], f"The mentor, {given[1]} here by the way, sorted "
                                                            "my housing out quickly."]])
    report = study.ingest()
    assert report.ok
    texts = "\n".join(study.segments().text)
    out = tmp_path / "segments.csv"
    export_segments(study.store, out)
    exported = out.read_text(encoding="utf-8-sig")
    for real in ("Maria", "Gomez", "Piotr", "Grace", "Tomasz", "Ada", "Lovelace", "Ruth"):
        assert real not in texts and real not in exported
    assert "optional-R1" in texts and "first-R2" in texts and "possessive-R1" in texts
