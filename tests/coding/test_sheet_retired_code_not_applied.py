"""A coding sheet never applies a retired code, and never removes a coding of it either.

Before, a release that retired `family` (kept in the file for old codings) still let coding sheets apply it:
a sheet exported before the release imported a tick under `family` as a new coding, and a sheet exported
after it still had a `family` column whose ticks were imported too, though `thematic code add` refuses the
code (E210) and the manual says such a column is ignored (W340). Now a sheet exported after the release has
no column for a retired code; a tick under a retired code's column, old sheet or new, is ignored with W340
naming the column, and so is the retired id typed in `codes` (the row is skipped). The coder's stored
coding of it, shown pre-ticked on an old sheet or listed in `codes` on a new one, is kept, not removed.
A code split since the sheet's version is ignored the same way, and its stored coding kept.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from coding.sheet_release_support import codes_of, fill, header, make_study, release
from thematic.coding.sheet import sheet_codes
from thematic.study import Study

RETIRE = ["{version: 1.1.0, retire: {code: family}, note: too broad}"]


def _study(tmp_path: Path) -> tuple[Path, Path]:
    """HT coded `family` on alpha:3 and got a sheet under 1.0.0; then 1.1.0 retired `family`."""
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:3", "family", coder="HT")
        sheet = study.export_sheet(tmp_path / "HT-old.xlsx", coder="HT").path
    assert "family" in header(sheet)
    release(root, RETIRE, {})
    return root, sheet


def _w340(report) -> list[str]:  # noqa: ANN001
    return [p.message for p in report.unknown_codes if p.code == "W340"]


def test_a_tick_under_a_retired_column_of_an_old_sheet_is_ignored(tmp_path: Path) -> None:
    root, sheet = _study(tmp_path)
    filled = fill(sheet, tmp_path / "HT-filled.xlsx", {("beta:3", "family"): "x", ("beta:1", "funding"): "x"})
    with Study(root) as study:
        before = study.codings(coder="HT")[["coding_id", "code_id", "flag"]].to_dict("records")
        report = study.import_sheet(filled, coder="HT")
        assert (report.added, report.removed) == (1, 0)
        assert codes_of(study, "HT") == {("alpha:3", "family"), ("beta:1", "funding")}
        kept = study.codings(coder="HT", code="family")[["coding_id", "code_id", "flag"]].to_dict("records")
        assert kept == before and str(kept[0]["flag"]).startswith("retired: family")
        messages = _w340(report)
        assert len(messages) == 2 and "column 'family'" in messages[0] and "ignored" in messages[0]
        assert "not recorded as seen" in messages[1]  # beta:3's row is skipped (test_sheet_ignored_tick_not_seen)


def test_a_sheet_exported_after_the_release_has_no_retired_column(tmp_path: Path) -> None:
    root, _ = _study(tmp_path)
    with Study(root) as study:
        assert "family" not in [c.id for c in sheet_codes(study.codebook)]
        sheet = study.export_sheet(tmp_path / "HT-new.xlsx", coder="HT").path
        cols = header(sheet)
        assert "family" not in cols and {"money", "funding", "barriers"} <= set(cols)
        book = openpyxl.load_workbook(sheet)["codebook"]
        assert "family" not in [book.cell(r, 1).value for r in range(2, book.max_row + 1)]
        report = study.import_sheet(sheet, coder="HT")  # sent back unchanged: `codes` lists HT's family
        assert (report.added, report.removed) == (0, 0) and not report.unknown_codes
        assert codes_of(study, "HT") == {("alpha:3", "family")}


def test_a_retired_code_in_a_new_sheet_is_not_applied(tmp_path: Path) -> None:
    root, _ = _study(tmp_path)
    with Study(root) as study:
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    # a `family` column as a sheet exported before this fix had it (or one typed in by hand), and the id typed
    filled = fill(sheet, tmp_path / "SO-filled.xlsx", {("beta:1", "family"): "x", ("beta:3", "codes"): "family",
                                                        ("alpha:5", "barriers"): "x"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")
        assert codes_of(study, "SO") == {("alpha:5", "barriers")}
        messages = _w340(report)
        assert len(messages) == 3  # the column, beta:1's row skipped for its tick under it, beta:3's `codes`
        assert any("column 'family'" in m and "retired in 1.1.0 (too broad)" in m for m in messages)
        typed = [p for p in report.unknown_codes if "in 'codes'" in p.message]
        assert len(typed) == 1 and "'family' was retired" in typed[0].message
        assert study.codings(code="family")["coder"].tolist() == ["HT"]


def test_a_code_split_since_the_old_sheet_is_ignored_and_kept(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:5", "barriers", coder="SO")
        sheet = study.export_sheet(tmp_path / "SO-old.xlsx", coder="SO").path
    new_codes = ("- id: paperwork\n  label: Paperwork\n  parent: barriers\n  definition: Forms.\n"
                 "- id: delays\n  label: Delays\n  parent: barriers\n  definition: Waiting.\n- id: family\n")
    release(root, ["{version: 1.1.0, split: {from: barriers, into: [paperwork, delays]}}"], {"- id: family\n": new_codes})
    filled = fill(sheet, tmp_path / "SO-filled.xlsx", {("beta:3", "barriers"): "x"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")  # alpha:5 still pre-ticked under `barriers`
        assert (report.added, report.removed) == (0, 0)
        assert codes_of(study, "SO") == {("alpha:5", "barriers")}
        assert any("column 'barriers'" in m for m in _w340(report))
