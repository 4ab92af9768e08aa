"""Exporting segments with participant attributes to CSV, XLSX and Parquet (read back for real)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import InputError
from thematic.ingest.export import BASE_COLUMNS, export_segments, segments_table
from thematic.study import Study

from .helpers import INTERVIEW


@pytest.fixture
def ingested(study: Study) -> Study:
    study.paths.raw.joinpath("participants.csv").write_text(
        "participant_id,name,role,gender,text\nP01,Rowan,peer mentor,man,clash\n", encoding="utf-8")
    study.paths.raw.joinpath("a.txt").write_text(INTERVIEW + "Rowan: =SUM(A1:A3) is what I typed.\n", encoding="utf-8")
    assert study.ingest().ok
    return study


def test_export_table_columns_roles_and_attributes(ingested: Study) -> None:
    df = segments_table(ingested.store)
    assert list(df.columns[: len(BASE_COLUMNS)]) == list(BASE_COLUMNS)
    assert {"gender", "participant_text"} <= set(df.columns) and "name" not in df.columns
    assert list(df["role"]) == ["interviewer", "peer mentor", "interviewer", "peer mentor", "peer mentor"]
    assert list(df["participant"].fillna("-")) == ["-", "P01", "-", "P01", "P01"]
    assert ingested.segments(attributes=True).shape == df.shape
    without = segments_table(ingested.store, include_interviewer=False)
    assert len(without) == 3 and not without["is_interviewer"].any()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_export_round_trips(ingested: Study, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"segments.{fmt}"
    result = ingested.export_segments(out)
    assert result.path == out and result.rows == 5 and out.is_file()
    back = {"csv": pd.read_csv, "xlsx": pd.read_excel, "parquet": pd.read_parquet}[fmt](out)
    assert not back.astype(str).apply(lambda col: col.str.contains("Rowan")).any().any()  # no real names
    assert list(back.columns[:3]) == ["document", "segment_id", "index"]
    escaped = "'" if fmt == "csv" else ""  # CSV: OWASP's quote prefix, so it never runs as a formula
    assert back["text"].iloc[-1] == escaped + "=SUM(A1:A3) is what I typed."
    assert back["segment_id"].tolist() == [f"a:{i}" for i in range(5)]


def test_export_xlsx_text_is_never_a_formula(ingested: Study, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = ingested.export_segments(tmp_path / "s.xlsx").path
    ws = load_workbook(out).active
    texts = [c.value for c in ws["N"]]
    assert "=SUM(A1:A3) is what I typed." in texts
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_export_unknown_format_is_e115(ingested: Study, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^\[E115\] Unknown export format 'json'"):
        export_segments(ingested.store, tmp_path / "s.json")
    assert not (tmp_path / "s.json").exists()
