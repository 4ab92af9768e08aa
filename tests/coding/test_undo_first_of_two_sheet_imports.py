"""Undoing the first of two imports of a sheet keeps the codings the second import ticked again.

A sheet imported twice by mistake: the second import finds every tick already stored ("unchanged") and
records its rows as seen. Undoing the first import then removed SO's codings while her rows stayed seen
through the second import's record, so agreement read every tick of her sheet as "not applied" (kappa 1.00
to 0.00, no warning). Now an import logs a ``confirm`` event for each stored coding its sheet ticked again,
and undoing the earlier batch keeps such a coding, handing it to the later import's batch (so undoing that
one as well removes it, with the coverage that came with it). Coverage never stands without its ticks.
"""

from __future__ import annotations


import pytest

from coding.manual_support import codebook, coder_codings, edit_sheet, fill_store
from thematic.coding.sheet import export_sheet, import_sheet


@pytest.fixture
def filled(store):
    return fill_store(store)


def _so(store) -> list[tuple[str, str]]:  # noqa: ANN001
    return coder_codings(store, "SO")


def test_undoing_the_first_of_two_imports_keeps_what_the_second_ticked(filled, tmp_path) -> None:
    cb = codebook()
    blank = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    sheet = edit_sheet(blank, {("int-01:1", "funding"): "x", ("int-02:3", "generativity"): "x"}, tmp_path / "SO-done.xlsx")
    first = import_sheet(filled, sheet, coder="SO", codebook=cb)
    second = import_sheet(filled, sheet, coder="SO", codebook=cb)     # again, by mistake
    assert (first.added, second.added, second.unchanged) == (2, 0, 2)
    ticked = [("int-01:1", "funding"), ("int-02:3", "generativity")]

    done = filled.revert_batch(first.batch_id, actor="SO")
    assert done.removed == 0 and done.reconfirmed == 2
    assert _so(filled) == ticked                                     # the second import still says so
    assert len(filled.coverage("SO")) == 4
    batches = filled.batches().set_index("batch_id")
    assert int(batches.loc[second.batch_id, "n_codings"]) == 2

    again = filled.revert_batch(second.batch_id, actor="SO")          # both undone: nothing of SO's is left
    assert again.removed == 2
    assert _so(filled) == [] and filled.coverage("SO").empty
    assert filled.replay_events()["coder"].eq("SO").sum() == 0


def test_a_later_sheet_that_left_the_code_empty_does_not_keep_it(filled, tmp_path) -> None:
    cb = codebook()
    blank = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    other = export_sheet(filled, tmp_path / "SO-other.xlsx", coder="SO", codebook=cb).path  # another export
    ticked = edit_sheet(blank, {("int-01:1", "funding"): "x"}, tmp_path / "SO-a.xlsx")
    first = import_sheet(filled, ticked, coder="SO", codebook=cb)
    second = import_sheet(filled, other, coder="SO", codebook=cb)     # exported before the tick: cannot untick
    assert (first.added, second.removed, second.kept) == (1, 0, 1) and _so(filled) == [("int-01:1", "funding")]

    done = filled.revert_batch(first.batch_id, actor="SO")
    assert (done.removed, done.reconfirmed) == (1, 0)                # the second sheet never ticked it
    assert _so(filled) == []


def test_a_confirming_import_undone_first_keeps_nothing_back(filled, tmp_path) -> None:
    cb = codebook()
    blank = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    sheet = edit_sheet(blank, {("int-01:1", "funding"): "x"}, tmp_path / "SO-done.xlsx")
    first = import_sheet(filled, sheet, coder="SO", codebook=cb)
    second = import_sheet(filled, sheet, coder="SO", codebook=cb)
    assert filled.revert_batch(second.batch_id, actor="SO").removed == 0
    assert _so(filled) == [("int-01:1", "funding")]                  # the first import still stands
    done = filled.revert_batch(first.batch_id, actor="SO")
    assert (done.removed, done.reconfirmed) == (1, 0)
    assert _so(filled) == [] and filled.coverage("SO").empty
