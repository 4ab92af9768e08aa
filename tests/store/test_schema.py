"""Schema migrations: a store made by an older schema version is upgraded on open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from thematic.errors import StoreError
from thematic.store import SCHEMA_VERSION, Store
from thematic.store.schema import MIGRATIONS, migrate, schema_version


def build_v1_store(path: Path) -> None:
    """A store as thematic's first schema version wrote it, with one document and one coding."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=1)
    conn.execute("INSERT INTO documents VALUES ('d', 'd.txt', 'text', NULL, 'Dan: been there', 'h', '{}', '[]', 't')")
    conn.execute("INSERT INTO segments VALUES ('d:0', 'd', 0, 5, 15, 'P01', 'P01', 0, 'turn', NULL, NULL, NULL)")
    conn.execute(
        "INSERT INTO codings VALUES ('c1', 'd', 'd:0', 5, 15, 'shared_experience', 'HT', 'manual', NULL, '0.1.0',"
        " 'manual', NULL, '{}', NULL, NULL, NULL, 'been there', 't', 't')"
    )
    conn.execute("INSERT INTO coding_events(coding_id, kind, actor, at, payload) VALUES ('c1', 'add', 'HT', 't', ?)",
                 (json.dumps({"coding_id": "c1"}),))
    conn.close()


def test_schema_v1_store_is_upgraded_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    build_v1_store(db)
    with Store(db) as store:
        assert store.migrated_from == 1
        assert store.schema_version == SCHEMA_VERSION
        df = store.codings()
        assert list(df["coding_id"]) == ["c1"] and df.iloc[0]["text"] == "been there"
        assert df.iloc[0]["batch_id"] is pd_na()
        batch = store.new_batch("search:x", actor="HT")  # a v2 feature works on the upgraded store
        assert batch.startswith("search-")
        assert store.document("d").segments[0].text == "been there"


def pd_na():
    import pandas as pd

    return pd.NA


def test_schema_every_step_applies_in_order_from_empty(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    assert migrate(conn) == sorted(MIGRATIONS)
    assert schema_version(conn) == SCHEMA_VERSION
    assert migrate(conn) == []  # idempotent
    conn.close()


def test_schema_a_newer_store_is_refused_with_advice(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match=r"\[E010\].*Upgrade thematic"):
        Store(db)


def test_schema_failed_step_leaves_the_store_at_the_previous_version(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "old.db"
    build_v1_store(db)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE batches (x)")
        raise sqlite3.OperationalError("disk on fire")

    monkeypatch.setitem(MIGRATIONS, 2, broken)
    with pytest.raises(sqlite3.OperationalError):
        Store(db)
    conn = sqlite3.connect(db)
    assert schema_version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='batches'").fetchone()[0] == 0
    conn.close()
