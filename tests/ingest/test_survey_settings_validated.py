"""Survey settings of the wrong type or value are refused with an error that names the setting and the table.

Only ``header_row`` (E061) and the names of the settings (E111) were checked: ``header_rows = 0`` read the
column-title row as a respondent, ``header_rows = -1`` kept only the last respondent, ``id_column = 3`` and
``exclude_column = 5`` failed with the internal E114 ("'int' object has no attribute 'lower'"), and a string
where a list is expected (``text_columns = "What helped?"``, ``attribute_columns = "site"``) was read one letter
at a time ("no column 'W'"), as was ``exclude = ["R1"]`` (an id 'R'). Now each setting's type and range is
checked before the file is read: E525 names the file, the setting, its ``[ingest.survey."NAME"]`` table in
thematic.toml, what it must be and how to write it; the file is not read and the store keeps what it had.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import InputError
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file
from thematic.study import Study

from .helpers import make_xlsx

CSV = (
    "respondent_id,site,What helped you most?,What would you change?\n"
    "R1,North,My mentor listened to me and helped me find a flat quickly.,Longer opening hours in the evenings.\n"
    "R2,South,The weekly group where I met people like me in the same boat.,More staff on Fridays when busy.\n"
    "R3,North,Help with the benefits forms that I could not read myself.,A private room for personal things.\n"
)


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, "sv", {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


@pytest.mark.parametrize(("setting", "value", "fix"), [
    ("header_rows", 0, "header_rows = 1"),
    ("header_rows", -1, "header_rows = 1"),
    ("header_rows", True, "header_rows = 1"),
    ("header_rows", "2", "header_rows = 2"),
    ("header_rows", 4, "from 1 to 3"),  # the header and 3 responses: 4 header rows leave no response
    ("id_column", 3, 'id_column = "'),
    ("id_column", "", 'id_column = "'),
    ("exclude_column", 5, 'exclude_column = "'),
    ("sheet", 2, 'sheet = "'),
    ("text_columns", "What helped you most?", 'text_columns = ["What helped you most?"]'),
    ("text_columns", ["What helped you most?", 3], "text_columns = ["),
    ("attribute_columns", "site", 'attribute_columns = ["site"]'),
    ("exclude", "R1", 'exclude = { R1 = "'),
    ("exclude", ["R1", "R2"], 'exclude = { R1 = "'),
    ("exclude", {"R1": 5}, 'exclude = { R1 = "'),
])
def test_a_setting_of_the_wrong_type_or_value_is_refused_naming_it(tmp_path: Path, setting: str, value: object,
                                                                   fix: str) -> None:
    path = tmp_path / "sv.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _read(path, **{setting: value})
    message = str(caught.value)
    assert message.startswith("[E525] sv.csv:"), message
    assert f"{setting} = " in message and '[ingest.survey."sv.csv"]' in message and "thematic.toml" in message
    assert fix in message, message


def test_a_sheet_setting_of_the_wrong_type_is_refused_before_the_workbook_is_read(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "sv.xlsx", [["respondent_id", "What helped you most?"],
                                            ["R1", "My mentor listened to me and helped me find a flat quickly."]])
    with pytest.raises(InputError, match=r'^\[E525\] sv\.xlsx: sheet = 1 under \[ingest\.survey\."sv\.xlsx"\]'):
        _read(path, sheet=1)


@pytest.mark.parametrize("survey", [
    {"header_rows": 1}, {"header_rows": 3}, {"id_column": "respondent_id"}, {"text_columns": []},
    {"text_columns": ["What helped you most?"], "attribute_columns": ["site"]},
    {"exclude": {"R1": "withdrew consent"}}, {"exclude": {}}, {"exclude_column": "site"},
])
def test_settings_of_the_right_shape_are_read(tmp_path: Path, survey: dict[str, object]) -> None:
    path = tmp_path / "sv.csv"
    path.write_text(CSV, encoding="utf-8")
    _read(path, **survey)


def test_in_a_study_the_file_fails_with_the_error_and_the_others_are_read(study: Study) -> None:
    (study.paths.raw / "sv.csv").write_text(CSV, encoding="utf-8")
    (study.paths.raw / "other.csv").write_text(CSV.replace("R", "Q"), encoding="utf-8")
    toml = study.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[ingest.survey."sv.csv"]\nid_column = 3\n',
                    encoding="utf-8")
    report = study.ingest()
    (failed,) = [r for r in report.rows if r.status == "failed"]
    assert failed.path.endswith("sv.csv") and failed.error is not None and failed.error.startswith("[E525]")
    assert "id_column = 3" in failed.error and "E114" not in failed.error
    assert set(study.store.segments()["participant_id"]) == {"Q1", "Q2", "Q3"}


def test_an_exclude_not_written_as_a_table_under_a_section_naming_no_file_is_e120(study: Study) -> None:
    (study.paths.raw / "sv.csv").write_text(CSV, encoding="utf-8")
    toml = study.root / "thematic.toml"
    base = toml.read_text(encoding="utf-8")
    for exclude, ids in (('"R1"', "R1"), ('["R1", "R2"]', "R1, R2")):  # was a ValueError out of dict()
        toml.write_text(base + f'\n[ingest.survey."Sv.csv"]\nexclude = {exclude}\n', encoding="utf-8")
        with pytest.raises(InputError, match=r"^\[E120\]") as caught:
            study.ingest()
        assert "its exclude" in str(caught.value) and ids in str(caught.value)
