"""Importing a coding sheet never removes codings it cannot vouch for (found by a new user's sheets).

A sheet made before a codebook rename, a sheet re-saved without its hidden ``about`` stamp (CSV
through Excel), a duplicated column header: each used to delete codings silently.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coding.manual_support import CODEBOOK_YAML, codebook, fill_store
from thematic.codebook import loads_codebook
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet
from thematic.errors import InputError

RENAMED = CODEBOOK_YAML.replace("version: 1.2.0", "version: 1.3.0\nchanges:\n"
                                "- {version: 1.3.0, rename: {from: funding, to: money}}").replace(
    "- id: funding", "- id: money")


@pytest.fixture
def filled(store):
    return fill_store(store)


def _sheet(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    return wb, {c.value: c.column for c in ws[1]}, {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def _codes(store, coder: str) -> set[tuple[str, str]]:
    return {(r.segment_id, r.code_id) for r in store.codings(coder=coder).itertuples()}


def test_a_sheet_exported_before_a_rename_imports_under_the_new_id(filled, tmp_path) -> None:
    old = codebook()
    code(filled, "int-01:1", "funding", coder="SO", codebook=old)
    code(filled, "int-01:3", "funding", coder="SO", codebook=old)
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=old).path
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-02:1"], cols["funding"]).value = "x"  # the coder ticks one more
    wb.save(path)
    new = loads_codebook(RENAMED, path="fixture.yaml")
    new.migrate(filled, actor="PI")
    assert _codes(filled, "SO") == {("int-01:1", "money"), ("int-01:3", "money")}
    report = import_sheet(filled, path, coder="SO", codebook=new)
    assert report.removed == 0
    assert _codes(filled, "SO") == {("int-01:1", "money"), ("int-01:3", "money"), ("int-02:1", "money")}
    assert not report.unknown_codes
    assert any("renamed" in p.message and "money" in p.message for p in report.notes)


def test_a_sheet_without_its_about_stamp_adds_ticks_but_removes_nothing(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:1", "funding", coder="HT", codebook=cb)
    path = export_sheet(filled, tmp_path / "HT.xlsx", coder="HT", codebook=cb).path
    code(filled, "int-01:3", "generativity", coder="HT", codebook=cb)  # work done after the export
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-01:1"], cols["funding"]).value = None  # unticked
    wb["coding"].cell(rows["int-02:1"], cols["funding"]).value = "x"
    copy = openpyxl.Workbook()  # what a CSV round trip through Excel leaves: the coding sheet alone
    for values in wb["coding"].iter_rows(values_only=True):
        copy.active.append(list(values))
    copy.save(tmp_path / "HT-resaved.xlsx")
    report = import_sheet(filled, tmp_path / "HT-resaved.xlsx", coder="HT", codebook=cb)
    assert report.removed == 0 and report.added == 1
    assert _codes(filled, "HT") == {("int-01:1", "funding"), ("int-01:3", "generativity"), ("int-02:1", "funding")}
    assert [p.code for p in report.notes] == ["W347"]


def test_a_duplicated_column_header_is_refused_and_nothing_changes(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb, memo="keep me")
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.cell(1, ws.max_column + 1).value = "memo"
    wb.save(path)
    with pytest.raises(InputError, match=r"E345.*'memo'.*twice"):
        import_sheet(filled, path, coder="SO", codebook=cb)
    assert filled.codings(coder="SO")["memo"].tolist() == ["keep me"]
    assert filled.coverage("SO").empty


def test_the_codes_column_takes_labels_and_any_case_but_not_words_split_on_spaces(filled, tmp_path) -> None:
    cb = codebook()
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.cell(rows["int-01:1"], cols["codes"]).value = "Security vetting; GENERATIVITY"
    ws.cell(rows["int-01:3"], cols["codes"]).value = "identity"
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert _codes(filled, "SO") == {("int-01:1", "security_vetting"), ("int-01:1", "generativity")}
    assert [(p.line, p.code) for p in report.unknown_codes] == [(rows["int-01:3"], "W340")]
    assert "is a theme" in report.unknown_codes[0].message


def test_a_row_with_an_unreadable_cell_is_not_counted_as_seen(filled, tmp_path) -> None:
    cb = codebook()
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.cell(rows["int-01:1"], cols["funding"]).value = "maybe"
    ws.cell(rows["int-01:1"], cols["generativity"]).value = "x"
    ws.cell(rows["int-01:3"], cols["codes"]).value = "fundng"
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    seen = set(filled.coverage("SO")["segment_id"])
    assert "int-01:1" not in seen and "int-01:3" not in seen  # agreement must not read them as "not applied"
    assert "int-02:1" in seen
    assert _codes(filled, "SO") == set()
    assert {p.line for p in report.unreadable} >= {rows["int-01:1"]}


def test_rows_deleted_from_the_sheet_are_reported(filled, tmp_path) -> None:
    cb = codebook()
    export = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb)
    wb, cols, rows = _sheet(export.path)
    wb["coding"].delete_rows(rows["int-02:1"])
    wb.save(export.path)
    report = import_sheet(filled, export.path, coder="SO", codebook=cb)
    assert report.rows == export.rows - 1
    assert any(p.code == "W348" and "1 of the" in p.message for p in report.notes)


def test_a_sheet_from_another_study_is_refused(filled, tmp_path) -> None:
    from thematic.store import Store

    cb = codebook()
    other = fill_store(Store(tmp_path / "other.db"))  # the same document ids, another study
    path = export_sheet(other, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-01:1"], cols["funding"]).value = "x"
    wb.save(path)
    with pytest.raises(InputError, match=r"E356.*another study"):
        import_sheet(filled, path, coder="SO", codebook=cb)
    assert filled.codings().empty and filled.coverage("SO").empty


def test_a_sheet_naming_mostly_unknown_segments_is_refused(filled, tmp_path) -> None:
    cb = codebook()
    copy = openpyxl.Workbook()
    copy.active.append(["segment_id", "funding"])
    for i in range(5):
        copy.active.append([f"elsewhere:{i}", "x"])
    copy.active.append(["int-01:1", "x"])
    copy.save(tmp_path / "odd.xlsx")
    with pytest.raises(InputError, match=r"E356.*5 of its 6 rows"):
        import_sheet(filled, tmp_path / "odd.xlsx", coder="SO", codebook=cb)
    assert filled.codings().empty


def test_a_coding_sheet_saved_as_csv_imports_its_ticks(filled, tmp_path) -> None:
    import csv

    cb = codebook()
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb)
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb = openpyxl.load_workbook(path)
    values = [list(r) for r in wb["coding"].iter_rows(values_only=True)]
    header = values[0]
    for row in values[1:]:
        if row[0] == "int-02:1":
            row[header.index("generativity")] = "x"
            row[header.index("memo")] = "line one\nline two"
        if row[0] == "int-01:1":
            row[header.index("funding")] = None
    with open(tmp_path / "SO.csv", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f, delimiter=";").writerows([["" if v is None else v for v in r] for r in values])
    report = import_sheet(filled, tmp_path / "SO.csv", coder="SO", codebook=cb)
    assert report.added == 1 and report.removed == 0
    assert _codes(filled, "SO") == {("int-01:1", "funding"), ("int-02:1", "generativity")}
    assert filled.codings(coder="SO", code="generativity")["memo"].tolist() == ["line one\nline two"]


def test_a_decision_workbook_is_not_read_as_a_coding_sheet(filled, tmp_path) -> None:
    cb = codebook()
    code(filled, "int-01:1", "funding", coder="HT", codebook=cb, memo="HT's own memo")
    wb = openpyxl.Workbook()
    wb.active.title = "Disagreements"
    wb.active.append(["segment_id", "document", "text", "HT", "SO", "decision", "memo"])
    wb.active.append(["int-01:1", "int-01", "I wanted to give something back.", "funding", "", "none", "settled"])
    wb.save(tmp_path / "decide.xlsx")
    with pytest.raises(InputError, match=r"E345.*import reconcile"):
        import_sheet(filled, tmp_path / "decide.xlsx", coder="HT", codebook=cb)
    assert filled.codings(coder="HT")["memo"].tolist() == ["HT's own memo"]
    assert filled.coverage("HT").empty


def test_a_row_whose_turn_moved_at_a_re_ingest_is_found_by_its_text(filled, tmp_path) -> None:
    from coding.manual_support import INT01, make_document

    cb = codebook()
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-01:3"], cols["funding"]).value = "x"
    wb.save(path)
    shifted = [("Interviewer", None, True, "A new first question?"), ("Dan", "P01", False, "A new first answer."),
               *INT01]  # two turns inserted at the top: every id of int-01 moves by two
    filled.save_document(make_document("int-01", shifted))
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    moved_to = filled.segments(document="int-01").set_index("text").loc[INT01[3][3], "segment_id"]
    assert _codes(filled, "SO") == {(moved_to, "funding")}
    assert not report.changed_rows and not report.missing_segments
    assert any(p.code == "W341" and "found by its text" in p.message for p in report.notes)
