"""The store from several threads (ipykernel 7 runs widget callbacks off the main thread).

One Store object opened in one thread must work from any other, and a transaction open in one
thread must stay that thread's alone: another thread's statements wait for it rather than join it.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from thematic.models import Coding, Provenance
from thematic.store import Store

from test_db import make_doc


def _in_thread(fn, *args):
    """Run ``fn`` in a new thread; returns (result, exception)."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    assert not t.is_alive()
    return out.get("result"), out.get("error")


def _coding(start: int, coder: str = "AB", code: str = "c1") -> Coding:
    return Coding(document_id="int-01", start=start, end=start + 4, code_id=code, coder=coder, status="manual",
                  text="have", provenance=Provenance("manual"))


def test_a_store_opened_in_one_thread_reads_and_writes_from_another(store: Store) -> None:
    store.save_document(make_doc())
    result, error = _in_thread(lambda: (store.add_codings([_coding(24)]), len(store.codings()),
                                        store.segment("int-01:1").speaker))
    assert error is None, error
    assert result == ((1, 0), 1, "P01")
    assert store.codings()["coder"].tolist() == ["AB"]  # and back in the first thread


def test_another_threads_write_waits_for_an_open_transaction_and_is_not_rolled_back_with_it(store: Store) -> None:
    opened, release = threading.Event(), threading.Event()

    def first() -> None:
        with store.transaction():
            store.set_meta("first", "1")
            opened.set()
            release.wait(30)
            raise KeyError("rolled back")

    a = threading.Thread(target=lambda: pytest.raises(KeyError, first))
    a.start()
    assert opened.wait(30)
    seen: list[str | None] = []
    b = threading.Thread(target=lambda: (seen.append(store.get_meta("first")), store.set_meta("second", "2")))
    b.start()
    b.join(0.5)
    assert b.is_alive(), "the second thread ran inside the first thread's open transaction"
    release.set()
    a.join(30)
    b.join(30)
    assert seen == [None]  # it never saw the uncommitted write
    assert store.get_meta("first") is None and store.get_meta("second") == "2"


def test_many_threads_coding_at_once_lose_nothing(store: Store) -> None:
    store.save_document(make_doc())

    def work(coder: str) -> None:
        for i in range(20):
            with store.transaction():
                store.add_codings([_coding(24, coder=coder, code=f"c{i}")])
                store.set_status([store.codings(coder=coder, code=f"c{i}")["coding_id"].iloc[0]], "accepted",
                                 actor=coder)

    threads = [threading.Thread(target=work, args=(f"C{n}",)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    df = store.codings()
    assert len(df) == 120 and set(df["status"]) == {"accepted"}
    assert store.replay_events().drop(columns="updated_at").equals(df.drop(columns="updated_at"))


def test_a_second_connection_still_sees_each_threads_commits(store: Store, tmp_path: Path) -> None:
    """WAL and BEGIN IMMEDIATE are kept: another Store (a CLI run) reads what a thread committed."""
    store.save_document(make_doc())
    _in_thread(lambda: store.add_codings([_coding(24)]))
    with Store(tmp_path / "thematic.db") as other:
        assert len(other.codings()) == 1
        assert other._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_close_from_another_thread(tmp_path: Path) -> None:
    st = Store(tmp_path / "s.db")
    _result, error = _in_thread(st.close)
    assert error is None, error
