"""`thematic backup --out FILE --force` replaced any thematic store at FILE: another study's live store (no copy
kept), and when that store had a -wal beside it, SQLite replayed the other study's stale WAL onto the new backup
(a mix of both studies, or a malformed file). Now --force replaces only an earlier backup of this study with no
-wal/-shm/-journal beside it; a study's store, another study's backup, or a file with SQLite side files is
refused with E056 and left as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.errors import StoreError
from thematic.study import init_study

runner = CliRunner()

KILLED_SESSION = """
import os, sys
from thematic.study import Study
s = Study.open(sys.argv[1])
s.store._conn.execute("PRAGMA wal_autocheckpoint=0")
for seg in ("int-01:1", "int-01:3", "int-02:1"):
    s.code(seg, "funding", coder="SO", memo="x" * 3000)
os.kill(os.getpid(), 9)  # the notebook's kernel dies: its -wal stays beside the store
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _backup(root: Path, out: Path, *force: str):  # noqa: ANN202
    return runner.invoke(app, ["backup", "--out", str(out), *force, "--study", str(root)])


@pytest.fixture
def mine(study) -> Path:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.close()
    return study.root


@pytest.fixture
def other(tmp_path: Path) -> Path:
    """Another study whose notebook was killed while coding: its store has a -wal beside it."""
    s = init_study(tmp_path / "other", name="other study")
    fill_study(s)
    s.close()
    proc = subprocess.run([sys.executable, "-c", KILLED_SESSION, str(s.root)], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert (s.root / "data" / "coded" / "thematic.db-wal").exists()
    return s.root


def test_force_will_not_replace_another_studys_live_store(mine: Path, other: Path) -> None:
    coded = other / "data" / "coded"
    before = _files(coded)
    for force in ([], ["--force"]):
        r = _backup(mine, coded / "thematic.db", *force)
        assert r.exit_code == 1 and "[E056]" in r.output and "Traceback" not in r.output, r.output
        assert _files(coded) == before
    with sqlite3.connect(coded / "thematic.db") as con:  # SQLite still reads the other study's own work
        assert con.execute("SELECT count(*) FROM codings WHERE coder='SO'").fetchone()[0] == 3


def test_force_will_not_replace_a_study_store_even_a_copy_of_this_study(mine: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-study"
    shutil.copytree(mine, copy)  # same store id, but it is a study's store, not a backup
    db = copy / "data" / "coded" / "thematic.db"
    before = db.read_bytes()
    r = _backup(mine, db, "--force")
    assert r.exit_code == 1 and "[E056]" in r.output and "store of the study" in r.output.replace("\n", ""), r.output
    assert db.read_bytes() == before


def test_force_will_not_replace_another_studys_backup(mine: Path, other: Path, tmp_path: Path) -> None:
    from thematic.study import Study

    s = Study.open(other)
    theirs = s.store.backup(tmp_path / "theirs.db")
    s.close()
    before = theirs.read_bytes()
    r = _backup(mine, theirs, "--force")
    assert r.exit_code == 1 and "[E056]" in r.output and "another study" in r.output.replace("\n", ""), r.output
    assert theirs.read_bytes() == before


def test_force_will_not_replace_a_backup_with_a_wal_beside_it(mine: Path, tmp_path: Path) -> None:
    from thematic.study import Study

    s = Study.open(mine)
    out = s.store.backup(tmp_path / "mine.db")
    con = sqlite3.connect(out)  # someone opened the backup, wrote to it, and the program stopped
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("INSERT INTO meta(key, value) VALUES ('note', 'in the wal')")
    con.commit()
    wal = Path(str(out) + "-wal").read_bytes()
    con.close()
    Path(str(out) + "-wal").write_bytes(wal)
    before = _files(tmp_path)
    with pytest.raises(StoreError, match=r"\[E056\].*-wal"):
        s.store.backup(out, force=True)
    s.close()
    assert _files(tmp_path) == before
    r = _backup(mine, out, "--force")
    assert r.exit_code == 1 and "[E056]" in r.output and _files(tmp_path) == before


def test_force_still_replaces_an_earlier_backup_of_this_study(mine: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.db"
    assert _backup(mine, out).exit_code == 0
    r = _backup(mine, out, "--force")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("mine")) == ["mine.db"]
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
