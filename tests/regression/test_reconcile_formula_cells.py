"""A formula in a reconcile workbook's ``decision`` or ``memo`` cell is reported (W621/W622), never read as empty.

The decision workbook was read with ``pd.read_excel``, so a cell holding a formula with no saved
value (what openpyxl writes for "=...", or a user typing "=HT was right") came through empty: the
decision was counted as undecided and the memo silently dropped. Such a row is now skipped with a
warning naming the file, the sheet row and the column. A memo that is text starting with "=" keeps
its exact text through import and export. Real .xlsx files written with openpyxl, fictional data
(tests/coding/manual_support.py).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.reconcile import import_reconcile
from thematic.study import Study

runner = CliRunner()


def _run(root: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def _workbook(root: Path, path: Path, cells: dict[tuple[str, str], object], *, text: set[tuple[str, str]] = frozenset()
              ) -> dict[str, int]:
    """Export the decision workbook and fill ``(segment_id, column) -> value``; returns each segment's row.

    A value whose key is in ``text`` is stored as a text cell with Excel's quote prefix (what typing
    '=... gives), else openpyxl stores a string starting with '=' as a formula with no saved value.
    """
    _run(root, "reconcile", "--coders", "HT,SO", "--out", str(path))
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if "decision" in [c.value for c in w[1]])
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, cols["segment_id"]).value: r for r in range(2, ws.max_row + 1)}
    for (sid, col), value in cells.items():
        cell = ws.cell(rows[sid], cols[col])
        cell.value = value
        if (sid, col) in text:
            cell.data_type, cell.quotePrefix = "s", True
    wb.save(path)
    return rows


def _consensus(root: Path) -> tuple[set[tuple[str, str]], list]:
    with Study(root) as s:
        cons = s.codings(coder="consensus")
        dec = s.store.decisions()
        return set(zip(cons["segment_id"], cons["code_id"])), sorted(set(dec["segment_id"]))


def test_formulas_in_decision_and_memo_skip_the_row_with_w621(disputes, tmp_path) -> None:
    book = tmp_path / "decide.xlsx"
    rows = _workbook(disputes, book, {
        ("int-01:1", "decision"): '=CONCATENATE("fund","ing")',                # formula, no saved value
        ("int-01:3", "decision"): "security_vetting", ("int-01:3", "memo"): "=HT was right",
        ("int-02:1", "decision"): "none", ("int-02:3", "decision"): "been_there"})
    with Study(disputes) as s:
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
    found = sorted((p.line, p.code) for p in report.problems)
    assert found == [(rows["int-01:1"], "W621"), (rows["int-01:3"], "W621")]
    messages = {p.line: p.message for p in report.problems}
    assert "decide.xlsx" in messages[rows["int-01:1"]] and "'decision'" in messages[rows["int-01:1"]]
    assert f"row {rows['int-01:3']}" in messages[rows["int-01:3"]] and "'memo'" in messages[rows["int-01:3"]]
    assert report.undecided == 0 and report.unreadable == 2 and report.settled == 2
    cons, decided = _consensus(disputes)
    assert decided == ["int-02:1", "int-02:3"]                 # the two formula rows were not applied
    assert ("int-01:3", "security_vetting") not in cons and ("int-01:1", "funding") not in cons
    assert ("int-02:3", "been_there") in cons


def test_the_command_prints_w621_with_file_row_and_column(disputes, tmp_path) -> None:
    book = tmp_path / "decide.xlsx"
    rows = _workbook(disputes, book, {("int-02:3", "decision"): "been_there", ("int-02:3", "memo"): "=A1"})
    flat = " ".join(_run(disputes, "import", "reconcile", str(book), "--by", "HT").split())
    assert "[W621]" in flat and "decide.xlsx" in flat and f"row {rows['int-02:3']}" in flat and "'memo'" in flat
    assert "Settled 0 disputed segment(s)" in flat
    assert _consensus(disputes)[1] == []


def _cache_error(book: Path, value: str) -> None:
    """Give every formula of the workbook the saved value ``value`` as a spreadsheet error, as
    LibreOffice saves text typed after '=' it cannot calculate."""
    with zipfile.ZipFile(book) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            xml = data.decode("utf-8")
            xml = re.sub(r'<c r="([A-Z]+\d+)"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                         lambda m: f'<c r="{m[1]}"{m[2]} t="e"><f>{m[3]}</f><v>{value}</v></c>', xml)
            parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(book, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_a_spreadsheet_error_in_memo_is_w622_not_stored_as_the_memo(disputes, tmp_path) -> None:
    book = tmp_path / "decide.xlsx"
    rows = _workbook(disputes, book, {("int-01:3", "decision"): "security_vetting",
                                      ("int-01:3", "memo"): "=HT was right"})
    _cache_error(book, "#NAME?")
    assert openpyxl.load_workbook(book, data_only=True).active.cell(rows["int-01:3"], 1).value == "int-01:3"
    with Study(disputes) as s:
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
    assert [(p.line, p.code) for p in report.problems] == [(rows["int-01:3"], "W622")]
    assert "#NAME?" in report.problems[0].message and "'memo'" in report.problems[0].message
    assert report.settled == 0
    with Study(disputes) as s:
        assert "#NAME?" not in set(s.store.decisions()["memo"].dropna())


def test_a_text_memo_starting_with_equals_round_trips(disputes, tmp_path) -> None:
    book = tmp_path / "decide.xlsx"
    memo = "=HT was right: vetting is the barrier"
    _workbook(disputes, book, {("int-01:3", "decision"): "security_vetting", ("int-01:3", "memo"): memo},
              text={("int-01:3", "memo")})
    with Study(disputes) as s:
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
        assert report.problems == [] and report.settled == 1
        dec = s.store.decisions()
        assert list(dec.loc[dec["segment_id"] == "int-01:3", "memo"]) == [memo]
        cons = s.codings(coder="consensus")
        assert set(cons.loc[cons["segment_id"] == "int-01:3", "memo"]) == {memo}
    # exported again, the memo is text (never a live formula) and reads back as the same words
    out = tmp_path / "codings.xlsx"
    _run(disputes, "export", "codings", "--coder", "consensus", "--out", str(out))
    ws = openpyxl.load_workbook(out).active
    col = next(c.column for c in ws[1] if c.value == "memo")
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, col).value]
    assert [c.value for c in cells] == [memo] and cells[0].data_type == "s" and cells[0].quotePrefix


def test_strict_import_fails_when_a_row_was_skipped_and_passes_when_all_applied(disputes, tmp_path) -> None:
    book = tmp_path / "decide.xlsx"
    _workbook(disputes, book, {("int-02:3", "decision"): "been_there", ("int-02:3", "memo"): "=A1"})
    out = _run(disputes, "import", "reconcile", str(book), "--by", "HT", "--strict", code=1)
    assert "[W621]" in " ".join(out.split())
    good = tmp_path / "good.xlsx"
    _workbook(disputes, good, {("int-02:3", "decision"): "been_there", ("int-01:1", "decision"): "security_vetting"})
    out = _run(disputes, "import", "reconcile", str(good), "--by", "HT", "--strict")
    assert "[W602]" in " ".join(out.split())       # a note on an applied row does not fail --strict
