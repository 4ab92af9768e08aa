"""The consensus is written on the turns that were decided, whatever a re-ingest commits meanwhile.

What was wrong: ``import_reconcile`` read the disagreements and matched the workbook's rows to turns, then took
the write lock; and a ``thematic reconcile`` session settles each segment minutes after it read it. A transcript
re-ingested in between (a turn inserted, so later segment ids name other turns) got the consensus codings,
its decisions and its "seen" records on the turn that NOW has the decided segment's id: a decision on
"Family life and the job both want my time" was stored on "There is never enough time ...".

What is true now: ``import_reconcile`` reads, matches and writes inside one write transaction, so a re-ingest
that commits while it waits for the lock is read by it (each row found on its moved turn). ``settle`` (the
terminal route and the API) checks inside its transaction that the segment still holds the turn that was read,
and stores nothing for it otherwise, with E540 saying another command changed the store and to run
``thematic reconcile`` again; a segment the re-ingest left as it was settles as usual.

Real store, real transcripts ingested in tmp_path, a real .xlsx workbook filled with openpyxl; the re-ingest runs
on a second Study (its own connection, as another process has), in the import's case at the moment the importing
store asks for the write lock (``coding.concurrent_support``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import openpyxl
import pytest

from coding.concurrent_support import as_it_takes_the_lock, stale
from regression.unlike_example import ANA_INSERTED, write_study
from thematic.errors import InputError
from thematic.export.tables import write_table
from thematic.reconcile import import_reconcile, reconcile_items, reconcile_table, settle
from thematic.study import Study

PAIR = ["HT", "SO"]
FAMILY = "Family life and the job both want my time."


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Study, Study]]:
    """HT coded every participant turn time_pressure, SO none; both saw them all. Opened twice."""
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    ids = list(study.segments(include_interviewer=False)["segment_id"])
    for sid in ids:
        study.code(sid, "time_pressure", coder="HT")
    for coder in PAIR:
        study.mark_seen(ids, coder=coder)
    other = Study(root)
    yield study, other
    other.close()
    study.close()


def _reingest(study: Study, other: Study) -> dict[str, str]:
    (study.root / "data" / "raw" / "ana.txt").write_text(ANA_INSERTED, encoding="utf-8")
    return {r.document_id: r.status for r in other.ingest().rows}


def _consensus(study: Study) -> tuple[set[tuple[str, str]], set[str], set[str]]:
    """The consensus codings (turn's words, code), the turns it saw and the turns it has decisions on."""
    segs = study.segments().set_index("segment_id")
    cons = study.store.codings(coder="consensus")
    words = lambda ids: {str(segs.loc[str(s), "text"]) for s in ids}  # noqa: E731
    return ({(str(segs.loc[s, "text"]), str(c)) for s, c in zip(cons["segment_id"], cons["code_id"])},
            words(study.store.coverage("consensus")["segment_id"]), words(study.store.decisions()["segment_id"]))


def test_a_reingest_committed_as_the_workbook_import_takes_the_lock_is_read_by_it(two, tmp_path: Path) -> None:
    study, other = two
    book = write_table(reconcile_table(reconcile_items(study.store, coders=PAIR), PAIR), tmp_path / "decide.xlsx",
                       format="xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    cols = {c.value: c.column for c in ws[1]}
    turns = set()
    for r in range(2, ws.max_row + 1):
        text = ws.cell(r, cols["text"]).value
        turns.add(text)
        ws.cell(r, cols["decision"]).value = "time_pressure" if text == FAMILY else "none"
    wb.save(book)
    assert FAMILY in turns and len(turns) == 5

    with as_it_takes_the_lock(study, lambda: _reingest(study, other)) as done:
        report = import_reconcile(study.store, book, decided_by="HT")
    assert done == [{"ana": "changed", "david": "unchanged"}]
    assert report.settled == 5 and report.skipped == []
    codings, seen, decided = _consensus(study)
    assert codings == {(FAMILY, "time_pressure")}
    assert seen == decided == turns
    assert stale(study) == []


def test_settling_a_segment_a_reingest_gave_to_another_turn_stores_nothing_and_says_so(two) -> None:
    study, other = two
    items = {i.text: i for i in reconcile_items(study.store, coders=PAIR)}  # the session reads its items ...
    assert _reingest(study, other) == {"ana": "changed", "david": "unchanged"}  # ... another command re-ingests
    family = items[FAMILY]
    with pytest.raises(InputError) as caught:
        settle(study.store, family, ["time_pressure"], coders=PAIR, consensus="consensus", decided_by="HT",
               route="terminal")
    message = str(caught.value)
    assert message.startswith("[E540]") and f"'{family.segment_id}'" in message
    assert "another command" in message and "thematic reconcile" in message
    assert _consensus(study) == (set(), set(), set())

    david = next(i for t, i in items.items() if i.document_id == "david")  # a turn the re-ingest left alone
    settle(study.store, david, ["time_pressure"], coders=PAIR, consensus="consensus", decided_by="HT",
           route="terminal")
    assert _consensus(study)[0] == {(david.text, "time_pressure")}
