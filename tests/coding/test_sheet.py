"""Coding sheets: a real .xlsx written, edited with openpyxl as a coder would, and imported back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from coding.manual_support import INT01, codebook, fill_store, fill_study, make_document, suggest
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet, parse_tick, sheet_codes
from thematic.errors import InputError

CODES = ["generativity", "hook_for_change", "security_vetting", "funding", "shared_experience", "been_there"]


@pytest.fixture
def filled(store):
    return fill_store(store)


@pytest.fixture
def cb():
    return codebook()


def _sheet(path: Path) -> tuple[openpyxl.Workbook, dict[str, int], dict[str, int]]:
    """The workbook, column numbers by header, and row numbers by segment id."""
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    return wb, cols, rows


def _cache_formula(path: Path, ref: str, value: str) -> None:
    """Give a formula cell a saved value, as Excel or LibreOffice do when they save (openpyxl cannot)."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode()
    xml, n = re.subn(rf'(<c r="{ref}"[^>]*><f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\g<1><v>{value}</v>", xml)
    assert n == 1
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _codes_of(store, coder: str) -> set[tuple[str, str]]:
    return {(r.segment_id, r.code_id) for r in store.codings(coder=coder).itertuples()}


def test_sheet_export_layout(filled, cb, tmp_path) -> None:
    result = export_sheet(filled, tmp_path / "out" / "AB.xlsx", coder="AB", codebook=cb)
    wb, cols, rows = _sheet(result.path)
    ws = wb["coding"]
    assert list(cols) == ["segment_id", "document", "speaker", "participant", "text", *CODES, "codes", "memo"]
    assert list(rows) == ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]  # interviewer turns left out
    assert ws.freeze_panes == "F2"
    assert ws.cell(2, cols["text"]).alignment.wrap_text
    assert ws.column_dimensions["E"].width > 40
    assert "Criminal record checks" in ws.cell(1, cols["security_vetting"]).comment.text
    validation = ws.data_validations.dataValidation[0]
    assert validation.formula1 == '"1,x"' and str(validation.sqref) == "F2:K5"
    book = wb["codebook"]
    assert [c.value for c in book[1]][:4] == ["id", "label", "theme", "parent"]
    assert [book.cell(r, 1).value for r in range(2, book.max_row + 1)] == CODES
    assert wb["about"].sheet_state == "hidden"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["AB.xlsx"]  # no temporary file left behind
    assert [c.id for c in sheet_codes(cb)] == CODES


def test_sheet_export_is_blind_to_other_coders_and_suggestions(filled, cb, tmp_path) -> None:
    code(filled, "int-01:1", "generativity", coder="AB", codebook=cb, memo="amends")
    code(filled, "int-02:3", "been_there", coder="SO", codebook=cb)
    suggest(filled, "int-01:3", "funding", 0.9)
    for coder, expected in (("AB", {("int-01:1", "generativity")}), ("SO", {("int-02:3", "been_there")})):
        wb, cols, rows = _sheet(export_sheet(filled, tmp_path / f"{coder}.xlsx", coder=coder, codebook=cb).path)
        ws = wb["coding"]
        ticked = {(sid, c) for sid, r in rows.items() for c in CODES if ws.cell(r, cols[c]).value is not None}
        assert ticked == expected
        memos = [ws.cell(r, cols["memo"]).value for r in rows.values()]
        assert ("amends" in memos) == (coder == "AB")


