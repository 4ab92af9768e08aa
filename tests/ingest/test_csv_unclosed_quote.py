"""A CSV with one quote that opens and never closes (``1,"It was fine``) was read without a word: the quoted field
ran to the end of the file, so a 2,001-row survey became one answer and participants.csv kept one participant of
fifty. Survey CSVs, participants.csv and coding sheets saved as CSV are now refused with an error naming the file
and the line where the quote opens; a quote that closes on a later line (a multi-line answer) is still fine."""

from __future__ import annotations

import pytest

from thematic.coding._sheet_xlsx import read_workbook
from thematic.errors import InputError, TranscriptParseError
from thematic.ingest.participants import load_roster
from thematic.ingest.readers.table import load_csv

SURVEY = ("respondent_id,What did you think?\n1,It was good.\n2,\"It was fine I suppose\n"
          + "".join(f"{i},Respondent {i} says the wait was long.\n" for i in range(3, 40)))


def test_a_survey_csv_with_an_unclosed_quote_is_refused_with_its_line() -> None:
    with pytest.raises(TranscriptParseError, match=r"\[E104\] survey\.csv:3: .*quote opened on line 3 is never closed"):
        load_csv(SURVEY.encode(), "survey.csv")


def test_a_semicolon_survey_is_checked_with_its_own_delimiter() -> None:
    text = "id;answer\n1;ok\n2;\"never closed\n3;three\n4;four\n"
    with pytest.raises(TranscriptParseError, match=r"survey\.csv:3: .*line 3"):
        load_csv(text.encode(), "survey.csv")


def test_quoted_answers_over_several_lines_and_literal_quotes_are_still_read() -> None:
    text = 'id,answer\n1,"two\nlines, and a ""quote"""\n2,she said "hi" then\n3,"a ""b"" c"\n4,ok\n'
    rows, _ = load_csv(text.encode(), "survey.csv")
    assert rows == [["id", "answer"], ["1", 'two\nlines, and a "quote"'], ["2", 'she said "hi" then'],
                    ["3", 'a "b" c'], ["4", "ok"]]


def test_a_last_answer_missing_only_its_closing_quote_loses_nothing_and_is_read() -> None:
    rows, _ = load_csv(b'id,answer\n1,ok\n2,"no closing quote\n', "survey.csv")
    assert rows[-1] == ["2", "no closing quote"]


def test_ingest_of_such_a_survey_fails_the_file_not_the_rows(study) -> None:  # noqa: ANN001
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    report = study.ingest()
    assert not report.new_documents
    assert len(report.failed) == 1, report.failed
    assert "survey.csv:3" in str(report.failed[0].error) and "never closed" in str(report.failed[0].error)


def test_participants_csv_with_an_unclosed_quote_is_refused_with_its_line(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "participants.csv"
    path.write_text("participant_id,site,role\nP01,\"Leeds,mentor\n"
                    + "".join(f"P{i:02d},York,mentor\n" for i in range(2, 51)), encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E110\] .*participants\.csv:2: a quote opened on line 2 is never closed"):
        load_roster(path)


def test_a_coding_sheet_csv_with_an_unclosed_quote_is_refused_with_its_line(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "sheet.csv"
    path.write_text("segment_id,text,c1,memo\nint1:1,Hello,x,\"a memo\nint1:2,Bye,,\nint1:3,Again,x,\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"sheet\.csv:2: .*quote opened on line 2 is never closed"):
        read_workbook(path)
