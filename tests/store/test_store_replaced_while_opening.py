"""A store replaced while a command opens it (``thematic restore`` renames a backup over it) makes SQLite refuse
the first write with SQLITE_READONLY_DBMOVED. That is E049, "the store was replaced ... run the command again", not
E019, which blamed permissions or a full disk and said not to restore a backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import thematic.store.db as db
from thematic.errors import StoreError
from thematic.store import Store


def test_a_store_renamed_over_while_opening_is_e049(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "thematic.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:  # a backup as `thematic backup` writes it: rollback journal
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    shutil.copyfile(path, tmp_path / "backup.db")
    real_connect = sqlite3.connect

    def restore_races(*args: object, **kwargs: object) -> sqlite3.Connection:
        opened = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        os.replace(tmp_path / "backup.db", path)  # the restore's rename lands right after this open
        return opened

    monkeypatch.setattr(db.sqlite3, "connect", restore_races)
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert message.startswith(f"[E049] {path}") and "run the command again" in message.lower()
    assert "E019" not in message and "permissions" not in message
    monkeypatch.undo()
    with Store(path) as store:  # the replaced store opens normally next time
        assert store.schema_version >= 1
