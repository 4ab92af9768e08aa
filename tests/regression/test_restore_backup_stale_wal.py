"""Restoring a backup by copying it over data/coded/thematic.db let SQLite replay the WAL a killed session
left behind onto it (a corrupt store, or codings the backup never held). `thematic restore` / ``restore_store``
check the backup, keep a copy of the store it replaces, drop the stale -wal/-shm and install the backup whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from store_support import coding_count
from thematic.cli.main import app
from thematic.errors import StoreError

runner = CliRunner()

KILLED_SESSION = """
import os, sys
from thematic.study import Study
s = Study.open(sys.argv[1])
for seg in ("int-01:0", "int-01:2", "int-02:0", "int-02:2"):
    for code in ("funding", "hook_for_change", "shared_experience"):
        s.code(seg, code, coder="KS", memo="x" * 3000)
os.kill(os.getpid(), 9)  # a crash, an OOM kill, a closed laptop: the WAL is never checkpointed
"""


@pytest.fixture
def crashed(study, tmp_path: Path) -> tuple[Path, Path]:  # noqa: ANN001
    """A study backed up with one coding, then coded more, the last session killed (a hot WAL left)."""
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    backup = study.store.backup(tmp_path / "before.db")
    for seg in ("int-01:1", "int-01:3", "int-02:1", "int-02:3"):
        study.code(seg, "funding", coder="SO")
    study.close()
    proc = subprocess.run([sys.executable, "-c", KILLED_SESSION, str(study.root)], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert (study.paths.db.parent / "thematic.db-wal").exists()
    return study.root, backup


def test_restore_brings_back_exactly_the_backup_despite_a_stale_wal(crashed) -> None:  # noqa: ANN001
    from thematic.store import Store
    from thematic.store.restore import restore_store

    root, backup = crashed
    db = root / "data" / "coded" / "thematic.db"
    report = restore_store(db, backup)
    assert not (db.parent / "thematic.db-wal").exists() and not (db.parent / "thematic.db-shm").exists()
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert coding_count(db) == coding_count(backup) == 1
    # the replaced store is kept, with the killed session's committed work replayed into it
    assert report.before is not None and report.before.parent == db.parent / "backups"
    assert coding_count(report.before) == 1 + 4 + 12
    assert report.codings == 1
    with Store(db) as store:
        assert [c.coder for c in store.codings().itertuples()] == ["HT"]


def test_thematic_restore_command(crashed) -> None:  # noqa: ANN001
    root, backup = crashed
    r = runner.invoke(app, ["restore", str(backup), "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert "Restored" in r.output and "before-restore-" in r.output
    assert coding_count(root / "data" / "coded" / "thematic.db") == 1
    r = runner.invoke(app, ["status", "--study", str(root)])
    assert r.exit_code == 0 and "1 (0 flagged" in r.output, r.output


def test_restore_refused_while_the_study_is_open(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store.restore import restore_store

    fill_study(study)
    backup = study.store.backup(tmp_path / "b.db")
    study.code("int-01:1", "generativity", coder="HT")  # the store stays open (a notebook, the widget)
    with pytest.raises(StoreError, match=r"\[E053\]"):
        restore_store(study.paths.db, backup)
    assert len(study.store.codings()) == 1  # untouched, still usable
    assert not list((study.paths.coded / "backups").glob("before-restore-*"))
    r = runner.invoke(app, ["restore", str(backup), "--study", str(study.root)])
    assert r.exit_code == 1 and "[E053]" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("kind", ["text", "truncated", "other sqlite", "missing", "newer schema"])
def test_restore_checks_the_backup_before_touching_the_store(study, tmp_path: Path, kind: str) -> None:  # noqa: ANN001
    from thematic.store.restore import restore_store
    from thematic.store.schema import SCHEMA_VERSION

    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    good = study.store.backup(tmp_path / "good.db")
    study.close()
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("participant_id,role\nP01,x\n", encoding="utf-8")
    elif kind == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "other sqlite":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
    elif kind == "newer schema":
        bad.write_bytes(good.read_bytes())
        con = sqlite3.connect(bad)
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        con.close()
    before = study.paths.db.read_bytes()
    with pytest.raises(StoreError, match=r"\[E054\]") as info:
        restore_store(study.paths.db, bad)
    assert str(bad) in str(info.value)
    assert study.paths.db.read_bytes() == before
    assert not list((study.paths.coded / "backups").glob("before-restore-*"))
    assert not [p for p in study.paths.coded.iterdir() if p.name.startswith(".")]  # no temp file left


def test_restore_of_another_studys_backup_needs_force(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store import Store
    from thematic.store.restore import restore_store

    fill_study(study)
    study.store.identity()
    study.close()
    other = tmp_path / "other" / "thematic.db"
    with Store(other) as store:
        store.identity()
    with pytest.raises(StoreError, match=r"\[E055\]"):
        restore_store(study.paths.db, other)
    r = runner.invoke(app, ["restore", str(other), "--study", str(study.root)])
    assert r.exit_code == 1 and "[E055]" in r.output and "--force" in r.output
    report = restore_store(study.paths.db, other, force=True)
    assert report.documents == 0 and coding_count(study.paths.db) == 0


def test_restore_without_a_current_store_removes_a_stray_wal(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store.restore import restore_store

    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    backup = study.store.backup(tmp_path / "b.db")
    study.close()
    study.paths.db.unlink()
    (study.paths.coded / "thematic.db-wal").write_bytes(b"stale")
    report = restore_store(study.paths.db, backup)
    assert report.before is None and report.codings == 1
    assert not (study.paths.coded / "thematic.db-wal").exists() and coding_count(study.paths.db) == 1


def test_a_store_sqlite_cannot_open_is_kept_byte_for_byte(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.store.restore import restore_store

    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    backup = study.store.backup(tmp_path / "b.db")
    study.close()
    study.paths.db.write_bytes(b"not a database " * 500)
    (study.paths.coded / "thematic.db-wal").write_bytes(b"stale wal")
    report = restore_store(study.paths.db, backup)
    assert report.before is not None and report.before.read_bytes() == b"not a database " * 500
    assert Path(str(report.before) + "-wal").read_bytes() == b"stale wal"
    assert report.removed == ("thematic.db-wal",) and report.codings == 1
