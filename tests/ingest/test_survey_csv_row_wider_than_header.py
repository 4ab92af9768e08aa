"""A survey CSV row with more fields than the header (an answer with an unquoted comma, as hand-made CSV files
often have) was read silently: the answer was cut at the comma and its rest became an answer to an untitled
question "column 4". Now W127 names the file and the rows, and says how to fix them; a well-formed file and a
spreadsheet whose header is a cell short (a merged title) are read as before, without it."""

from __future__ import annotations

from pathlib import Path

from thematic.ingest.readers import ReaderOptions, read_survey_csv, read_survey_xlsx

HEADER = "id,site,What helped you most?\n"


def _read(tmp_path: Path, body: str, name: str = "survey.csv", **survey: object):
    return read_survey_csv((HEADER + body).encode("utf-8"), name, ReaderOptions(survey=survey))


def test_a_row_wider_than_the_header_is_named(tmp_path: Path) -> None:
    parsed = _read(tmp_path, "R1,north,My mentor helped.\nR2,south,Nothing really, I was on my own.\n"
                             "R3,north,The housing officer.\n")
    said = [w for w in parsed.warnings if w.startswith("[W127]")]
    assert len(said) == 1
    assert "survey.csv" in said[0] and "row 3" in said[0] and "column 4" in said[0]
    assert "row 2" not in said[0] and "row 4" not in said[0]


def test_named_also_when_the_settings_leave_the_extra_field_out(tmp_path: Path) -> None:
    parsed = _read(tmp_path, "R1,north,My mentor helped.\nR2,south,Nothing really, I was on my own.\n",
                   text_columns=["What helped you most?"], attribute_columns=["site"])
    assert any(w.startswith("[W127]") and "row 3" in w for w in parsed.warnings)
    assert "I was on my own" not in parsed.text


def test_a_well_formed_file_says_nothing(tmp_path: Path) -> None:
    parsed = _read(tmp_path, 'R1,north,My mentor helped.\nR2,south,"Nothing really, I was on my own."\n',
                   text_columns=["What helped you most?"])
    assert not [w for w in parsed.warnings if w.startswith("[W127]")]
    assert "Nothing really, I was on my own." in parsed.text


def test_a_header_a_cell_short_in_a_spreadsheet_is_not_warned(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["id", "What helped you most?"])
    ws.append(["R1", "My mentor helped.", "And the housing officer found me a flat."])
    path = tmp_path / "survey.xlsx"
    wb.save(path)
    parsed = read_survey_xlsx(path.read_bytes(), "survey.xlsx", ReaderOptions())
    assert not [w for w in parsed.warnings if w.startswith("[W127]")]
