"""A review of segments a coder recorded as seen through a sheet must not replace that record.

``mark_seen`` upserted: the review's record replaced source ``sheet`` with ``review`` and kept the
sheet's batch id. The coder's document then read as "coded throughout" (a review's record says
nothing of which turns were read), so ``evaluate --coder SO`` went from 3 units (the 3 turns SO saw)
to 8; and undoing the sheet import un-saw the turns SO had reviewed since.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from coding.assisted_support import interview
from thematic.store import Store

from .tiny_study import CODEBOOK, cli


def _tiny_study(study) -> Path:  # noqa: ANN001
    """One interview of 8 participant turns, each naming funding; a 2-code keyword codebook; coders HT, SO."""
    root = study.root
    study.close()
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("coders = []", 'coders = ["HT", "SO"]'), encoding="utf-8")
    lines = []
    for i in range(1, 9):
        lines += [f"Interviewer: What happened next, part {i}?",
                  f"Dean: The funding was the problem again, time number {i}, and nothing else."]
    (root / "data" / "raw" / "interview-alpha.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _coverage(root: Path) -> dict[str, str]:
    with Store(root / "data" / "coded" / "thematic.db") as store:
        cov = store.coverage("SO")
    return dict(zip(cov["segment_id"], cov["source"]))


def _n_units(root: Path, tmp_path: Path) -> int:
    out = tmp_path / "ev.json"
    cli(root, "evaluate", "--coder", "SO", "--suggesters", "rules", "--format", "json", "--out", str(out))
    return int(json.loads(out.read_text(encoding="utf-8"))["n_units"])


def test_a_review_keeps_the_sheet_record_and_undoing_the_sheet_keeps_the_reviewed_turns_seen(study, tmp_path) -> None:  # noqa: ANN001
    root = _tiny_study(study)
    cli(root, "code", "--suggesters", "rules")
    sheet = tmp_path / "so.xlsx"
    cli(root, "export", "sheet", "--coder", "SO", "--document", "interview-alpha", "--out", str(sheet))
    wb = openpyxl.load_workbook(sheet)
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    ws.delete_rows(5, ws.max_row)  # SO read only the first 3 turns of 8
    ws.cell(2, header.index("money") + 1).value = "x"
    wb.save(sheet)
    out = cli(root, "import", "sheet", str(sheet), "--coder", "SO")
    seen = _coverage(root)
    assert len(seen) == 3 and set(seen.values()) == {"sheet"}, out
    assert _n_units(root, tmp_path) == 3

    cli(root, "review", "--reviewer", "SO", stdin="r\nr\nr\nq\n")  # rejects the suggestions on those 3 turns
    assert _coverage(root) == seen  # the first record is kept: a review does not downgrade it
    assert _n_units(root, tmp_path) == 3  # before: 8, every unread turn scored as coded "nothing"

    with Store(root / "data" / "coded" / "thematic.db") as store:
        batch = next(b for b in store.batches().itertuples() if str(b.kind).startswith("sheet"))
    undo = cli(root, "undo", str(batch.batch_id))
    assert "no longer recorded as seen" not in undo  # all 3 turns were seen by the review too
    after = _coverage(root)
    assert set(after) == set(seen) and set(after.values()) == {"review"}


def test_store_keeps_each_record_first_source_wins_and_undo_unsees_only_what_nothing_else_saw(store) -> None:  # noqa: ANN001
    store.save_document(interview("d", ["one", "two", "three", "four"]))  # participant turns d:1, d:3, d:5, d:7
    sheet = store.new_batch("sheet:so.xlsx", actor="SO")
    store.mark_seen(["d:1", "d:3", "d:5"], coder="SO", source="sheet", batch_id=sheet)
    first = store.coverage("SO").set_index("segment_id")["seen_at"].to_dict()
    assert store.mark_seen(["d:1", "d:3", "d:7"], coder="SO", source="review") == 3
    cov = store.coverage("SO")
    assert list(cov["segment_id"]) == ["d:1", "d:3", "d:5", "d:7"]  # one row per segment
    assert dict(zip(cov["segment_id"], cov["source"])) == {"d:1": "sheet", "d:3": "sheet", "d:5": "sheet",
                                                          "d:7": "review"}
    assert {k: v for k, v in zip(cov["segment_id"], cov["seen_at"]) if k in first} == first  # first time kept

    undone = store.revert_batch(sheet, actor="SO")
    assert undone.unseen == 1  # d:5 only: d:1 and d:3 were seen by the review as well
    cov = store.coverage("SO")
    assert dict(zip(cov["segment_id"], cov["source"])) == {"d:1": "review", "d:3": "review", "d:7": "review"}
    assert store.has_seen("d:1", "SO") and not store.has_seen("d:5", "SO")
    assert store.unmark_seen(["d:1", "d:3"], coder="SO") == 2  # segments, not records
    assert list(store.coverage("SO")["segment_id"]) == ["d:7"]


def test_a_store_of_the_previous_schema_keeps_its_seen_records(tmp_path) -> None:  # noqa: ANN001
    import sqlite3

    db = tmp_path / "old.db"
    with Store(db) as store:
        store.save_document(interview("d", ["one", "two"]))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TABLE coverage")  # back to coverage as schemas 3 to 6 made it: one row per (coder, segment)
    conn.execute("CREATE TABLE coverage (coder TEXT NOT NULL, segment_id TEXT NOT NULL, document_id TEXT NOT NULL, "
                 "source TEXT NOT NULL, seen_at TEXT NOT NULL, batch_id TEXT, PRIMARY KEY (coder, segment_id))")
    conn.execute("DROP TABLE parked_records")  # made by schema 8
    conn.execute("PRAGMA user_version = 6")
    conn.execute("INSERT INTO batches VALUES ('b1', 'sheet:x', 'SO', '{}', 't', NULL)")
    conn.execute("INSERT INTO coverage VALUES ('SO', 'd:1', 'd', 'sheet', '2024-01-01', 'b1')")
    conn.close()
    with Store(db) as store:
        assert store.migrated_from == 6
        store.mark_seen(["d:1", "d:3"], coder="SO", source="review")
        cov = store.coverage("SO")
        assert dict(zip(cov["segment_id"], cov["source"])) == {"d:1": "sheet", "d:3": "review"}
        assert store.revert_batch("b1", actor="SO").unseen == 0
        assert list(store.coverage("SO")["source"]) == ["review", "review"]
