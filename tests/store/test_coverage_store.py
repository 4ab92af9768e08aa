"""Schema v3: coverage, samples and decisions tables, and the upgrade of a v2 store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from thematic.errors import InputError, NotFoundError
from thematic.store import SCHEMA_VERSION, Store
from thematic.store.schema import migrate, schema_version


def build_v2_store(path: Path) -> None:
    """A store as schema version 2 wrote it: one document, two segments, one coding in a batch."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.execute("INSERT INTO documents VALUES ('d', 'd.txt', 'text', NULL, 'Ann: yes. Bob: no.', 'h', '{}', '[]', 't')")
    conn.execute("INSERT INTO segments VALUES ('d:0', 'd', 0, 5, 9, 'Ann', 'P01', 0, 'turn', NULL, NULL, NULL)")
    conn.execute("INSERT INTO segments VALUES ('d:1', 'd', 1, 15, 18, 'Bob', 'P02', 0, 'turn', NULL, NULL, NULL)")
    conn.execute("INSERT INTO batches VALUES ('b1', 'sheet:x', 'SO', '{}', 't', NULL)")
    conn.execute(
        "INSERT INTO codings VALUES ('c1', 'd', 'd:0', 5, 9, 'yes_code', 'SO', 'manual', NULL, '0.1.0',"
        " 'sheet', 'sheet:x', '{}', NULL, NULL, NULL, 'yes.', 't', 't', 'b1')")
    conn.close()


def test_v2_store_is_upgraded_to_v3_and_keeps_its_data(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    build_v2_store(db)
    with Store(db) as store:
        assert store.migrated_from == 2 and store.schema_version == SCHEMA_VERSION >= 3
        assert list(store.codings()["batch_id"]) == ["b1"]
        assert store.coverage().empty
        assert store.mark_seen(["d:0", "d:1"], coder="SO", source="api") == 2
        cov = store.coverage("SO")
        assert list(cov["segment_id"]) == ["d:0", "d:1"] and set(cov["document_id"]) == {"d"}
    conn = sqlite3.connect(db)
    assert schema_version(conn) == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"coverage", "samples", "sample_segments", "decisions"} <= tables
    conn.close()


def test_mark_seen_keeps_the_first_source_refuses_unknown_segments_and_can_be_undone(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    build_v2_store(db)
    with Store(db) as store:
        store.mark_seen(["d:0"], coder="HT", source="widget")
        store.mark_seen(["d:0"], coder="HT", source="review")
        assert list(store.coverage("HT")["source"]) == ["widget"]  # a review's record never replaces it
        with pytest.raises(NotFoundError, match=r"\[E600\].*nope"):
            store.mark_seen(["d:1", "nope"], coder="HT", source="api")
        assert list(store.coverage("HT")["segment_id"]) == ["d:0"]  # nothing written
        with pytest.raises(InputError, match=r"\[E602\]"):
            store.mark_seen(["d:1"], coder="", source="api")
        assert store.unmark_seen(["d:0"], coder="HT") == 1 and store.coverage().empty


def test_samples_are_recorded_and_resolved_by_id_or_latest(tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    build_v2_store(db)
    with Store(db) as store:
        picked = pd.DataFrame({"segment_id": ["d:1"], "document_id": ["d"], "stratum": ["d"]})
        sid = store.save_sample("SO", picked, {"fraction": 0.5, "seed": 1})
        assert store.samples().iloc[0]["n_segments"] == 1
        assert list(store.sample_segments(sid)["segment_id"]) == ["d:1"]
        assert store.resolve_sample("latest:SO") == sid == store.resolve_sample("latest")
        with pytest.raises(NotFoundError, match=r"\[E601\]"):
            store.sample_segments("latest:XX")


def test_rekey_moves_decisions_to_their_new_ids_once(tmp_path: Path) -> None:
    """Decisions follow a re-ingest's moves (a -> b, b -> c each once) and keep clean ids."""
    db = tmp_path / "s.db"
    build_v2_store(db)
    with Store(db) as store:
        base = {"consensus": "consensus", "coders": "HT,SO", "document_id": "d", "applied": True, "memo": None,
                "decided_by": "HT", "route": "terminal"}
        store.add_decisions([{**base, "segment_id": "d:0", "code_id": "yes_code"},
                             {**base, "segment_id": "d:1", "code_id": "no_code"},
                             {**base, "segment_id": "d:5", "code_id": "gone_code"}])
        store.rekey_segments("d", {"d:0": "d:1", "d:1": "d:2", "d:5": None})
        got = dict(zip(store.decisions()["code_id"], store.decisions()["segment_id"]))
    assert got == {"yes_code": "d:1", "no_code": "d:2", "gone_code": "d:5"}
