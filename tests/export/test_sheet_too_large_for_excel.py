"""An Excel sheet holds at most 16,384 columns and 1,048,576 rows. A table past either limit (the code x participant
matrix of a study with more than 16,383 participants, or a million codings) made every .xlsx writer stop with a
raw ``ValueError: This sheet is too large!`` traceback and write no file, so the whole workbook was lost though
only one sheet was too large. Now a too-wide table is written turned (its columns as rows) when that fits, with a
coded warning (W032) naming the sheet; one that fits neither way is left out of the workbook with a warning (W033)
naming the sheet, its size, Excel's limits and CSV, and the About sheet says so; a single-table .xlsx that cannot
hold its table is refused with E526 (the file, the limits, "use .csv"), and nothing is written."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from thematic.errors import InputError
from thematic.export.tables import write_table, write_tables
from thematic.export.workbook import write_workbook
from thematic.ingest import export as ingest_export

ROWS, COLUMNS = 1_048_576, 16_384


def _wide() -> pd.DataFrame:
    """A code x participant matrix with 16,385 participants: wider than Excel allows, narrow when turned."""
    people = [f"P{i}" for i in range(1, COLUMNS + 2)]
    data = np.zeros((2, len(people)), dtype=np.int8)
    data[0, -1] = 1
    return pd.DataFrame(data, index=pd.Index(["c1", "c2"], name="code_id"),
                        columns=pd.Index(people, name="participant_id"))


def _long() -> pd.DataFrame:
    """One column of 1,048,576 values: with its header one row too many, and far too wide turned."""
    return pd.DataFrame({"n": np.zeros(ROWS, dtype=np.int8)})


def _small() -> pd.DataFrame:
    return pd.DataFrame({"code_id": ["c1", "c2"], "n": [3, 1]})


def _coded(caught: list[warnings.WarningMessage], code: str) -> list[str]:
    return [str(w.message) for w in caught if str(w.message).startswith(f"[{code}]")]


def test_a_too_wide_table_is_written_turned_and_the_other_sheets_kept(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_workbook({"Frequency": _small(), "Code x participant": _wide()}, out)
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Frequency", "Code x participant"]
    rows = list(wb["Code x participant"].iter_rows(values_only=True))
    assert rows[0] == ("participant_id", "c1", "c2")
    assert len(rows) == COLUMNS + 2 and rows[1] == ("P1", 0, 0) and rows[-1] == (f"P{COLUMNS + 1}", 1, 0)
    assert list(wb["Frequency"].iter_rows(values_only=True)) == [("code_id", "n"), ("c1", 3), ("c2", 1)]
    (message,) = _coded(caught, "W032")
    assert "'Code x participant'" in message and "16,385" in message and "16,384" in message


def test_a_table_too_large_either_way_is_left_out_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "tables.xlsx"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_tables({"Frequency": _small(), "Codings": _long()}, out,
                     descriptions={"Frequency": "Counts.", "Codings": "Every coding."})
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["About", "Frequency"]
    about = dict(list(wb["About"].iter_rows(values_only=True))[1:])
    assert "not in this workbook" in about["Codings"].lower() and "csv" in about["Codings"].lower()
    (message,) = _coded(caught, "W033")
    for part in ("'Codings'", "1,048,576 rows", "16,384 columns", "csv", str(out)):
        assert part.lower() in message.lower(), part


def test_a_single_table_too_large_for_xlsx_is_refused_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "codings.xlsx"
    with pytest.raises(InputError) as err:
        write_table(_long(), out)
    assert str(err.value).startswith("[E526]") and str(out) in str(err.value)
    assert "1,048,576" in str(err.value) and ".csv" in str(err.value)
    assert not out.exists() and not list(tmp_path.iterdir())


def test_the_segments_export_refuses_a_table_too_long_for_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "segments.xlsx"
    with pytest.raises(InputError) as err:
        ingest_export.write_table(_long(), out)
    assert str(err.value).startswith("[E526]") and str(out) in str(err.value) and ".csv" in str(err.value)
    assert not list(tmp_path.iterdir())
    assert ingest_export.write_table(_long(), tmp_path / "segments.csv").rows == ROWS  # CSV holds it whole
