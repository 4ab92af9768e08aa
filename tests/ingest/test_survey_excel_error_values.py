"""Excel error values in a survey are no answer and no attribute value, and one warning names their cells.

A VLOOKUP that merged demographics in leaves ``#N/A`` for the respondents it did not find, and an answer typed
as ``=)`` or ``+1 to the staff`` shows ``#NAME?``: openpyxl gives such error cells as their text, and a CSV
saved from Excel holds the same text. They were read as answers and attribute values: ``#N/A`` was the
commonest age band and ``#NAME?`` a segment to code, counted in N. Now an error value (``#N/A``, ``#NAME?``,
``#VALUE!``, ``#REF!``, ``#DIV/0!``, ``#NUM!``, ``#NULL!`` …), in an .xlsx error cell or as the text of a CSV
field, is read as an empty cell, as pandas reads ``#N/A``, and W016 names the cells once per file (sheet and
cell, or CSV line and column), since an answer Excel turned into ``#NAME?`` is lost and may be worth retyping.
Values already stored that way count as missing in the tables.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file
from thematic.ingest.readers.table import load_csv, load_xlsx
from thematic.study import Study

from .helpers import make_xlsx

HELPED, CHANGE = "What helped you most?", "What would you change?"
ROWS: list[list[object]] = [
    ["respondent_id", "Age band", HELPED, CHANGE],
    ["P01", "25-34", "My mentor listened to me and helped me find a flat.", "Longer opening hours in the evenings please."],
    ["P02", "#N/A", "#NAME?", "More staff on Fridays when it gets really busy."],
    ["P03", "35-44", "The weekly group where I met people like me.", "#VALUE!"],
    ["P04", "#N/A", "Help with benefits forms that I could not read myself.", "A private room for talking about things."],
]


def _read(path: Path):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, "survey", {}, {})
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


def _csv(rows: list[list[object]]) -> str:
    return "".join(",".join(str(c) for c in row) + "\n" for row in rows)


def test_openpyxl_writes_these_values_as_error_cells(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "survey.xlsx", ROWS, sheet="Responses")
    assert b't="e"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")


def test_error_cells_of_a_workbook_are_no_answer_and_no_attribute(tmp_path: Path) -> None:
    result = _read(make_xlsx(tmp_path / "survey.xlsx", ROWS, sheet="Responses"))
    doc = result.document
    assert not [s for s in doc.segments if s.text.startswith("#")]
    assert sorted((s.speaker, s.question) for s in doc.segments) == [
        ("P01", HELPED), ("P01", CHANGE), ("P02", CHANGE), ("P03", HELPED), ("P04", HELPED), ("P04", CHANGE)]
    assert {p.id: dict(p.attributes) for p in result.participants} == {
        "P01": {"Age band": "25-34"}, "P02": {}, "P03": {"Age band": "35-44"}, "P04": {}}
    (note,) = [w for w in doc.warnings if w.startswith("[W016]")]
    assert "survey.xlsx" in note and "sheet 'Responses'" in note
    for cell in ("B3", "C3", "D4", "B5"):
        assert cell in note
    assert "#N/A" in note and "#NAME?" in note and "#VALUE!" in note


def test_error_text_in_a_csv_saved_from_excel_is_no_answer_and_named_by_line(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(_csv(ROWS), encoding="utf-8")
    result = _read(path)
    assert not [s for s in result.document.segments if s.text.startswith("#")]
    assert {p.id: dict(p.attributes).get("Age band") for p in result.participants} == {
        "P01": "25-34", "P02": None, "P03": "35-44", "P04": None}
    (note,) = [w for w in result.document.warnings if w.startswith("[W016]")]
    assert "survey.csv" in note and "line 3 column 2" in note and "line 4 column 4" in note


def test_csv_lines_count_the_lines_of_an_answer_on_several_lines(tmp_path: Path) -> None:
    text = 'id,answer\nP1,"two\nlines"\nP2,#DIV/0!\n'
    rows, warnings = load_csv(text.encode(), "s.csv")
    assert rows[2] == ["P2", ""]
    (note,) = warnings
    assert note.startswith("[W016]") and "line 4 column 2" in note


def test_a_clean_file_gets_no_note(tmp_path: Path) -> None:
    rows = [r for r in ROWS if not any(str(c).startswith("#") for c in r)]
    _, warnings = load_xlsx(make_xlsx(tmp_path / "s.xlsx", rows).read_bytes(), "s.xlsx")
    assert not warnings
    _, warnings = load_csv(_csv(rows).encode(), "s.csv")
    assert not warnings


def test_a_failed_formula_is_named_as_an_error_not_as_a_formula_without_a_value(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [["id", "n"], ["P1", "=1/0"]])
    with zipfile.ZipFile(path) as zf:  # the cached value Excel saves with a formula that failed
        members = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = members[sheet].replace(b'<c r="B2"><f>1/0</f><v></v></c>',
                                            b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    rows, warnings = load_xlsx(path.read_bytes(), "s.xlsx")
    assert rows[1] == ["P1", ""]
    assert [w[:6] for w in warnings] == ["[W016]"]  # not also W103 "no saved value"
    assert "B2" in warnings[0] and "#DIV/0!" in warnings[0]


def test_in_a_study_the_age_band_tally_has_no_error_value(study: Study) -> None:
    make_xlsx(study.paths.raw / "survey.xlsx", ROWS, sheet="Responses")
    report = study.ingest()
    assert report.ok
    (row,) = [r for r in report.rows if r.path.endswith("survey.xlsx")]
    assert [w for w in row.warnings if w.startswith("[W016]")]
    tally = study.attribute_tallies("Age band")
    assert "#N/A" not in set(tally["value"])
    assert set(tally.loc[tally["value"] == "25-34", "n"]) == {1}
    assert "#NAME?" not in set(study.store.segments()["text"])


def test_an_error_value_stored_as_an_attribute_counts_as_no_answer_in_the_tables() -> None:
    import pandas as pd

    from thematic.analysis import attribute_tallies

    people = pd.DataFrame({"participant_id": ["P1", "P2", "P3"], "Age band": ["25-34", "#N/A", "#n/a "]})
    tally = attribute_tallies(people, "Age band")
    assert list(tally["value"]) == ["25-34", "(no answer)"]
    assert list(tally["n"]) == [1, 2]
