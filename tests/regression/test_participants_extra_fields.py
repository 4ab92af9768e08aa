"""A participants.csv row with more fields than the header (most often an unquoted comma inside a value) was read
by position and its extra field dropped without a word, so "Newcastle" was lost and "medical school" became a
site. It is now an E110 problem naming the file and line, like the file's other problems; empty trailing fields
(a spreadsheet's stray commas) are still fine."""

from __future__ import annotations

import pytest

from thematic.errors import InputError
from thematic.ingest.participants import load_roster, parse_roster

UNQUOTED = "participant_id,name,role,site\nP01,Jessica,lecturer, medical school,Newcastle\nP02,,lecturer,Leeds\n"


def test_a_row_with_an_extra_field_is_reported_with_its_line() -> None:
    with pytest.raises(InputError) as info:
        parse_roster(UNQUOTED, "participants.csv")
    msg = str(info.value)
    assert "participants.csv:2: [E110]" in msg
    assert "5 fields" in msg and "header has 4" in msg and "Newcastle" in msg and "quote" in msg


def test_the_line_counts_blank_lines_and_quoted_line_breaks() -> None:
    text = 'participant_id,role,note\n\nP01,"a\nb",x\n\nP02,lecturer,ok,extra\n'
    with pytest.raises(InputError, match=r"participants\.csv:6: \[E110\] 4 fields"):
        parse_roster(text, "participants.csv")


def test_trailing_empty_fields_are_not_a_problem() -> None:
    roster = parse_roster("participant_id,role\nP01,lecturer,,\nP02,student,\n", "participants.csv")
    assert {p.id: dict(p.attributes) for p in roster.participants} == {"P01": {"role": "lecturer"},
                                                                       "P02": {"role": "student"}}


def test_semicolon_files_are_checked_too(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "participants.csv"
    path.write_text("participant_id;role\nP01;lecturer;Leeds\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"participants\.csv:2: \[E110\] 3 fields"):
        load_roster(path)


def test_ingest_stops_with_the_problem(study) -> None:  # noqa: ANN001
    (study.paths.raw / "participants.csv").write_text(UNQUOTED, encoding="utf-8")
    (study.paths.raw / "int-01.txt").write_text("Interviewer: Hello?\nP01: Hi.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"participants\.csv:2: \[E110\]"):
        study.ingest()


def test_sheet_rows_with_values_beyond_the_header() -> None:
    from thematic.ingest.participants import roster_from_rows

    with pytest.raises(InputError, match=r"participants\.xlsx:3: \[E110\] 3 cells.*'Leeds'.*without a header"):
        roster_from_rows([["participant_id", "role"], ["P01", "lecturer"], ["P02", "student", "Leeds"]],
                         "participants.xlsx")


def test_a_header_with_a_trailing_comma_still_catches_an_unquoted_comma() -> None:
    text = "participant_id,role,\nP01,\"lecturer\",\nP02,lecturer, medical school\n"
    with pytest.raises(InputError, match=r"participants\.csv:3: \[E110\].*medical school"):
        parse_roster(text, "participants.csv")


def test_no_attribute_is_stored_under_an_empty_name() -> None:
    roster = parse_roster("participant_id,,role\nP01,,lecturer\nP02,,student,\n", "participants.csv")
    assert {p.id: dict(p.attributes) for p in roster.participants} == {"P01": {"role": "lecturer"},
                                                                       "P02": {"role": "student"}}
    with pytest.raises(InputError, match=r"participants\.csv:2: \[E110\].*'Leeds'.*without a header"):
        parse_roster("participant_id,,role\nP01,Leeds,lecturer\n", "participants.csv")
