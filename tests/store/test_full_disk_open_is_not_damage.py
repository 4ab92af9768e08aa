"""A disk with no room for the store's -shm file (under 32 KB free) made every command, `thematic status`
included, say the store was "not a thematic database" (E011) and advise restoring a backup, which would lose
every coding made since. The store was fine: SQLite only failed to grow the -shm file (SQLITE_IOERR_SHMSIZE).
Now opening the store then still works (SQLite's wal-index is kept in memory instead), so read-only commands
run, a write gives the disk-full error E034, and the store is unchanged once there is room again. A file that
really is not a database still gives E011.

The full disk is made real for one child process with RLIMIT_FSIZE: no file it writes can grow past 4 KB."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from regression.tiny_study import cli, one_coded_study
from thematic.errors import StoreError
from thematic.store import Store

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")

LIMIT = 4096  # the -shm file needs 32 KB; one WAL frame (4 KB page + headers) is over it too


def _no_room() -> None:
    """In the child: every file it writes stops growing at LIMIT bytes (EFBIG, as ENOSPC on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _thematic(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``thematic ARGS --study ROOT`` in a child process that cannot grow any file past LIMIT."""
    env = {**os.environ, "THEMATIC_ENCODER": "minilm", "COLUMNS": "200", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "thematic", *args, "--study", str(root)], capture_output=True,
                          text=True, env=env, preexec_fn=_no_room, timeout=300)


def _state(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return con.execute("SELECT coding_id, code_id, status FROM codings ORDER BY 1").fetchall()


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    return one_coded_study(tmp_path / "s")


def test_read_only_commands_work_and_writes_say_disk_full(coded: Path) -> None:
    db = coded / "data" / "coded" / "thematic.db"
    before = _state(db)
    assert not (db.parent / "thematic.db-shm").exists()

    status = _thematic(coded, "status")
    assert status.returncode == 0, status.stderr
    assert "E011" not in status.stdout + status.stderr
    assert "codings       1" in status.stdout

    out = coded / "reports" / "c.csv"  # written beside a 4 KB limit: a tiny CSV fits
    export = _thematic(coded, "export", "codings", "--out", str(out))
    assert export.returncode == 0, export.stderr
    assert "money" in out.read_text(encoding="utf-8-sig")

    write = _thematic(coded, "code", "add", "int:1", "work", "--coder", "HT")
    assert write.returncode != 0
    assert "E034" in write.stderr and "E011" not in write.stderr, write.stderr
    assert "Traceback" not in write.stderr

    assert _state(db) == before
    assert "codings       1" in cli(coded, "status")


@pytest.mark.parametrize("limit", [0, LIMIT])
def test_a_store_that_cannot_be_made_says_disk_full_naming_the_folder(tmp_path: Path, limit: int) -> None:
    """A new store on a full disk cannot even be begun: E034 naming the folder to free space in, never E011."""
    db = tmp_path / "coded" / "thematic.db"
    code = ("import resource, signal\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
            "from thematic.store import Store\nfrom thematic.errors import StoreError\n"
            f"try:\n    Store({str(db)!r}).close()\nexcept StoreError as e:\n    print(e)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "Traceback" not in res.stderr, res.stderr
    assert "[E034]" in res.stdout and "E011" not in res.stdout, res.stdout
    assert f"{db.parent}" in res.stdout and "free" in res.stdout, res.stdout


def test_a_file_that_is_not_a_database_is_still_e011(tmp_path: Path) -> None:
    db = tmp_path / "thematic.db"
    db.write_bytes(b"this is a page of notes, not SQLite\n" * 200)
    with pytest.raises(StoreError, match="E011"):
        Store(db)
