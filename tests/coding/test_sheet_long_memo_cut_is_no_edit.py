"""A memo longer than a spreadsheet cell holds, cut in a coding sheet, is no edit when the sheet comes back.

A cell holds at most 32,767 characters, so a coding sheet cut a longer memo (pasted field notes, or two long
memos of one turn joined with "; ") to that length, ending in "…", and said nothing. Importing the sheet back
untouched then took the cut cell for an edit: the long memo was stored cut, and both codings of the turn got the
same cut join of their two memos. Now a memo cell that shows what the export wrote, cut or whole, changes no
memo, and the export warns (W397) naming the rows whose memo cell was cut.
"""

from __future__ import annotations

import openpyxl
import pytest

from coding.manual_support import codebook, edit_sheet, fill_store
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet

LONG = "field notes " + "x" * 39_000
PAY = "PAY NOTE " + "p" * 20_000
FEAR = "FEAR NOTE " + "f" * 20_000


@pytest.fixture
def long_memos(store):
    fill_store(store)
    cb = codebook()
    code(store, "int-01:1", "funding", coder="SO", codebook=cb, memo=LONG)
    code(store, "int-01:3", "funding", coder="SO", codebook=cb, memo=PAY)
    code(store, "int-01:3", "security_vetting", coder="SO", codebook=cb, memo=FEAR)
    return store


def _memos(store) -> dict[tuple[str, str], str]:
    c = store.codings(coder="SO")
    return {(s, k): m for s, k, m in zip(c["segment_id"], c["code_id"], c["memo"])}


def test_the_export_warns_naming_the_rows_whose_memo_was_cut(long_memos, tmp_path) -> None:
    with pytest.warns(UserWarning, match=r"\[W397\]") as caught:
        path = export_sheet(long_memos, tmp_path / "SO.xlsx", coder="SO", codebook=codebook()).path
    message = str(next(w.message for w in caught if "[W397]" in str(w.message)))
    assert "int-01:1" in message and "int-01:3" in message and "SO.xlsx" in message
    ws = openpyxl.load_workbook(path)["coding"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert f"row {rows['int-01:1']}" in message and f"row {rows['int-01:3']}" in message
    assert f"row {rows['int-02:1']}" not in message


def test_an_untouched_sheet_changes_no_long_memo(long_memos, tmp_path) -> None:
    before = _memos(long_memos)
    with pytest.warns(UserWarning, match=r"\[W397\]"):
        path = export_sheet(long_memos, tmp_path / "SO.xlsx", coder="SO", codebook=codebook()).path
    report = import_sheet(long_memos, path, coder="SO", codebook=codebook())
    assert report.memos == 0
    assert _memos(long_memos) == before
    assert before[("int-01:3", "funding")] == PAY and before[("int-01:1", "funding")] == LONG


def test_a_cut_memo_cell_the_coder_rewrote_is_still_an_edit(long_memos, tmp_path) -> None:
    with pytest.warns(UserWarning, match=r"\[W397\]"):
        path = export_sheet(long_memos, tmp_path / "SO.xlsx", coder="SO", codebook=codebook()).path
    edit_sheet(path, {("int-01:1", "memo"): "shorter notes"})
    report = import_sheet(long_memos, path, coder="SO", codebook=codebook())
    assert report.memos == 1
    assert _memos(long_memos)[("int-01:1", "funding")] == "shorter notes"
    assert _memos(long_memos)[("int-01:3", "funding")] == PAY


def test_a_sheet_with_no_long_memo_warns_nothing(store, tmp_path, recwarn) -> None:
    fill_store(store)
    code(store, "int-01:1", "funding", coder="SO", codebook=codebook(), memo="short")
    export_sheet(store, tmp_path / "SO.xlsx", coder="SO", codebook=codebook())
    assert not [w for w in recwarn if "[W397]" in str(w.message)]
