"""The reconcile decision workbook: every decision cell is checked before anything is stored.

Hand-written fictional data (tests/coding/manual_support.py). A decision naming an unknown code
used to abort halfway (earlier rows already stored, no file or row named); a code typed in another
case or by its label is that code; a decision naming a code neither coder applied is kept but
warned about; re-importing a workbook reports unchanged rows as such and applies changed ones.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.reconcile import import_reconcile
from thematic.study import Study

runner = CliRunner()


def _run(root: Path, *args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def _workbook(root: Path, path: Path, decisions: dict[str, str]) -> Path:
    _run(root, "reconcile", "--coders", "HT,SO", "--out", str(path))
    wb = openpyxl.load_workbook(path)
    ws = next(w for w in wb.worksheets if "decision" in [c.value for c in w[1]])
    cols = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, cols["segment_id"]).value
        if sid in decisions:
            ws.cell(r, cols["decision"]).value = decisions[sid]
    wb.save(path)
    return path


def _state(root: Path) -> tuple[set, int]:
    with Study(root) as s:
        cons = s.codings(coder="consensus")
        return set(zip(cons["segment_id"], cons["code_id"])), len(s.store.decisions())


def test_every_bad_decision_is_reported_with_file_and_row_and_nothing_is_stored(disputes, tmp_path) -> None:
    book = _workbook(disputes, tmp_path / "decide.xlsx", {
        "int-01:1": "funding", "int-01:3": "Security_Vetting", "int-02:1": "nope", "int-02:3": "barriers"})
    out = _run(disputes, "import", "reconcile", str(book), "--by", "HT", code=1)
    flat = " ".join(out.split())
    assert "[E609]" in flat and "decide.xlsx" in flat
    assert "decide.xlsx:4" in flat and "'nope'" in flat       # int-02:1 is the workbook's row 4
    assert "decide.xlsx:5" in flat and "[E341]" in flat        # a theme is not a code
    assert "Security_Vetting" not in flat                      # another case of an id is that code
    assert _state(disputes) == (set(), 0)                      # nothing written, not even the agreed segments


def test_an_id_in_another_case_or_a_label_is_that_code(disputes, tmp_path) -> None:
    book = _workbook(disputes, tmp_path / "decide.xlsx", {
        "int-01:1": "FUNDING", "int-01:3": "Security vetting", "int-02:1": "none", "int-02:3": "Been there"})
    out = _run(disputes, "import", "reconcile", str(book), "--by", "HT")
    assert "Settled 4 disputed segment(s)" in out
    cons, _ = _state(disputes)
    assert {("int-01:1", "funding"), ("int-01:3", "security_vetting"), ("int-02:3", "been_there")} <= cons
    assert ("int-02:1", "security_vetting") not in cons


def test_a_code_neither_coder_applied_is_kept_with_a_warning_naming_file_and_row(disputes, tmp_path) -> None:
    book = _workbook(disputes, tmp_path / "decide.xlsx", {"int-01:3": "security_vetting, hook_for_change"})
    out = _run(disputes, "import", "reconcile", str(book), "--by", "HT")
    flat = " ".join(out.split())
    assert "[W602]" in flat and "'hook_for_change'" in flat and "int-01:3" in flat and "decide.xlsx" in flat
    assert "row 3" in flat and "neither HT nor SO" in flat
    assert "1 code(s) applied by neither coder" in flat
    cons, _ = _state(disputes)
    assert ("int-01:3", "hook_for_change") in cons
    with Study(disputes) as s:
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
    assert report.unchanged == 1 and report.settled == 0


def test_reimport_reports_unchanged_rows_and_applies_a_changed_decision(disputes, tmp_path) -> None:
    book = _workbook(disputes, tmp_path / "decide.xlsx", {
        "int-01:1": "funding", "int-01:3": "none", "int-02:1": "security_vetting", "int-02:3": "none"})
    _run(disputes, "import", "reconcile", str(book), "--by", "HT")
    before, n_decisions = _state(disputes)
    out = _run(disputes, "import", "reconcile", str(book), "--by", "HT")
    flat = " ".join(out.split())
    assert "W601" not in flat and "4 row(s) already settled the same way" in flat
    assert _state(disputes) == (before, n_decisions)
    # the team changes its mind about int-01:3 (the workbook's row 3)
    wb = openpyxl.load_workbook(book)
    ws = next(w for w in wb.worksheets if "decision" in [c.value for c in w[1]])
    cols = {c.value: c.column for c in ws[1]}
    assert ws.cell(3, cols["segment_id"]).value == "int-01:3"
    ws.cell(3, cols["decision"]).value = "security_vetting"
    ws.cell(3, cols["memo"]).value = "vetting after all"
    wb.save(book)
    out = _run(disputes, "import", "reconcile", str(book), "--by", "SO")
    flat = " ".join(out.split())
    assert "[W603]" in flat and "row 3" in flat and "int-01:3" in flat and "changed 1" in flat.lower()
    after, n_after = _state(disputes)
    assert after == before | {("int-01:3", "security_vetting")} and n_after == n_decisions + 1
    with Study(disputes) as s:
        last = s.store.decisions().iloc[-1]
        assert (last["segment_id"], last["code_id"], bool(last["applied"]), last["memo"], last["decided_by"]) == (
            "int-01:3", "security_vetting", True, "vetting after all", "SO")
        # and the other way round: a kept code is taken back out, logged as a removal
        ws.cell(3, cols["decision"]).value = "none"
        wb.save(book)
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
        assert report.changed == 1 and report.unchanged == 3
        cons = s.codings(coder="consensus")
        assert ("int-01:3", "security_vetting") not in set(zip(cons["segment_id"], cons["code_id"]))
        assert "remove" in set(s.store.events()["kind"])


def test_library_import_raises_one_error_listing_every_bad_cell(disputes, tmp_path) -> None:
    book = _workbook(disputes, tmp_path / "decide.xlsx", {"int-01:1": "fundng", "int-02:1": "nope, security_vetting"})
    with Study(disputes) as s, pytest.raises(InputError) as info:
        import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
    text = str(info.value)
    assert "2 problems" in text and "Did you mean 'funding'" in text and ":2:" in text and ":4:" in text
