"""A sheet row whose tick had to be ignored (W340) is skipped and not recorded as seen by the coder.

Before, a tick under a column whose code was split or retired since the sheet was exported (or a retired code's
column) was ignored with W340, but its row was still imported and recorded as seen by the coder. Agreement then
read the coder's discarded tick as "not this code": two coders who both chose `barriers` on a segment counted as
disagreeing there. Now such a row is skipped, as a W340 in the `codes` cell already skipped its row: nothing of it
is imported, it is not recorded as seen, W340 names the row and the column, and the report counts the rows
skipped (``report.skipped``, "rows skipped (not recorded as seen)" in `thematic import sheet`). A tick that only
shows the coder's stored coding of that code (pre-ticked on the old sheet) is no decision lost: that row is
imported and seen as before.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coding.sheet_release_support import codes_of, fill, make_study, release
from thematic.cli.main import app
from thematic.study import Study

SEGMENTS = ["alpha:1", "alpha:3", "alpha:5", "beta:1", "beta:3"]
SPLIT = ["{version: 1.1.0, split: {from: barriers, into: [paperwork, delays]}}"]
SPLIT_CODES = {"- id: family\n": "- id: paperwork\n  label: Paperwork\n  parent: barriers\n  definition: Forms.\n"
                                 "- id: delays\n  label: Delays\n  parent: barriers\n  definition: Waiting.\n"
                                 "- id: family\n"}
RETIRE = ["{version: 1.1.0, retire: {code: family}, note: too broad}"]


def _split_study(tmp_path: Path) -> tuple[Path, Path]:
    """HT saw every turn and coded barriers on alpha:3, alpha:5 and beta:3; SO, who had coded barriers on beta:3,
    got a sheet under 1.0.0; then 1.1.0 split barriers (kept as the parent) and SO ticked the old sheet."""
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.mark_seen(SEGMENTS, coder="HT")
        for sid in ("alpha:3", "alpha:5", "beta:3"):
            study.code(sid, "barriers", coder="HT")
        study.code("alpha:1", "money", coder="HT")
        study.code("beta:3", "barriers", coder="SO")
        sheet = study.export_sheet(tmp_path / "SO-old.xlsx", coder="SO").path
    release(root, SPLIT, SPLIT_CODES)
    filled = fill(sheet, tmp_path / "SO-filled.xlsx", {("alpha:5", "barriers"): "x", ("alpha:3", "barriers"): "x",
                                                        ("alpha:3", "family"): "x", ("alpha:1", "money"): "x"})
    return root, filled


def _seen(study: Study, coder: str) -> set[str]:
    return set(study.seen(coder)["segment_id"])


def test_a_row_with_a_tick_under_a_split_code_is_skipped_and_not_seen(tmp_path: Path) -> None:
    root, filled = _split_study(tmp_path)
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")
        assert (report.seen, report.skipped, report.added) == (3, 2, 1)
        assert _seen(study, "SO") == {"alpha:1", "beta:1", "beta:3"}      # beta:3's tick was SO's stored coding
        assert codes_of(study, "SO") == {("alpha:1", "money"), ("beta:3", "barriers")}  # alpha:3's family not half-imported
        rows = [p for p in report.unknown_codes if p.code == "W340" and p.line != 1]
        assert [p.line for p in rows] == [3, 4]                            # alpha:3, alpha:5
        assert all("'barriers'" in p.message and "not recorded as seen" in p.message for p in rows)
        column = [p for p in report.unknown_codes if p.line == 1]
        assert len(column) == 1 and "skipped" in column[0].message
        agreement = study.agreement(["HT", "SO"]).set_index("code_id")
        # SO's ignored ticks no longer count as SO deciding "not barriers" (before: 60%, two disagreements)
        assert float(agreement.loc["barriers", "percent_agreement"]) == 1.0
        assert int(agreement.loc["barriers", "seen_SO"]) == 3


def test_a_tick_under_a_retired_column_skips_its_row_unless_it_is_the_stored_coding(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:3", "family", coder="SO")
        old = study.export_sheet(tmp_path / "SO-old.xlsx", coder="SO").path
    release(root, RETIRE, {})
    filled = fill(old, tmp_path / "SO-filled.xlsx", {("beta:3", "family"): "x", ("beta:1", "funding"): "x"})
    with Study(root) as study:
        report = study.import_sheet(filled, coder="SO")
        assert (report.seen, report.skipped, report.added) == (4, 1, 1)
        assert "beta:3" not in _seen(study, "SO") and "alpha:3" in _seen(study, "SO")
        row = [p for p in report.unknown_codes if p.line == 6]
        assert len(row) == 1 and row[0].code == "W340" and "1.1.0 retire family" in row[0].message
        # a sheet exported after the release, with the retired column typed back in by hand, and the id in `codes`
        new = study.export_sheet(tmp_path / "SO-new.xlsx", coder="SO").path
        again = study.import_sheet(fill(new, tmp_path / "SO-new-filled.xlsx",
                                        {("alpha:5", "family"): "x", ("alpha:1", "codes"): "family"}), coder="SO")
        assert (again.skipped, again.seen) == (2, 3)
        assert {p.line for p in again.unknown_codes if p.line != 1} == {2, 4}


def test_the_cli_says_how_many_rows_were_skipped_and_not_seen(tmp_path: Path) -> None:
    root, filled = _split_study(tmp_path)
    result = CliRunner().invoke(app, ["import", "sheet", str(filled), "--coder", "SO", "--study", str(root)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "segments recorded as seen 3" in text
    assert "rows skipped (not recorded as seen) 2" in text
    assert "row 4: [W340]" in text and "not recorded as seen" in text
