"""Reads that make one report see the store at one moment, whatever another process commits meanwhile.

What was wrong: the store's connection runs in autocommit, so each SELECT saw the store as it was when that
SELECT began. ``Store.counts()`` (``thematic status``) runs eight of them and ``load_frames`` (tables, exports,
reports, agreement) five, so a write committed by a notebook or another command between two of them gave one
report two moments: "codings N" above a table by coder that summed to N+1, or coverage from before a sheet
import beside its codings from after.

What is true now: ``Store.snapshot()`` holds one read transaction (in WAL mode one snapshot, which blocks no
writer) across the reads inside it; ``counts()`` and ``load_frames`` read inside one, and a write committed
meanwhile is seen once the snapshot ends. A snapshot inside a write transaction joins it, one inside another
joins it, and a write inside a snapshot ends it and takes the write lock as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.analysis import load_frames
from thematic.models import Coding, Provenance
from thematic.store import Store

from test_db import make_doc


def _coding(coder: str, code: str = "c1") -> Coding:
    return Coding(document_id="int-01", start=24, end=28, code_id=code, coder=coder, status="manual",
                  text="have", provenance=Provenance("manual"))


@pytest.fixture
def two(tmp_path: Path):
    """Two Stores on one file, as a CLI run and a notebook would have; the writer gives up after 2 s of waiting."""
    reader = Store(tmp_path / "thematic.db")
    reader.save_document(make_doc())
    reader.add_codings([_coding("HT")])
    writer = Store(tmp_path / "thematic.db", timeout=2)
    yield reader, writer
    writer.close()
    reader.close()


def _on_statement(store: Store, marker: str, action: Callable[[], None]) -> None:
    """Run ``action`` once, just before ``store`` runs the first statement whose SQL holds ``marker``."""
    done: list[bool] = []

    def trace(sql: str) -> None:
        if marker in sql and not done:
            done.append(True)
            action()

    store._conn.raw.set_trace_callback(trace)


def test_reads_inside_a_snapshot_see_one_moment_and_the_write_after_it_ends(two) -> None:
    reader, writer = two
    with reader.snapshot():
        before = reader.codings()["coder"].tolist()
        writer.add_codings([_coding("SO")])  # commits at once: the snapshot holds no lock a writer needs
        assert writer.codings()["coder"].tolist() == ["HT", "SO"]
        assert reader.codings()["coder"].tolist() == before == ["HT"]
        assert reader.counts()["codings"] == 1
    assert reader.codings()["coder"].tolist() == ["HT", "SO"]
    assert reader.counts()["codings"] == 2


def test_counts_totals_come_from_one_moment(two) -> None:
    reader, writer = two
    # The other process commits a coding after counts() has read the table by coder and before it counts codings.
    _on_statement(reader, "FROM documents", lambda: writer.add_codings([_coding("SO")]))
    c = reader.counts()
    by_coder = sum(n for _, _, n in c["by_status_coder"])
    by_version = sum(n for _, n in c["by_codebook_version"])
    assert writer.counts()["codings"] == 2  # the write did happen in the middle
    assert c["codings"] == by_coder == by_version == 1
    assert reader.counts()["codings"] == 2


def test_load_frames_reads_coverage_and_codings_from_one_moment(study) -> None:
    study.store.save_document(make_doc())
    study.store.add_codings([_coding("HT")])
    study.store.mark_seen(["int-01:1"], coder="HT", source="sheet")
    writer = Store(study.store.path, timeout=2)
    try:
        def import_so() -> None:  # a sheet import: the coder's codings and what they saw, in one transaction
            with writer.transaction():
                writer.add_codings([_coding("SO")])
                writer.mark_seen(["int-01:1"], coder="SO", source="sheet")

        # It commits after load_frames has read the coverage and before it reads the codings.
        _on_statement(study.store, "FROM codings ORDER BY", import_so)
        frames = load_frames(study)
        assert "SO" in set(writer.coverage()["coder"])  # the import did commit in the middle
        assert sorted(set(frames.codings["coder"])) == ["HT"]
        assert sorted(set(frames.coverage["coder"])) == ["HT"]
        study.store._conn.raw.set_trace_callback(None)
        after = load_frames(study)
        assert sorted(set(after.codings["coder"])) == sorted(set(after.coverage["coder"])) == ["HT", "SO"]
    finally:
        writer.close()


def test_a_snapshot_inside_a_write_transaction_joins_it(two) -> None:
    reader, writer = two
    with reader.transaction():
        reader.set_meta("k", "inside")
        with reader.snapshot():
            assert reader.get_meta("k") == "inside"  # its own uncommitted write
            with reader.snapshot():
                assert len(reader.codings()) == 1
        reader.add_codings([_coding("AB")])
    assert writer.get_meta("k") == "inside"
    assert sorted(writer.codings()["coder"]) == ["AB", "HT"]


def test_a_write_inside_a_snapshot_ends_it_and_is_committed(two) -> None:
    reader, writer = two
    with reader.snapshot():
        assert len(reader.codings()) == 1
        writer.add_codings([_coding("SO")])
        reader.add_codings([_coding("AB")])  # takes the write lock on the newest store, not the snapshot's
        assert sorted(reader.codings()["coder"]) == ["AB", "HT", "SO"]
        writer.add_codings([_coding("XY")])
        assert sorted(reader.codings()["coder"]) == ["AB", "HT", "SO", "XY"]
    assert sorted(writer.codings()["coder"]) == ["AB", "HT", "SO", "XY"]


def test_a_snapshot_left_by_an_error_is_ended(two) -> None:
    reader, writer = two
    with pytest.raises(KeyError):
        with reader.snapshot():
            reader.codings()
            raise KeyError("gone")
    writer.add_codings([_coding("SO")])
    assert sorted(reader.codings()["coder"]) == ["HT", "SO"]
    with reader.transaction():  # no read transaction was left open to refuse BEGIN IMMEDIATE
        reader.set_meta("k", "v")
    assert writer.get_meta("k") == "v"
