"""A coding sheet's columns mean what they meant in the codebook version the sheet was exported under.

Before, a sheet exported under 1.0.0 and sent back after a release that renamed `money` to `pay` and gave
the id `money` to the old `funding` put the ticks of its `money` column on today's `money` (grant talk),
because the current codebook was checked before the changes made since the sheet's version; even the
unchanged sheet added a second, wrong coding. Now each column (and each id typed in `codes`) goes through
the changes since the sheet's version first, as `codebook migrate` maps the coder's codings: the old
`money` column lands on `pay`, the old `funding` column on `money`, and an unchanged sheet adds nothing.
"""

from __future__ import annotations

from pathlib import Path

from coding.sheet_release_support import codes_of, fill, make_study, release
from thematic.study import Study

SWAP = ["{version: 1.1.0, rename: {from: money, to: pay}}", "{version: 1.1.0, rename: {from: funding, to: money}}"]
EDITS = {"- id: money\n  label: Money\n": "- id: pay\n  label: Pay\n",
         "- id: funding\n  label: Funding\n": "- id: money\n  label: Money (grants)\n"}


def _old_sheet(tmp_path: Path) -> tuple[Path, Path]:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:1", "money", coder="HT")  # pay talk, coded under 1.0.0
        sheet = study.export_sheet(tmp_path / "HT.xlsx", coder="HT").path
    release(root, SWAP, EDITS)
    with Study(root) as study:
        assert codes_of(study, "HT") == {("alpha:1", "pay")}  # what migrate made of it
    return root, sheet


def test_an_unchanged_old_sheet_adds_nothing_after_an_id_is_reused(tmp_path: Path) -> None:
    root, sheet = _old_sheet(tmp_path)
    with Study(root) as study:
        report = study.import_sheet(sheet, coder="HT")
        assert (report.added, report.removed, report.unchanged) == (0, 0, 1)
        assert codes_of(study, "HT") == {("alpha:1", "pay")}


def test_old_columns_land_on_the_codes_they_meant(tmp_path: Path) -> None:
    root, sheet = _old_sheet(tmp_path)
    filled = fill(sheet, tmp_path / "HT-filled.xlsx", {("alpha:5", "money"): "x", ("beta:1", "funding"): "x"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="HT")
        assert (report.added, report.removed) == (2, 0)
        assert codes_of(study, "HT") == {("alpha:1", "pay"), ("alpha:5", "pay"), ("beta:1", "money")}
        notes = sorted(p.message for p in report.notes if p.code == "W349")
        assert len(notes) == 2
        assert notes[0].startswith("column 'funding' was renamed to 'money'")
        assert notes[1].startswith("column 'money' was renamed to 'pay'")


def test_an_old_id_typed_in_codes_means_the_code_it_was(tmp_path: Path) -> None:
    root, sheet = _old_sheet(tmp_path)
    filled = fill(sheet, tmp_path / "HT-typed.xlsx", {("alpha:3", "codes"): "money", ("beta:3", "codes"): "Funding"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="HT")
        assert not report.unknown_codes
        assert codes_of(study, "HT") == {("alpha:1", "pay"), ("alpha:3", "pay"), ("beta:3", "money")}


def test_a_sheet_of_the_current_version_keeps_current_ids(tmp_path: Path) -> None:
    root, _ = _old_sheet(tmp_path)
    with Study(root) as study:
        sheet = study.export_sheet(tmp_path / "HT-new.xlsx", coder="HT").path
    filled = fill(sheet, tmp_path / "HT-new-filled.xlsx", {("beta:1", "money"): "x", ("alpha:5", "pay"): 1})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="HT")
        assert (report.added, report.removed) == (2, 0) and not [p for p in report.notes if p.code == "W349"]
        assert codes_of(study, "HT") == {("alpha:1", "pay"), ("alpha:5", "pay"), ("beta:1", "money")}
