"""Undoing a sheet import keeps a memo written since, as it keeps a status decided since.

Undo put back the memo from before the import whatever had happened to it since: a coder who wrote the final
memo by hand (`thematic code add ... --memo`, or a later sheet) after the import lost it when the import was
undone. Now a memo goes back only while it is still what the import wrote; a newer one stays, and the undo
counts it (``BatchUndo.memos_kept``).
"""

from __future__ import annotations

import pytest

from coding.manual_support import codebook, edit_sheet, fill_store
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet


@pytest.fixture
def filled(store):
    fill_store(store)
    code(store, "int-01:1", "funding", coder="SO", codebook=codebook(), memo="M0 first thought")
    return store


def _memo(store) -> str:
    return str(store.codings(coder="SO")["memo"].iloc[0])


def _import_memo(store, tmp_path, name: str, memo: str) -> str:
    path = export_sheet(store, tmp_path / name, coder="SO", codebook=codebook()).path
    edit_sheet(path, {("int-01:1", "memo"): memo})
    report = import_sheet(store, path, coder="SO", codebook=codebook())
    assert report.memos == 1
    return str(report.batch_id)


def test_a_memo_written_by_hand_since_the_import_stays(filled, tmp_path) -> None:
    batch = _import_memo(filled, tmp_path, "SO.xlsx", "M1 written in the sheet")
    code(filled, "int-01:1", "funding", coder="SO", codebook=codebook(), memo="M2 final memo by hand")
    done = filled.revert_batch(batch, actor="SO")
    assert _memo(filled) == "M2 final memo by hand"
    assert (done.memos, done.memos_kept) == (0, 1)


def test_a_memo_a_later_sheet_wrote_stays_when_the_first_import_is_undone(filled, tmp_path) -> None:
    first = _import_memo(filled, tmp_path, "SO-1.xlsx", "M1 written in the sheet")
    _import_memo(filled, tmp_path, "SO-2.xlsx", "M2 written in a later sheet")
    done = filled.revert_batch(first, actor="SO")
    assert _memo(filled) == "M2 written in a later sheet"
    assert done.memos_kept == 1


def test_a_memo_still_as_the_import_wrote_it_goes_back(filled, tmp_path) -> None:
    batch = _import_memo(filled, tmp_path, "SO.xlsx", "M1 written in the sheet")
    done = filled.revert_batch(batch, actor="SO")
    assert _memo(filled) == "M0 first thought"
    assert (done.memos, done.memos_kept) == (1, 0)
