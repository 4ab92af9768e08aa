"""A turn reconcile settled as "coded alike" is offered again once a coder changes their coding there.

Before, ``reconcile_items`` skipped every turn the consensus had seen and a turn settled as coded alike
left no decision behind, so when SO later took 'funding' off such a turn (a corrected sheet, ``code
remove``), ``thematic reconcile`` said "0 disputed", the decision workbook had no row for it and the
consensus kept a code one coder now rejects, with nothing in ``store.decisions()``. Now a settled turn
whose coders' codings no longer match what the consensus settled (a code now disputed, or agreed codes
that differ from the consensus's, with no decision logged for that code there) is offered again: the
terminal asks about it after warning W604, the workbook lists it, and its decision is logged.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from coding.manual_support import codebook, fill_study
from thematic.cli.main import app
from thematic.export.tables import write_table
from thematic.reconcile import import_reconcile, reconcile_items, reconcile_table, settle, settle_agreed
from thematic.study import Study

PAIR = ["HT", "SO"]


def _settled_alike(study) -> None:  # noqa: ANN001
    fill_study(study)
    for seg in ("int-01:1", "int-01:3"):
        study.code(seg, "funding", coder="HT")
        study.code(seg, "funding", coder="SO")
    study.mark_seen(["int-01:1", "int-01:3"], coder="HT")
    study.mark_seen(["int-01:1", "int-01:3"], coder="SO")
    items = reconcile_items(study.store, coders=PAIR)
    assert settle_agreed(study.store, items, coders=PAIR, consensus="consensus", decided_by="HT", route="api") == 2
    assert reconcile_items(study.store, coders=PAIR) == []
    study.uncode("int-01:1", "funding", coder="SO")          # SO corrects her coding afterwards


def _consensus(study) -> list[tuple[str, str]]:  # noqa: ANN001
    c = study.codings(coder="consensus")
    return sorted(zip(c["segment_id"], c["code_id"]))


def test_the_changed_turn_is_offered_again_and_its_decision_logged(study) -> None:  # noqa: ANN001
    _settled_alike(study)
    items = reconcile_items(study.store, coders=PAIR)
    assert [(i.segment_id, i.disputed, i.reopened) for i in items] == [("int-01:1", {"funding": "HT"}, True)]
    settle(study.store, items[0], (), coders=PAIR, consensus="consensus", decided_by="HT", route="api",
           memo="SO is right")
    assert _consensus(study) == [("int-01:3", "funding")]
    decisions = study.store.decisions()
    assert list(zip(decisions["segment_id"], decisions["code_id"], decisions["applied"])) == [
        ("int-01:1", "funding", 0)]
    assert reconcile_items(study.store, coders=PAIR) == []    # decided now: not offered a third time


def test_both_coders_dropping_a_code_resettles_the_turn_at_once(study) -> None:  # noqa: ANN001
    _settled_alike(study)
    study.uncode("int-01:1", "funding", coder="HT")          # now both say 'funding' does not apply
    items = reconcile_items(study.store, coders=PAIR)
    assert [(i.segment_id, i.agreed, i.disputed, i.reopened) for i in items] == [("int-01:1", (), {}, True)]
    assert settle_agreed(study.store, items, coders=PAIR, consensus="consensus", decided_by="HT", route="api") == 1
    assert _consensus(study) == [("int-01:3", "funding")]
    assert reconcile_items(study.store, coders=PAIR) == []


def test_the_decision_workbook_lists_it_and_its_decision_is_applied(study, tmp_path: Path) -> None:  # noqa: ANN001
    _settled_alike(study)
    items = reconcile_items(study.store, coders=PAIR)
    book = write_table(reconcile_table(items, PAIR), tmp_path / "decide.xlsx", format="xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == ["int-01:1"]
    ws.cell(2, header.index("decision") + 1).value = "funding"  # the team keeps HT's code
    wb.save(book)
    report = import_reconcile(study.store, book, decided_by="HT", codebook=codebook())
    assert (report.settled, report.unchanged, report.changed) == (1, 0, 0)
    assert _consensus(study) == [("int-01:1", "funding"), ("int-01:3", "funding")]
    decisions = study.store.decisions()
    assert list(zip(decisions["segment_id"], decisions["code_id"], decisions["applied"])) == [
        ("int-01:1", "funding", 1)]
    assert reconcile_items(study.store, coders=PAIR) == []


def test_the_terminal_warns_and_asks_about_it(study) -> None:  # noqa: ANN001
    _settled_alike(study)
    root = study.root
    study.close()
    result = CliRunner().invoke(app, ["reconcile", "--coders", "HT,SO", "--by", "HT", "--study", str(root)],
                                input="n\nSO is right\n", env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "[W604]" in result.output and "int-01:1" in result.output
    assert "1 disputed" in result.output and "Done: 1 settled" in result.output
    with Study(root) as s:
        assert _consensus(s) == [("int-01:3", "funding")]
        assert len(s.store.decisions()) == 1
