"""`export tables` to a folder wrote and renamed its files one by one, so a run that could not replace one file
(`codings.csv` open in Excel, or the disk full) stopped after replacing the files before it: the folder then mixed
two runs (a new `frequencies.csv` beside an old `codings.csv`), the manifest still described the old run, and
nothing said so. Now every table (and the manifest) is written to a temporary name first and only then renamed into
place; when any write or rename fails, the files already replaced are put back, the temporary files removed, and
the error (E420) names the file that failed and says the folder still holds the previous run's tables."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import InputError
from thematic.export.tables import TABLES_MANIFEST, write_tables


def _tables(tag: str) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame({"table": [name], "run": [tag]}) for name in ("Frequencies", "By role", "Codings")}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_file_that_cannot_be_replaced_leaves_the_whole_folder_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables(_tables("1"), out, format="csv")
    (out / "codings.csv").unlink()
    (out / "codings.csv").mkdir()  # the last table cannot be renamed onto it
    (out / "codings.csv" / "keep.txt").write_text("mine", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(InputError) as err:
        write_tables(_tables("2"), out, format="csv")
    msg = str(err.value)
    assert msg.startswith("[E420]") and "codings.csv" in msg and ".tmp" not in msg
    assert "previous run" in msg
    assert _snapshot(out) == before  # frequencies.csv and by-role.csv are run 1's, the manifest too
    assert pd.read_csv(out / "frequencies.csv", encoding="utf-8-sig")["run"].tolist() == [1]
    assert sorted(p.name for p in out.iterdir()) == sorted([*before, "codings.csv"])  # no temporary file left
    assert (out / "codings.csv" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_first_run_that_fails_leaves_no_table_behind(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    (out / "codings.csv").mkdir(parents=True)
    with pytest.raises(InputError, match=r"\[E420\].*codings\.csv"):
        write_tables(_tables("1"), out, format="csv")
    assert sorted(p.name for p in out.iterdir()) == ["codings.csv"]


def test_a_run_that_succeeds_replaces_every_file_and_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables(_tables("1"), out, format="csv")
    paths = write_tables(_tables("2"), out, format="csv")
    assert [p.name for p in paths] == ["frequencies.csv", "by-role.csv", "codings.csv"]
    for p in paths:
        assert pd.read_csv(p, encoding="utf-8-sig")["run"].tolist() == [2]
    assert sorted(p.name for p in out.iterdir()) == sorted([TABLES_MANIFEST, *(p.name for p in paths)])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or shutil.which("chattr") is None,
                    reason="needs root and chattr (an immutable file stands for one open in Excel on Windows)")
def test_an_immutable_table_makes_the_run_change_nothing(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    write_tables(_tables("1"), out, format="csv")
    before = _snapshot(out)
    if subprocess.run(["chattr", "+i", str(out / "codings.csv")], check=False).returncode:
        pytest.skip("this file system has no immutable flag")
    try:
        with pytest.raises(InputError, match=r"\[E420\].*codings\.csv"):
            write_tables(_tables("2"), out, format="csv")
    finally:
        subprocess.run(["chattr", "-i", str(out / "codings.csv")], check=True)
    assert _snapshot(out) == before