def test_sheet_round_trip_with_a_coders_edits(filled, cb, tmp_path) -> None:
    code(filled, "int-01:3", "funding", coder="SO", codebook=cb)
    code(filled, "int-02:1", "security_vetting", coder="SO", codebook=cb)
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.cell(rows["int-01:1"], cols["generativity"]).value = "x"
    ws.cell(rows["int-01:1"], cols["security_vetting"]).value = True
    ws.cell(rows["int-01:1"], cols["codes"]).value = "gnerativity; been_there"
    ws.cell(rows["int-01:3"], cols["funding"]).value = None  # unticked
    ws.cell(rows["int-01:3"], cols["shared_experience"]).value = "=1+0"  # a formula, saved value below
    ws.cell(rows["int-02:3"], cols["been_there"]).value = "yes"
    ws.cell(rows["int-02:3"], cols["generativity"]).value = 1.0
    ws.cell(rows["int-02:3"], cols["memo"]).value = "in vivo: 'been there'"
    wb.save(path)
    _cache_formula(path, f"{openpyxl.utils.get_column_letter(cols['shared_experience'])}{rows['int-01:3']}", "1")

    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert _codes_of(filled, "SO") == {  # int-01:1 has a typo in `codes`: skipped whole until it is fixed
        ("int-01:3", "shared_experience"), ("int-02:1", "security_vetting"),
        ("int-02:3", "been_there"), ("int-02:3", "generativity"),
    }
    assert (report.rows, report.added, report.removed, report.unchanged) == (4, 3, 1, 1)
    [unknown] = report.unknown_codes
    assert unknown.line == rows["int-01:1"] and "'gnerativity'" in unknown.message
    assert "Did you mean 'generativity'?" in unknown.message and "row was skipped" in unknown.message
    assert "int-01:1" not in set(filled.coverage("SO")["segment_id"])
    assert not report.changed_rows and not report.missing_segments and not report.unreadable
    added = filled.codings(batch=report.batch_id)
    assert set(added["source"]) == {"sheet"} and set(added["suggester"]) == {"sheet:SO.xlsx"}
    assert set(filled.codings(coder="SO", document="int-02", code="been_there")["memo"]) == {"in vivo: 'been there'"}
    removed = filled.events()
    assert removed[removed["kind"] == "remove"]["note"].tolist() == ["unticked in sheet:SO.xlsx"]
    again = import_sheet(filled, path, coder="SO", codebook=cb)  # importing twice changes nothing
    assert (again.added, again.removed, again.unchanged) == (0, 0, 4)
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-01:1"], cols["codes"]).value = "generativity; been_there"  # the typo fixed
    wb.save(path)
    fixed = import_sheet(filled, path, coder="SO", codebook=cb)
    assert (fixed.added, fixed.removed) == (3, 0) and not fixed.unknown_codes
    assert {("int-01:1", "generativity"), ("int-01:1", "security_vetting"),
            ("int-01:1", "been_there")} <= _codes_of(filled, "SO")


@pytest.mark.parametrize(("value", "tick"), [
    ("1", True), ("x", True), ("X", True), ("yes", True), (True, True), (1.0, True), (1, True), (" Yes ", True),
    (None, False), ("", False), (0, False), ("no", False), (False, False), ("maybe", None), (2, None),
])
def test_sheet_parse_tick(value, tick) -> None:
    assert parse_tick(value) is tick


def test_sheet_changed_and_missing_segments_are_reported_and_skipped(filled, cb, tmp_path) -> None:
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    for sid in rows:
        wb["coding"].cell(rows[sid], cols["funding"]).value = 1
    wb.save(path)
    changed = [*INT01[:3], ("Dan", "P01", False, "Vetting was the big one, and money.")]
    filled.save_document(make_document("int-01", changed))  # re-ingested with new words in turn 3
    filled.delete_document("int-02")
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert [(p.line, p.code) for p in report.changed_rows] == [(rows["int-01:3"], "W341")]
    assert [(p.line, p.code) for p in report.missing_segments] == [(rows["int-02:1"], "W342"),
                                                                   (rows["int-02:3"], "W342")]
    assert _codes_of(filled, "SO") == {("int-01:1", "funding")}
    assert not report.ok


def test_sheet_unreadable_cells_and_uncomputed_formulas_change_nothing(filled, cb, tmp_path) -> None:
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb)
    code(filled, "int-01:3", "funding", coder="SO", codebook=cb)
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-01:1"], cols["funding"]).value = "=1+0"  # never opened in Excel: no value
    wb["coding"].cell(rows["int-01:3"], cols["funding"]).value = "maybe"
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert sorted(p.code for p in report.unreadable) == ["W343", "W344"]
    assert report.removed == 0 and len(filled.codings(coder="SO")) == 2


def test_sheet_only_removes_codings_that_existed_at_export(filled, cb, tmp_path) -> None:
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb)  # made in the widget after the export
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert report.removed == 0 and _codes_of(filled, "SO") == {("int-01:1", "funding")}


def test_sheet_import_guards_wrong_coder_non_sheets_and_dry_run(filled, cb, tmp_path) -> None:
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    with pytest.raises(InputError, match=r"E346.*exported for coder 'SO', not 'AB'"):
        import_sheet(filled, path, coder="AB", codebook=cb)
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "text"])
    wb.save(other)
    with pytest.raises(InputError, match=r"E345.*segment_id"):
        import_sheet(filled, other, coder="SO", codebook=cb)
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with pytest.raises(InputError, match="E345"):
        import_sheet(filled, tmp_path / "notes.xlsx", coder="SO", codebook=cb)
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-02:1"], cols["security_vetting"]).value = "x"
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb, dry_run=True)
    assert report.added == 1 and report.batch_id is None and filled.codings().empty


