"""An exact code label containing a comma could not be typed in a sheet's ``codes`` cell or a decision cell.

Both cells were split on commas first, so "Security vetting, clearance and risk aversion" (14 of the bundled
codebook's labels have a comma) became two unknown codes (W340 / E340). A label that holds a separator is now
matched whole (longest first, ignoring case) before the rest of the cell is split; ids and comma-separated
lists still work. Real .xlsx files written and edited with openpyxl; fictional data (coding/manual_support.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import loads_codebook
from thematic.reconcile import import_reconcile
from thematic.study import Study

LONG = "Security vetting, clearance and risk aversion"


def _comma_labels(root: Path) -> None:
    """Give the fixture codebook labels with commas (and one label that starts another)."""
    path = next((root / "codebooks").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    text = text.replace("label: Security vetting\n", f'label: "{LONG}"\n')
    text = text.replace("label: Funding\n", 'label: "Funding, contracts; money"\n')
    text = text.replace("label: Been there\n", 'label: "Security vetting, clearance"\n')
    path.write_text(text, encoding="utf-8")


def test_split_code_names() -> None:
    from coding.manual_support import CODEBOOK_YAML

    from thematic.coding.manual import split_code_names

    cb = loads_codebook(CODEBOOK_YAML.replace("label: Security vetting\n", f'label: "{LONG}"\n')
                        .replace("label: Been there\n", 'label: "Security vetting, clearance"\n'))
    assert split_code_names(LONG, cb) == [LONG]
    assert split_code_names(f"generativity; {LONG.upper()}\nfunding", cb) == ["generativity", LONG.upper(), "funding"]
    assert split_code_names("Security vetting, clearance, funding", cb) == ["Security vetting, clearance", "funding"]
    assert split_code_names("generativity, funding", cb) == ["generativity", "funding"]
    assert split_code_names("security vetting, clearance and risk", cb) == ["security vetting", "clearance and risk"]
    assert split_code_names("a, b", None) == ["a", "b"]


def test_sheet_codes_cell_takes_a_label_with_a_comma(disputes: Path, tmp_path: Path) -> None:
    _comma_labels(disputes)
    book = tmp_path / "sheet.xlsx"
    with Study(disputes) as s:
        s.export_sheet(book, coder="AB")
    wb = openpyxl.load_workbook(book)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["int-01:1"], cols["codes"]).value = f"{LONG}; generativity"
    ws.cell(rows["int-01:3"], cols["codes"]).value = "funding, contracts; money, Shared_Experience"
    ws.cell(rows["int-02:1"], cols["codes"]).value = "generativity, hook_for_change"
    wb.save(book)
    with Study(disputes) as s:
        report = s.import_sheet(book, coder="AB")
        got = {(r.segment_id, r.code_id) for r in s.codings(coder="AB").itertuples()}
    assert not report.problems()
    assert got == {("int-01:1", "security_vetting"), ("int-01:1", "generativity"), ("int-01:3", "funding"),
                   ("int-01:3", "shared_experience"), ("int-02:1", "generativity"), ("int-02:1", "hook_for_change")}


def test_decision_cell_takes_a_label_with_a_comma(disputes: Path, tmp_path: Path) -> None:
    _comma_labels(disputes)
    book = tmp_path / "decide.xlsx"
    result = CliRunner().invoke(app, ["reconcile", "--coders", "HT,SO", "--out", str(book), "--study", str(disputes)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(book)
    ws = next(w for w in wb.worksheets if "decision" in [c.value for c in w[1]])
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, cols["segment_id"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["int-01:3"], cols["decision"]).value = LONG.lower()
    ws.cell(rows["int-01:1"], cols["decision"]).value = "generativity, Funding, contracts; money"
    ws.cell(rows["int-02:1"], cols["decision"]).value = "none"
    ws.cell(rows["int-02:3"], cols["decision"]).value = "Security vetting, clearance"
    wb.save(book)
    with Study(disputes) as s:
        report = import_reconcile(s.store, book, decided_by="HT", codebook=s.codebook)
        cons = {(r.segment_id, r.code_id) for r in s.codings(coder="consensus").itertuples()}
    assert not report.problems and report.settled == 4
    assert {("int-01:3", "security_vetting"), ("int-01:1", "generativity"), ("int-01:1", "funding"),
            ("int-02:3", "been_there")} <= cons
    assert not any(seg == "int-02:1" for seg, _ in cons)
