"""A coding sheet's memo cell, left as exported, no longer moves onto a code the coder ticked instead.

The memo cell is one per row, shared by the row's codings. When the coder unticked the row's only code
(whose memo the cell showed) and ticked another, the new coding was given the removed coding's memo, so
a note written about ``funding`` now read as a note about ``shared_experience``. A memo left as exported
now goes only to codings added beside codings the row keeps; one the coder rewrites goes to every code
the row has, as before.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from coding.manual_support import codebook, fill_store
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet


@pytest.fixture
def filled(store):
    return fill_store(store)


def _edit(path, segment: str, ticks: dict[str, object], memo: object = "unchanged") -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == segment)
    for name, value in ticks.items():
        ws.cell(row, cols[name]).value = value
    if memo != "unchanged":
        ws.cell(row, cols["memo"]).value = memo
    wb.save(path)


def _memos(store, coder: str, segment: str) -> dict[str, object]:
    rows = store.codings(coder=coder)
    rows = rows[rows["segment_id"] == segment]
    return {r.code_id: r.memo for r in rows.itertuples()}


def test_a_code_ticked_in_place_of_the_rows_only_code_gets_no_memo(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:3", "funding", coder="SO", codebook=cb, memo="grant ran out")
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    _edit(path, "int-01:3", {"funding": None, "shared_experience": "x"})
    import_sheet(filled, path, coder="SO", codebook=cb)
    memos = _memos(filled, "SO", "int-01:3")
    assert set(memos) == {"shared_experience"}
    assert pd.isna(memos["shared_experience"])
    removed = filled.events()
    assert "grant ran out" in " ".join(str(p) for p in removed["payload"])


def test_a_code_added_beside_a_kept_one_shares_the_rows_memo(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:3", "funding", coder="SO", codebook=cb, memo="grant ran out")
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    _edit(path, "int-01:3", {"shared_experience": "x"})
    import_sheet(filled, path, coder="SO", codebook=cb)
    assert _memos(filled, "SO", "int-01:3") == {"funding": "grant ran out", "shared_experience": "grant ran out"}


def test_a_rewritten_memo_goes_to_the_new_code(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:3", "funding", coder="SO", codebook=cb, memo="grant ran out")
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    _edit(path, "int-01:3", {"funding": None, "shared_experience": "x"}, memo="peers who had been inside")
    import_sheet(filled, path, coder="SO", codebook=cb)
    assert _memos(filled, "SO", "int-01:3") == {"shared_experience": "peers who had been inside"}
