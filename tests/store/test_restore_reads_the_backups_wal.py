"""`thematic restore FILE` copied only FILE and read it with SQLite's immutable mode, so when a -wal lay beside it
(a study folder copied or synced while a notebook had it open, or the byte-for-byte `before-restore` copy kept of
a store SQLite could not back up) every change still in that WAL was silently dropped. Now restore reads the
backup as SQLite does, its -wal included, without changing the backup's files, and says so."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from coding.manual_support import fill_study
from store_support import coding_count
from thematic.cli.main import app

runner = CliRunner()

KILLED_SESSION = """
import os, sys
from thematic.study import Study
s = Study.open(sys.argv[1])
s.store._conn.execute("PRAGMA wal_autocheckpoint=0")
for seg in ("int-01:3", "int-02:1", "int-02:3"):
    s.code(seg, "funding", coder="SO", memo="in the wal")
os.kill(os.getpid(), 9)
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_restore_of_a_copy_with_its_wal_brings_the_wal_codings(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store.restore import restore_store

    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    study.store._conn.execute("PRAGMA wal_autocheckpoint=0")  # a notebook session: its WAL not yet written back
    study.code("int-01:3", "funding", coder="HT", memo="in the wal 1")
    study.code("int-02:1", "funding", coder="HT", memo="in the wal 2")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("thematic.db", "thematic.db-wal"):  # the folder copied while the notebook is open
        shutil.copyfile(study.paths.coded / name, copy / name)
    study.uncode("int-01:1", "generativity", coder="HT")
    study.close()
    check = tmp_path / "check"
    shutil.copytree(copy, check)
    assert coding_count(check / "thematic.db") == 3  # what SQLite reads from the copy
    before = _files(copy)

    report = restore_store(study.paths.db, copy / "thematic.db")
    assert report.codings == 3 and coding_count(study.paths.db) == 3
    assert report.read == ("thematic.db-wal",)
    assert _files(copy) == before  # the backup's own files are left as they were
    memos = sqlite3.connect(study.paths.db).execute("SELECT memo FROM codings ORDER BY memo").fetchall()
    assert [m[0] for m in memos] == [None, "in the wal 1", "in the wal 2"]
    assert not [p for p in study.paths.coded.iterdir() if p.name.startswith(".")]  # no temp file left


def test_thematic_restore_says_it_read_the_wal(study, tmp_path: Path) -> None:  # noqa: ANN001
    fill_study(study)
    study.store._conn.execute("PRAGMA wal_autocheckpoint=0")
    study.code("int-01:1", "generativity", coder="HT")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("thematic.db", "thematic.db-wal"):
        shutil.copyfile(study.paths.coded / name, copy / name)
    study.close()
    r = runner.invoke(app, ["restore", str(copy / "thematic.db"), "--study", str(study.root)])
    assert r.exit_code == 0, r.output
    assert "1 coding(s)" in r.output and "thematic.db-wal" in r.output.replace("\n", "")


def test_the_byte_for_byte_before_restore_copy_restores_whole(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store.restore import _keep_before, restore_store

    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    backup = study.store.backup(tmp_path / "b.db")
    study.close()
    proc = subprocess.run([sys.executable, "-c", KILLED_SESSION, str(study.root)], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    kept = _keep_before(None, study.paths.db)  # the copy restore keeps of a store it cannot back up
    assert Path(str(kept) + "-wal").is_file()
    assert restore_store(study.paths.db, backup).codings == 1
    report = restore_store(study.paths.db, kept)  # going back, as restore's message says
    assert report.codings == 1 + 3 and coding_count(study.paths.db) == 4
    assert Path(str(kept) + "-wal").is_file()
