"""When data/coded/ or the store's -wal file could not be written, every command (even `thematic status`) said
[E011] "the store is not a thematic database" and advised restoring a backup, though the store was whole: following
that advice could throw away recent codings. SQLite's "unable to open database file" / "readonly" now give [E019],
which says what to check and that the store was not changed. A -wal that is a folder stands in for a folder the
user cannot write (the tests run as root, for whom permissions do not apply).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import StoreError
from thematic.store import Store

from .tiny_study import cli, methods_study


def _blocked_store(tmp_path: Path) -> Path:
    root = methods_study(tmp_path / "s", {"talk.txt": "Interviewer: How?\nAnn: We taught online.\n"})
    cli(root, "ingest")
    db = next((root / "data" / "coded").glob("*.db"))
    wal = db.with_name(db.name + "-wal")
    wal.unlink(missing_ok=True)
    wal.mkdir()
    return db


def test_store_that_cannot_be_opened_for_writing_is_not_called_damaged(tmp_path: Path) -> None:
    db = _blocked_store(tmp_path)
    with pytest.raises(StoreError) as err:
        Store(db)
    message = str(err.value)
    assert message.startswith("[E019]") and "do not restore a backup" in message and "[E011]" not in message
    assert sqlite3.connect(f"file:{db}?mode=ro", uri=True) is not None  # the file itself is intact


def test_status_says_what_to_check(tmp_path: Path) -> None:
    db = _blocked_store(tmp_path)
    root = db.parents[2]
    res = CliRunner().invoke(app, ["status", "--study", str(root)], env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "[E019]" in res.output and "restore FILE" not in res.output and "Traceback" not in res.output