def test_sheet_unknown_code_column_and_memo_without_codes(filled, cb, tmp_path) -> None:
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.cell(1, ws.max_column + 1).value = "fundng"
    ws.cell(rows["int-02:1"], cols["memo"]).value = "come back to this"
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert [(p.line, p.code) for p in report.unknown_codes] == [(1, "W340")]
    assert "Did you mean 'funding'?" in report.unknown_codes[0].message
    assert [(p.line, p.code) for p in report.unreadable] == [(rows["int-02:1"], "W346")]


def test_sheet_text_that_looks_like_a_formula_stays_text(store, cb, tmp_path) -> None:
    store.save_document(make_document("d", [("Ann", "P03", False, "=SUM(A1) is how I felt\x07 about it")]))
    path = export_sheet(store, tmp_path / "X.xlsx", coder="X", codebook=cb).path
    wb, cols, rows = _sheet(path)
    assert wb["coding"].cell(2, cols["text"]).value == "=SUM(A1) is how I felt about it"
    assert import_sheet(store, path, coder="X", codebook=cb).ok  # not reported as changed


def test_sheet_import_can_be_undone_and_study_facade(study, tmp_path) -> None:
    fill_study(study)
    path = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    wb, cols, rows = _sheet(path)
    wb["coding"].cell(rows["int-02:3"], cols["been_there"]).value = "x"
    wb.save(path)
    report = study.import_sheet(path, coder="SO")
    assert report.added == 1
    assert study.undo(report.batch_id, actor="SO") == 1 and study.codings().empty


def test_sheet_deleted_code_column_and_duplicate_rows_remove_nothing(filled, cb, tmp_path) -> None:
    code(filled, "int-01:1", "funding", coder="SO", codebook=cb)
    path = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    ws.delete_cols(cols["funding"])
    ws.append(["int-01:1", "int-01", "Dan", "P01", ws.cell(rows["int-01:1"], cols["text"]).value])
    wb.save(path)
    report = import_sheet(filled, path, coder="SO", codebook=cb)
    assert report.removed == 0 and _codes_of(filled, "SO") == {("int-01:1", "funding")}
    assert [p.code for p in report.unreadable] == ["W345"]


def test_a_survey_sheet_shows_each_answers_question_and_imports_back(store, cb, tmp_path) -> None:
    import dataclasses

    doc = make_document("survey", [("R1", "R1", False, "My mentor had been inside too."),
                                   ("R1", "R1", False, "A job, and somewhere to live.")])
    asked = ("What helped you most?", "What do you need now?")
    store.save_document(dataclasses.replace(doc, segments=tuple(
        dataclasses.replace(s, question=q, kind="answer") for s, q in zip(doc.segments, asked))))
    path = export_sheet(store, tmp_path / "R.xlsx", coder="SO", codebook=cb).path
    wb, cols, rows = _sheet(path)
    ws = wb["coding"]
    assert cols["question"] == cols["text"] - 1  # read before the answer
    assert ws.freeze_panes == "G2"  # the text stays in view while the codes scroll
    assert [ws.cell(rows[f"survey:{i}"], cols["question"]).value for i in (0, 1)] == list(asked)
    ws.cell(rows["survey:0"], cols["shared_experience"]).value = "x"
    wb.save(path)
    report = import_sheet(store, path, coder="SO", codebook=cb)
    assert report.ok and not report.unknown_codes
    assert _codes_of(store, "SO") == {("survey:0", "shared_experience")}
    interviews = export_sheet(fill_store(store), tmp_path / "I.xlsx", coder="SO", codebook=cb,
                              document=["int-01"]).path
    assert "question" not in _sheet(interviews)[1]  # no column where no segment answers a question


def test_a_sheet_is_never_written_under_another_suffix(filled, cb, tmp_path) -> None:
    """`--out sheet.csv` wrote an .xlsx named .csv, which Excel refuses to open."""
    with pytest.raises(InputError, match=r"\[E405\].*'csv'.*xlsx"):
        export_sheet(filled, tmp_path / "sheet.csv", coder="SO", codebook=cb)
    assert not (tmp_path / "sheet.csv").exists()
    assert export_sheet(filled, tmp_path / "sheet.XLSX", coder="SO", codebook=cb).path.exists()
