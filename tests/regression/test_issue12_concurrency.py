"""Issue 12 acceptance: two ingests, two reviewers, a `thematic code` run and a manual coder, all at once.

Every process starts at one barrier on the same study. Afterwards: no write is lost (every manual
coding that reported success is stored, every review decision that reported success stands and
each suggestion was decided exactly once), no pseudonym is lost or given twice, the codings table
equals a replay of the event log, and every failure any process saw is a coded error.
"""

from __future__ import annotations

import multiprocessing as mp
import re

import pytest

from thematic.models import Coding, Provenance

from .test_issue12_key_race import check_key, names, write_files

CODED = re.compile(r"^\[[EW]\d{3}\]")
CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- id: support
  label: Support
  definition: Support.
codes:
- id: trust
  label: Trust
  parent: support
  definition: Trusting someone.
  keywords: [trust, trusted]
- id: help
  label: Help
  parent: support
  definition: Being helped.
  keywords: [help, helped]
"""


def _outcome(fn, *args, **kwargs) -> str:  # noqa: ANN001
    from thematic.errors import ThematicError

    try:
        fn(*args, **kwargs)
        return "ok"
    except ThematicError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - recorded: the test fails on any uncoded error
        return f"UNCODED {type(exc).__name__}: {exc}"


def _worker(role: str, root: str, payload: list, barrier, out) -> None:  # noqa: ANN001
    from thematic.coding.review import decide
    from thematic.coding.run import code
    from thematic.study import Study

    study = Study(root)
    barrier.wait()
    results: list[tuple[str, str]] = []
    if role.startswith("ingest"):
        results.append((role, _outcome(study.ingest, payload)))
    elif role in {"AB", "CD"}:
        decision = "accept" if role == "AB" else "reject"
        results += [(cid, _outcome(decide, study.store, cid, decision, reviewer=role)) for cid in payload]
    elif role == "code":
        results.append((role, _outcome(code, study, suggesters=["rules"])))
    else:
        results += [(seg, _outcome(study.code, seg, "help", coder="EF")) for seg in payload]
    study.close()
    out.put((role, results))


@pytest.mark.skipif("fork" not in mp.get_all_start_methods(), reason="needs fork")
def test_issue12_everyone_at_once_loses_nothing(study) -> None:
    study.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    people = names(40)
    first = write_files(study.paths.raw, people[:8])
    assert study.ingest().ok
    segs = study.store.segments()
    answers = segs[~segs["is_interviewer"].astype(bool)]
    suggestions = []
    for row in answers.itertuples():
        c = Coding(row.document_id, int(row.start), int(row.end), "trust", "thematic.rules.v1", status="suggested",
                   text=row.text, segment_id=row.segment_id, confidence=0.5,
                   provenance=Provenance("suggester", "thematic.rules.v1", {}))
        suggestions.append(c)
    study.store.add_codings(suggestions)
    ids = [c.id for c in suggestions]
    manual_targets = answers["segment_id"].astype(str).tolist()
    (study.paths.raw / "later").mkdir()
    later = write_files(study.paths.raw / "later", people[8:])
    work = {"ingest-1": [str(p) for p in later[0::2]], "ingest-2": [str(p) for p in later[1::2]],
            "AB": ids, "CD": ids, "code": [], "EF": manual_targets}
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(len(work)), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(role, str(study.root), items, barrier, out))
             for role, items in work.items()]
    for p in procs:
        p.start()
    got = dict(out.get(timeout=600) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    failures = [(role, r) for role, rows in got.items() for _, r in rows if r != "ok"]
    assert all(CODED.match(r) for _, r in failures), failures  # every failure is a coded error
    assert all(r.startswith("[E036]") for role, r in failures if role in {"AB", "CD"}), failures
    assert got["ingest-1"][0][1] == got["ingest-2"][0][1] == "ok"

    # no lost write: manual codings, review decisions, ingests
    store = study.store
    manual = store.codings(coder="EF", code="help")
    assert sorted(manual["segment_id"].astype(str)) == sorted(s for s, r in got["EF"] if r == "ok")
    events = store.events()
    for i, cid in enumerate(ids):
        ab, cd = got["AB"][i][1], got["CD"][i][1]
        assert (ab == "ok") != (cd == "ok"), (cid, ab, cd)
        status = store.coding(cid)["status"]
        assert status == ("accepted" if ab == "ok" else "rejected")
        assert len(events[(events["coding_id"] == cid) & events["kind"].isin(["accept", "reject"])]) == 1
    check_key(study, people)  # no pseudonym lost or duplicated, and the text uses the key's
    assert len(store.documents()) == len(first) + len(later)
    from thematic.models import CODING_STATUSES

    table = store.codings(status=list(CODING_STATUSES))
    replay = store.replay_events()
    assert set(table["coding_id"]) == set(replay["coding_id"])
    assert dict(zip(table["coding_id"], table["status"])) == dict(zip(replay["coding_id"], replay["status"]))
