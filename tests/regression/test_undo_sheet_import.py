"""Undoing a sheet import undoes all of it: additions, unticks, memo edits and the "seen" records.

Before, only the additions went: the coder still counted as having seen every row with nothing
applied, and agreement fell (pooled kappa 0.48 to -0.01 in a new user's study) without a warning.
"""

from __future__ import annotations


import pytest

from coding.manual_support import codebook, edit_sheet, fill_store
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet


@pytest.fixture
def filled(store):
    return fill_store(store)


def test_undoing_a_sheet_import_restores_the_state_before_it(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb, memo="first memo")
    filled.mark_seen(["int-01:1"], coder="SO", source="widget")  # seen before the import: stays seen
    before_codings = filled.codings(coder="SO")[["coding_id", "code_id", "memo"]].to_dict("records")
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    edit_sheet(path, {("int-01:1", "funding"): None, ("int-01:3", "generativity"): "x",
                 ("int-01:3", "memo"): "new memo"})
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert (report.added, report.removed) == (1, 1) and report.batch_id
    assert set(filled.coverage("SO")["segment_id"]) == {"int-01:1", "int-01:3", "int-02:1", "int-02:3"}

    undone = filled.revert_batch(report.batch_id, actor="SO")
    assert (undone.removed, undone.restored, undone.unseen) == (1, 1, 3)
    assert filled.codings(coder="SO")[["coding_id", "code_id", "memo"]].to_dict("records") == before_codings
    assert set(filled.coverage("SO")["segment_id"]) == {"int-01:1"}
    assert filled.replay_events()[["coding_id", "code_id"]].to_dict("records") == [
        {"coding_id": r["coding_id"], "code_id": r["code_id"]} for r in before_codings]


def test_an_import_that_only_unticks_or_marks_seen_is_still_a_batch(filled, tmp_path) -> None:
    cb = codebook()
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    report = import_sheet(filled, path, coder="SO", codebook=cb)  # nothing ticked: rows seen only
    assert report.added == 0 and report.seen == 4 and report.batch_id
    assert filled.undo_batch(report.batch_id, actor="SO") == 0
    assert filled.coverage("SO").empty
