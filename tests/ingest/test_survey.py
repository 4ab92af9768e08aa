"""CSV/XLSX surveys: answers as segments, respondents as participants, screening recorded."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.errors import InputError, TranscriptParseError
from thematic.ingest.read import FileContext, read_file
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.readers.survey import read_survey
from thematic.ingest.readers.table import load_xlsx

from .helpers import make_xlsx

HELPED = "The women's group on a Wednesday, being with people who understand without explaining."
CHANGE = "Appointments that fit around school times, I have asked three times now."


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue()


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, "survey", {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(), roster=Roster(), key=PseudonymKey())


def test_survey_detects_id_and_free_text_columns(write: Callable[..., Path]) -> None:
    path = write("s.csv", _csv([
        ["respondent_id", "age_band", "site", "what_helped", "one_change"],
        ["R1", "25-34", "Harlow", HELPED, CHANGE],
        ["R2", "35-44", "Brackley", "Getting a job in the end, after about sixty applications.", ""],
        ["R3", "", "Harlow", "", ""],
    ]))
    result = _read(path)
    doc = result.document
    assert doc.format == "csv"
    assert [(s.speaker, s.participant_id, s.question, s.kind) for s in doc.segments] == [
        ("R1", "R1", "what_helped", "answer"), ("R1", "R1", "one_change", "answer"),
        ("R2", "R2", "what_helped", "answer")]
    assert doc.segments[0].text == HELPED and doc.text[doc.segments[1].start:doc.segments[1].end] == CHANGE
    assert {p.id: dict(p.attributes) for p in result.participants} == {
        "R1": {"age_band": "25-34", "site": "Harlow"}, "R2": {"age_band": "35-44", "site": "Brackley"},
        "R3": {"site": "Harlow"}}


def test_survey_screening_column_duplicates_and_named_exclusions(write: Callable[..., Path]) -> None:
    path = write("s.csv", _csv([
        ["id", "answer", "screening"],
        ["A1", HELPED, ""],
        ["A2", CHANGE, "not eligible: never supervised"],
        ["A1", "A second go at the same survey with different words.", ""],
        ["A3", "Something long enough to count as free text, really.", ""],
        ["", "No id on this one but plenty of text to read here.", ""],
    ]))
    result = _read(path, exclude={"A3": "withdrew consent"})
    assert [s.speaker for s in result.document.segments] == ["A1"]
    assert result.exclusions == {"A2": "not eligible: never supervised",
                                 "A1 (row 4)": "duplicate: an earlier response has the same id",
                                 "A3": "withdrew consent", "row 6": "no respondent id"}
    assert any(w.startswith("[W104]") for w in result.document.warnings)
    assert "screening" not in result.participants[0].attributes


def test_survey_qualtrics_three_header_rows_and_metadata_not_attributes(write: Callable[..., Path]) -> None:
    path = write("q.csv", _csv([
        ["StartDate", "IPAddress", "Status", "ResponseId", "RecipientEmail", "Q1", "Q2_1"],
        ["Start Date", "IP Address", "Response Type", "Response ID", "Recipient Email", "Your age group",
         "What would you change about involvement?"],
        ['{"ImportId":"startDate"}', '{"ImportId":"ipAddress"}', '{"ImportId":"status"}',
         '{"ImportId":"_recordId"}', '{"ImportId":"recipientEmail"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_1"}'],
        ["2024-02-01 10:00", "10.0.0.1", "IP Address", "R_abc", "x@example.org", "25-34", CHANGE],
        ["2024-02-01 11:00", "10.0.0.2", "Survey Preview", "R_prev", "", "18-24", "Testing the survey preview."],
    ]))
    result = _read(path)
    assert [(s.speaker, s.question) for s in result.document.segments] == [
        ("R_abc", "What would you change about involvement?")]
    assert result.participants[0].attributes == {"Q1": "25-34"}
    assert result.exclusions == {"R_prev": "Qualtrics status: survey preview"}


def test_survey_named_columns_and_missing_column_error(write: Callable[..., Path]) -> None:
    path = write("s.csv", _csv([["case", "hobby", "comment"], ["C1", "golf", "ok"], ["C2", "chess", "fine"]]))
    result = _read(path, id_column="case", text_columns=["comment"])
    assert [(s.speaker, s.text) for s in result.document.segments] == [("C1", "ok"), ("C2", "fine")]
    with pytest.raises(TranscriptParseError, match=r"^\[E107\] s\.csv: the survey has no column\(s\) 'answers'"):
        _read(path, text_columns=["answers"])
    with pytest.raises(InputError, match=r"^\[E111\].*'text_column'.*Did you mean 'text_columns'"):
        _read(path, text_column=["comment"])


def test_survey_attribute_only_sheet_gives_participants_without_segments(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "cases.xlsx", [["case", "age", "gender"], ["C1", 56, "f"], ["C2", 73, "m"]])
    result = _read(path)
    assert result.document.segments == ()
    assert [(p.id, dict(p.attributes)) for p in result.participants] == [
        ("C1", {"age": "56", "gender": "f"}), ("C2", {"age": "73", "gender": "m"})]
    assert any(w.startswith("[W110]") for w in result.document.warnings)


def test_survey_xlsx_formula_cells_use_cached_values(tmp_path: Path) -> None:
    # openpyxl saves formulas without cached values; a cached value is added to the XML by hand
    path = make_xlsx(tmp_path / "f.xlsx", [["id", "score", "answer"], ["S1", "=1+1", HELPED], ["S2", "=2+2", CHANGE]])
    rows, warnings = load_xlsx(path.read_bytes(), "f.xlsx")
    assert rows[1][1] == "" and warnings and warnings[0].startswith("[W103] f.xlsx: 2 formula cell(s)")
    import zipfile

    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>").replace("<f>2+2</f><v></v>", "<f>2+2</f><v>4</v>")
    assert "<v>2</v>" in sheet
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, sheet if name == "xl/worksheets/sheet1.xml" else data)
    rows, warnings = load_xlsx(path.read_bytes(), "f.xlsx")
    assert [r[1] for r in rows[1:]] == ["2", "4"] and warnings == []


def test_survey_surveymonkey_second_header_row(write: Callable[..., Path]) -> None:
    path = write("sm.csv", _csv([
        ["Respondent ID", "Collector ID", "What helped most?", "Age"],
        ["", "", "Open-Ended Response", "Response"],
        ["1001", "77", HELPED, "45-54"],
    ]))
    result = _read(path)
    assert [(s.speaker, s.question) for s in result.document.segments] == [("1001", "What helped most?")]
    assert result.participants[0].attributes == {"Age": "45-54"}


def test_survey_semicolon_csv_and_header_only_error(write: Callable[..., Path]) -> None:
    path = write("semi.csv", f"id;answer\nX1;{HELPED}\n")
    assert [s.text for s in _read(path).document.segments] == [HELPED]
    with pytest.raises(TranscriptParseError, match=r"^\[E109\]"):
        _read(write("head.csv", "id,answer\n"))


def test_survey_rows_to_answers_keep_offsets() -> None:
    parsed = read_survey([["id", "a"], ["1", HELPED], ["2", CHANGE]], "x.csv", "csv")
    assert [parsed.text[t.start:t.end] for t in parsed.turns] == [HELPED, CHANGE]


def test_survey_qualtrics_two_header_rows(write: Callable[..., Path]) -> None:
    path = write("q2.csv", _csv([
        ["ResponseId", "Finished", "Q3"],
        ["Response ID", "Finished", "What would make the biggest difference to you?"],
        ["R_1", "True", HELPED],
    ]))
    result = _read(path)
    assert [(s.speaker, s.question) for s in result.document.segments] == [
        ("R_1", "What would make the biggest difference to you?")]
    assert result.participants[0].attributes == {}


def test_survey_name_columns_are_never_attributes(write: Callable[..., Path]) -> None:
    path = write("n.csv", _csv([["id", "RealName", "site", "Please name one thing that helped"],
                                ["A1", "Jo Bloggs", "Harlow", HELPED]]))
    result = _read(path)
    assert result.participants[0].attributes == {"site": "Harlow"}
    assert [s.question for s in result.document.segments] == ["Please name one thing that helped"]


def test_survey_multi_select_columns_are_attributes(write: Callable[..., Path]) -> None:
    path = write("m.csv", _csv([
        ["id", "top_barriers", "what_helped"],
        ["A1", "Housing;Finding work;Criminal record checks", HELPED],
        ["A2", "Mental health;Travel to appointments;Family contact", CHANGE],
    ]))
    result = _read(path)
    assert [s.question for s in result.document.segments] == ["what_helped", "what_helped"]
    assert result.participants[0].attributes == {"top_barriers": "Housing;Finding work;Criminal record checks"}


def test_excel_dates_read_as_dates_and_times_kept(tmp_path) -> None:  # noqa: ANN001
    """A facesheet's InterviewDate read '2023-04-21T00:00:00' (Excel keeps a date as midnight)."""
    from datetime import datetime, time

    from openpyxl import Workbook

    from thematic.ingest.readers.table import load_xlsx

    book = Workbook()
    book.active.append(["id", "InterviewDate", "Started", "At"])
    book.active.append(["P1", datetime(2023, 4, 21), datetime(2023, 4, 21, 10, 33), time(10, 33)])
    book.save(tmp_path / "facesheet.xlsx")
    rows, _ = load_xlsx((tmp_path / "facesheet.xlsx").read_bytes(), "facesheet.xlsx")
    assert rows[1] == ["P1", "2023-04-21", "2023-04-21T10:33:00", "10:33:00"]
