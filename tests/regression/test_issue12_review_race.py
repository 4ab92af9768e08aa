"""Issue 12 item 6: two reviewers deciding the same suggestion at once: one wins, the other is told."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from coding.manual_support import fill_store, suggest
from thematic.coding.review import decide
from thematic.errors import InputError
from thematic.store import Store

CODES = ("funding", "security_vetting", "generativity", "trust", "stigma")


def _reviewer(path: str, ids: list[str], decision: str, name: str, barrier, out) -> None:  # noqa: ANN001
    store = Store(path)
    results = []
    for cid in ids:
        barrier.wait()
        try:
            decide(store, cid, decision, reviewer=name)
            results.append((cid, "ok"))
        except InputError as exc:
            results.append((cid, str(exc)))
    store.close()
    out.put((name, results))


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")
def test_issue12_concurrent_decisions_one_wins_the_other_is_told(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        fill_store(store)
        segs = store.segments()["segment_id"].astype(str).tolist()
        ids = [suggest(store, s, c, 0.5) for s in segs for c in CODES]
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_reviewer, args=(str(path), ids, d, n, barrier, out))
             for d, n in (("accept", "AB"), ("reject", "CD"))]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    with Store(path) as store:
        events = store.events()
    for i, cid in enumerate(ids):
        ab, cd = got["AB"][i][1], got["CD"][i][1]
        assert sorted([ab == "ok", cd == "ok"]) == [False, True], (cid, ab, cd)
        loser = cd if ab == "ok" else ab
        winner = "AB" if ab == "ok" else "CD"
        assert loser.startswith("[E036]") and f"by {winner}" in loser, loser
        changes = events[(events["coding_id"] == cid) & (events["kind"].isin(["accept", "reject"]))]
        assert len(changes) == 1, (cid, changes)
