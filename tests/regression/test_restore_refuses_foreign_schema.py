"""`thematic restore` accepted a backup carrying SQLite triggers (a trigger deleted every other coding on each
insert); a backup holding any trigger, view, table or index a thematic store of its version does not have is
now refused with E054, and the store is left as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from thematic.errors import StoreError


def _backup(tmp_path: Path, sql: str | None) -> tuple[Path, Path]:
    from thematic.store import Store

    store_path = tmp_path / "study" / "thematic.db"
    store_path.parent.mkdir()
    Store(store_path).close()
    backup = tmp_path / "backup.db"
    shutil.copyfile(store_path, backup)
    if sql:
        con = sqlite3.connect(backup)
        con.execute(sql)
        con.commit()
        con.close()
    return store_path, backup


@pytest.mark.parametrize(("sql", "what"), [
    ("CREATE TRIGGER evil AFTER INSERT ON codings BEGIN DELETE FROM codings WHERE coding_id <> NEW.coding_id; END",
     "trigger 'evil'"),
    ("CREATE VIEW v AS SELECT * FROM codings", "view 'v'"),
    ("CREATE TABLE extra (x)", "table 'extra'"),
    ("CREATE INDEX odd ON documents(title)", "index 'odd'"),
])
def test_backup_with_foreign_schema_objects_is_refused(tmp_path: Path, sql: str, what: str) -> None:
    from thematic.store.restore import restore_store

    store_path, backup = _backup(tmp_path, sql)
    before = store_path.read_bytes()
    with pytest.raises(StoreError, match=rf"^\[E054\].*{what}"):
        restore_store(store_path, backup)
    assert store_path.read_bytes() == before


def test_clean_backup_still_restores(tmp_path: Path) -> None:
    from thematic.store.restore import restore_store

    store_path, backup = _backup(tmp_path, None)
    report = restore_store(store_path, backup)
    assert report.documents == 0
