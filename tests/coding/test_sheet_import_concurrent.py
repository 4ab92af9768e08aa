"""A sheet import plans from what is stored when it writes, whatever another command commits meanwhile.

What was wrong: ``import_sheet`` read the segments and the coder's codings, matched the rows to turns and
planned the writes, then made its pre-import backup (seconds on a large store), and only then took the write
lock. A command that committed in between was not seen:

- a transcript re-ingested meanwhile got the coder's ticks at the OLD offsets on the NEW text (another
  passage, straddling turns), unflagged;
- the same sheet imported twice at once: the later import planned from a read without the other's ticks,
  found them stored at write time, counted them "unchanged" and logged no ``confirm``, so undoing the first
  import removed every coding while the later batch still recorded the rows as seen;
- an undo that committed while a re-import planned made the re-import fail with E013 ("not in the store").

What is true now: the import reads, plans and writes inside one write transaction (the backup is made just
before it), so a command that commits while the import waits for the lock is read by the import: the ticks
land on the re-ingested turns, a second import confirms what the first added (undoing the first keeps them),
and a re-import after an undo adds the codings again.

Real store, real transcripts ingested in tmp_path, real .xlsx sheets filled with openpyxl. The other command
runs on a second Study (its own connection, as another process has) at the moment the importing store asks
for the write lock (``coding.concurrent_support``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

import openpyxl
import pytest

from coding.concurrent_support import as_it_takes_the_lock, stale
from regression.unlike_example import ANA_INSERTED, write_study
from thematic.study import Study

TICKED = ("time_pressure", "qualitative_methods")


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Study, Study]]:
    """One study opened twice: the importing notebook, and another command (its own connection)."""
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    study.store.identity()
    other = Study(root)
    yield study, other
    other.close()
    study.close()


def _filled(study: Study, path: Path) -> Path:
    """HT's sheet with TICKED ticked on every row (Ana's three turns, David's two)."""
    sheet = study.export_sheet(path, coder="HT").path
    wb = openpyxl.load_workbook(sheet)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        for code in TICKED:
            ws.cell(r, cols[code]).value = "x"
    wb.save(sheet)
    return sheet


def _ht(study: Study) -> set[tuple[str, str]]:
    """HT's codings as (the turn's words now, code)."""
    segs = study.segments().set_index("segment_id")
    c = study.store.codings(coder="HT")
    return {(str(segs.loc[s, "text"]), str(code)) for s, code in zip(c["segment_id"], c["code_id"])}


def _every_turn(study: Study) -> set[tuple[str, str]]:
    return {(t, code) for t in study.segments(include_interviewer=False)["text"] for code in TICKED}


def test_a_reingest_committed_as_the_import_takes_the_lock_is_read_by_it(two, tmp_path: Path) -> None:
    study, other = two
    sheet = _filled(study, tmp_path / "ht.xlsx")
    on_sheet = _every_turn(study)

    def reingest() -> object:
        (study.root / "data" / "raw" / "ana.txt").write_text(ANA_INSERTED, encoding="utf-8")
        return {r.document_id: r.status for r in other.ingest().rows}

    with as_it_takes_the_lock(study, reingest) as done:
        report = study.import_sheet(sheet, coder="HT")
    assert done == [{"ana": "changed", "david": "unchanged"}]
    assert report.added == 10 and report.skipped == 0
    assert stale(study) == []
    assert _ht(study) == on_sheet  # each tick on its own turn, now at its new place
    assert study.store.codings(coder="HT")["flag"].isna().all()
    with sqlite3.connect(report.backup) as copy:  # the pre-import copy: before the import
        assert copy.execute("SELECT count(*) FROM codings WHERE coder='HT'").fetchone() == (0,)


def test_the_same_sheet_imported_twice_at_once_confirms_and_undo_keeps_the_codings(two, tmp_path: Path) -> None:
    study, other = two
    sheet = _filled(study, tmp_path / "ht.xlsx")
    with as_it_takes_the_lock(study, lambda: other.import_sheet(sheet, coder="HT")) as done:
        second = study.import_sheet(sheet, coder="HT")
    first = done[0]
    assert (first.added, second.added, second.unchanged) == (10, 0, 10)
    events = study.store.events()
    confirmed = events.loc[(events["batch_id"] == second.batch_id) & (events["kind"] == "confirm")]
    assert len(confirmed) == 10

    undone = study.store.revert_batch(first.batch_id, actor="HT")  # the import that added them
    assert (undone.removed, undone.reconfirmed) == (0, 10)
    assert _ht(study) == _every_turn(study)  # the standing import still says so
    assert len(study.store.coverage("HT")) == 5
    again = study.store.revert_batch(second.batch_id, actor="HT")
    assert again.removed == 10 and study.store.codings(coder="HT").empty and study.store.coverage("HT").empty


def test_an_undo_committed_as_a_reimport_takes_the_lock_is_read_by_it(two, tmp_path: Path) -> None:
    study, other = two
    sheet = _filled(study, tmp_path / "ht.xlsx")
    first = study.import_sheet(sheet, coder="HT")
    with as_it_takes_the_lock(study, lambda: other.store.revert_batch(first.batch_id, actor="HT")) as done:
        again = study.import_sheet(sheet, coder="HT")  # E013 before: it confirmed codings the undo removed
    assert done[0].removed == 10
    assert (again.added, again.unchanged) == (10, 0)
    assert _ht(study) == _every_turn(study) and stale(study) == []
    replay = study.store.replay_events()
    assert sorted(replay.loc[replay["coder"] == "HT", "coding_id"]) == sorted(study.store.codings(coder="HT")["coding_id"])


def test_a_dry_run_still_writes_nothing_and_makes_no_backup(two, tmp_path: Path) -> None:
    study, _ = two
    sheet = _filled(study, tmp_path / "ht.xlsx")
    report = study.import_sheet(sheet, coder="HT", dry_run=True)
    assert (report.added, report.batch_id, report.backup) == (10, None, None)
    assert study.store.codings(coder="HT").empty and study.store.coverage("HT").empty
    assert study.store.batches().empty
