"""`export tables` to a CSV or Parquet folder left the tables of an earlier run (say `agreement.csv` from a run with
`--coders`) beside the new ones, with their old numbers, and said nothing. The folder now records what each run
wrote (a hidden `.thematic-tables.json`, with each file's SHA-256), and the next run removes the files the earlier
one wrote that it does not write again (W402 lists them), so the folder holds exactly this run's tables. Files it did
not write are never removed: a table file no run recorded (one written by an older thematic, or your own), or one
changed since a run wrote it, is named in W403 instead."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from thematic.export.tables import TABLES_MANIFEST, write_tables


def _frame(tag: str) -> pd.DataFrame:
    return pd.DataFrame({"run": [tag]})


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_a_later_run_removes_the_tables_an_earlier_run_wrote(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables({"Frequencies": _frame("1"), "Agreement": _frame("1"), "Disagreements": _frame("1")}, out,
                 format="csv")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"\[W402\].*agreement\.csv.*disagreements\.csv"):
        paths = write_tables({"Frequencies": _frame("2")}, out, format="csv")
    assert [p.name for p in paths] == ["frequencies.csv"]
    assert _visible(out) == ["frequencies.csv", "notes.txt"]
    assert pd.read_csv(out / "frequencies.csv", encoding="utf-8-sig")["run"].tolist() == [2]
    assert list(json.loads((out / TABLES_MANIFEST).read_text(encoding="utf-8"))["files"]) == ["frequencies.csv"]


def test_a_run_in_another_format_replaces_the_earlier_files(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables({"Frequencies": _frame("1")}, out, format="csv")
    with pytest.warns(UserWarning, match=r"\[W402\]"):
        write_tables({"Frequencies": _frame("2")}, out, format="parquet")
    assert _visible(out) == ["frequencies.parquet"]


def test_files_no_run_recorded_are_kept_and_named(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    out.mkdir()
    (out / "agreement.csv").write_text("older thematic\n", encoding="utf-8")  # no record: not removed
    with pytest.warns(UserWarning, match=r"\[W403\].*agreement\.csv"):
        write_tables({"Frequencies": _frame("1")}, out, format="csv")
    assert _visible(out) == ["agreement.csv", "frequencies.csv"]
    assert (out / "agreement.csv").read_text(encoding="utf-8") == "older thematic\n"


def test_a_record_never_removes_anything_outside_or_a_link(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables({"Frequencies": _frame("1"), "Codebook": _frame("1")}, out, format="csv")
    outside = tmp_path / "precious.csv"
    outside.write_text("keep", encoding="utf-8")
    (out / "codebook.csv").unlink()
    (out / "codebook.csv").symlink_to(outside)
    record = json.loads((out / TABLES_MANIFEST).read_text(encoding="utf-8"))
    same = record["files"]["codebook.csv"]
    record["files"].update({"../precious.csv": same, str(outside): same})
    (out / TABLES_MANIFEST).write_text(json.dumps(record), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_tables({"Frequencies": _frame("2")}, out, format="csv")
    assert outside.read_text(encoding="utf-8") == "keep"
    assert (out / "codebook.csv").is_symlink()


def test_a_recorded_table_changed_since_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables({"Frequencies": _frame("1"), "Agreement": _frame("1")}, out, format="csv")
    (out / "agreement.csv").write_text("my own notes\n", encoding="utf-8")  # saved over the table by hand
    with pytest.warns(UserWarning, match=r"\[W403\].*agreement\.csv"):
        write_tables({"Frequencies": _frame("2")}, out, format="csv")
    assert (out / "agreement.csv").read_text(encoding="utf-8") == "my own notes\n"


def test_the_same_tables_again_warn_nothing(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables({"Frequencies": _frame("1"), "Codebook": _frame("1")}, out, format="csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_tables({"Frequencies": _frame("2"), "Codebook": _frame("2")}, out, format="csv")
    assert _visible(out) == ["codebook.csv", "frequencies.csv"]
