"""A store whose bytes were damaged inside a row (bit rot, a bad copy) passes `PRAGMA integrity_check`, which
looks only at the b-tree structure: `thematic restore` installed such a backup, and afterwards reading the
damaged text failed with "E032 The store failed (Could not decode to UTF-8 column 'text' ...)", naming no
document and advising a new backup (which would copy the damage). Now restore reads every text value and refuses
the backup with E054 naming the table, row and column, and reading a damaged store raises E387 naming them and
pointing to `thematic restore` instead; a store SQLite finds malformed gets the same advice in the CLI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.errors import StoreError

runner = CliRunner()


def _damage(path: Path) -> None:
    """Four bytes inside int-01's stored text (only the document's text holds "Dan: I") made not UTF-8."""
    data = bytearray(path.read_bytes())
    at = data.find(b"Dan: I wanted")
    assert at > 0 and data.find(b"Dan: I wanted", at + 1) < 0
    data[at:at + 4] = b"\xff\xfe\xff\xfe"
    path.write_bytes(bytes(data))


@pytest.fixture
def root(study) -> Path:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.close()
    assert not (study.paths.coded / "thematic.db-wal").exists()  # all of it is in the store file
    return study.root


def test_restore_refuses_a_backup_with_text_damaged_in_a_row(root: Path, tmp_path: Path) -> None:
    from thematic.store.restore import restore_store
    from thematic.study import Study

    s = Study.open(root)
    backup = s.store.backup(tmp_path / "b.db")
    db = s.paths.db
    s.close()
    _damage(backup)
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite's own check does not see it
    con.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match=r"\[E054\]") as info:
        restore_store(db, backup)
    msg = str(info.value)
    assert "'documents'" in msg and "'int-01'" in msg and "'text'" in msg and "UTF-8" in msg
    assert db.read_bytes() == before and not list((db.parent / "backups").glob("before-restore-*"))
    r = runner.invoke(app, ["restore", str(backup), "--study", str(root)])
    assert r.exit_code == 1 and "[E054]" in r.output and "Traceback" not in r.output


def test_reading_a_damaged_store_names_the_row_and_points_to_restore(root: Path) -> None:
    from thematic.store import Store

    db = root / "data" / "coded" / "thematic.db"
    _damage(db)
    with Store(db) as store:
        with pytest.raises(StoreError, match=r"\[E387\]") as info:
            store.document("int-01")
    msg = str(info.value)
    assert "'documents'" in msg and "'int-01'" in msg and "'text'" in msg
    assert "thematic restore" in msg and "make a copy with `thematic backup`" not in msg
    r = runner.invoke(app, ["export", "codings", "--out", str(root / "c.csv"), "--study", str(root)])
    assert r.exit_code == 1 and "[E387]" in r.output and "int-01" in r.output, r.output
    assert "[E032]" not in r.output and "Traceback" not in r.output


def test_a_store_sqlite_finds_malformed_points_to_restore_not_to_a_new_backup(root: Path) -> None:
    db = root / "data" / "coded" / "thematic.db"
    con = sqlite3.connect(db)
    page = con.execute("SELECT rootpage FROM sqlite_master WHERE name='codings'").fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = bytearray(db.read_bytes())
    data[(page - 1) * size] = 0xFF  # the codings table's page no longer says what kind of page it is
    db.write_bytes(bytes(data))
    r = runner.invoke(app, ["export", "codings", "--out", str(root / "c.csv"), "--study", str(root)])
    assert r.exit_code == 1 and "[E387]" in r.output and "malformed" in r.output, r.output
    assert "thematic restore" in r.output and "make a copy with `thematic backup`" not in r.output
