"""A survey sheet with a title row above its header can be read: ``header_row`` names the row of the titles.

With "Staff survey 2024" on row 1 and the column titles on row 3, the title was taken for the header: W110
said there was no open-text column, the header row became a "participant", and no setting could name the
header row (``header_rows`` only moved the first response, and the ``text_columns`` W110 advised then failed
with E107). Now ``header_row = 3`` under the file's survey settings reads it (rows above it are skipped, and
the rows are numbered as the spreadsheet numbers them), and without it W029 names the row the titles seem to
be on instead of advising ``text_columns``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import InputError
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

from .helpers import make_xlsx

ROWS: list[list[object]] = [
    ["Staff survey 2024 - open answers"], [],
    ["respondent_id", "site", "What helped you most?"],
    ["P01", "Leeds", "More staff would help me a lot with the waiting times."],
    ["P02", "York", "My family helped me get there each week, every week."],
    ["", "Hull", "Money for the bus fare, I cannot afford to travel."],
    ["P04", "Hull", "Money for the bus fare, I cannot afford to travel, and the train too."],
]


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, "staff", {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


def test_header_row_names_the_row_of_the_column_titles(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "staff.xlsx", ROWS)
    result = _read(path, header_row=3)
    doc = result.document
    assert [(s.speaker, s.question) for s in doc.segments] == [
        ("P01", "What helped you most?"), ("P02", "What helped you most?"), ("P04", "What helped you most?")]
    assert {p.id: dict(p.attributes) for p in result.participants} == {
        "P01": {"site": "Leeds"}, "P02": {"site": "York"}, "P04": {"site": "Hull"}}
    assert dict(result.exclusions) == {"row 6": "no respondent id"}  # the sheet's own row number


def test_without_header_row_the_warning_names_the_row_the_titles_are_on(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "staff.xlsx", ROWS)
    warnings = _read(path).document.warnings
    (note,) = [w for w in warnings if w.startswith("[W029]")]
    assert "staff.xlsx" in note and "header_row = 3" in note and "Staff survey 2024" in note
    assert not [w for w in warnings if w.startswith("[W110]")]  # its text_columns advice would fail with E107


@pytest.mark.parametrize("value", [0, "3", 2.5, 40])
def test_a_header_row_that_is_no_row_of_the_sheet_is_an_error(tmp_path: Path, value: object) -> None:
    path = make_xlsx(tmp_path / "staff.xlsx", ROWS)
    with pytest.raises(InputError, match=r"^\[E061\].*staff\.xlsx.*header_row"):
        _read(path, header_row=value)
