"""An older coding sheet imported again leaves removed what the coder removed since its export.

Before, a coder's sheet 1 (money ticked on two turns), then her newer sheet 2 (money unticked on one of them:
removed), then sheet 1 again (a re-sent attachment) put money back on that turn: "codings added 1", no warning,
although an import "never undoes work done since its export" and importing twice should change nothing. Now a
tick whose coding the coder had and lost after the sheet's export (unticked in another sheet, removed by hand,
an accepted suggestion rejected) is left as it is and named (W555, with the command that adds it if it should be
there). A tick for a coding that was never there, or that was removed before the export, still adds; so does a
tick whose removal was undone, or made by an earlier version of the same sheet (a corrected file sent again).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coding.sheet_release_support import codes_of, fill, make_study, release
from thematic.cli.main import app
from thematic.models import Coding, Provenance
from thematic.study import Study


def _sheet(root: Path, out: Path, cells: dict[tuple[str, str], str | None]) -> Path:
    """A fresh export of SO's sheet, filled in with ``cells``."""
    with Study(root) as study:
        blank = study.export_sheet(out.with_name(out.stem + "-blank.xlsx"), coder="SO").path
    return fill(blank, out, cells)


def _sheet_one(tmp_path: Path) -> tuple[Path, Path]:
    """A study where SO's sheet 1 ticked money on alpha:1 and alpha:3 and was imported."""
    root = make_study(tmp_path / "s")
    one = _sheet(root, tmp_path / "one.xlsx", {("alpha:1", "money"): "x", ("alpha:3", "money"): "x"})
    with Study(root) as study:
        assert study.import_sheet(one, coder="SO").added == 2
    return root, one


def test_an_old_sheet_again_leaves_a_newer_untick_removed_and_says_so(tmp_path: Path) -> None:
    root, one = _sheet_one(tmp_path)
    two = _sheet(root, tmp_path / "two.xlsx", {("alpha:3", "money"): None})
    with Study(root) as study:
        assert study.import_sheet(two, coder="SO").removed == 1
        again = study.import_sheet(one, coder="SO")
        assert (again.added, again.removed, again.unchanged) == (0, 0, 1)
        assert codes_of(study, "SO") == {("alpha:1", "money")}
        left = [p for p in again.problems() if p.code == "W555"]
        assert len(left) == 1 and left[0].line == 3 and not again.ok
        assert "one.xlsx" in str(left[0]) and "two.xlsx" in left[0].message
        assert "`thematic code add alpha:3 money --coder SO`" in left[0].message
        assert again.left_removed == left
        seen = study.store.coverage()
        assert "alpha:3" in set(seen.loc[seen["coder"] == "SO", "segment_id"])  # the row is imported otherwise


def test_a_dry_run_says_the_same(tmp_path: Path) -> None:
    root, one = _sheet_one(tmp_path)
    two = _sheet(root, tmp_path / "two.xlsx", {("alpha:3", "money"): None})
    with Study(root) as study:
        study.import_sheet(two, coder="SO")
        dry = study.import_sheet(one, coder="SO", dry_run=True)
        assert dry.added == 0 and [p.line for p in dry.left_removed] == [3]


def test_a_removal_by_hand_since_the_export_stands_and_the_cli_names_it(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:5", "barriers", coder="SO")
    old = _sheet(root, tmp_path / "old.xlsx", {("alpha:1", "money"): "x"})  # alpha:5 barriers pre-ticked
    with Study(root) as study:
        assert study.uncode("alpha:5", "barriers", coder="SO") == 1
    result = CliRunner().invoke(app, ["import", "sheet", str(old), "--coder", "SO", "--study", str(root)],
                                env={"COLUMNS": "160", "THEMATIC_ENCODER": "minilm"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "ticks left removed (removed since the export) 1" in text
    assert "[W555]" in text and "alpha:5" in text and "thematic code add alpha:5 barriers --coder SO" in text
    with Study(root) as study:
        assert codes_of(study, "SO") == {("alpha:1", "money")}


def test_a_removal_before_the_export_or_no_coding_at_all_still_adds(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        study.code("alpha:3", "money", coder="SO")
        study.uncode("alpha:3", "money", coder="SO")
    sheet = _sheet(root, tmp_path / "s1.xlsx", {("alpha:3", "money"): "x", ("beta:1", "funding"): "x"})
    with Study(root) as study:
        report = study.import_sheet(sheet, coder="SO")
        assert report.added == 2 and report.ok
        assert codes_of(study, "SO") == {("alpha:3", "money"), ("beta:1", "funding")}


def test_an_undone_import_can_be_imported_again(tmp_path: Path) -> None:
    root, one = _sheet_one(tmp_path)
    with Study(root) as study:
        batch = study.import_sheet(_sheet(root, tmp_path / "two.xlsx", {("alpha:3", "money"): None}),
                                   coder="SO").batch_id
        study.undo(str(batch), actor="SO")                   # the untick is undone: money is back on alpha:3
        first = study.store.batches()["batch_id"].iloc[0]
        study.undo(str(first), actor="SO")                   # sheet 1's import undone: both ticks go
        assert codes_of(study, "SO") == set()
        again = study.import_sheet(one, coder="SO")
        assert again.added == 2 and not again.left_removed
        assert codes_of(study, "SO") == {("alpha:1", "money"), ("alpha:3", "money")}


def test_a_version_of_the_same_sheet_ticks_again_what_an_earlier_version_unticked(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        blank = study.export_sheet(tmp_path / "blank.xlsx", coder="SO").path
    v1 = fill(blank, tmp_path / "v1.xlsx", {("alpha:3", "money"): "x"})
    v2 = fill(blank, tmp_path / "v2.xlsx", {("beta:1", "funding"): "x"})
    with Study(root) as study:
        assert study.import_sheet(v1, coder="SO").added == 1
        assert study.import_sheet(v2, coder="SO").removed == 1
        v3 = study.import_sheet(v1, coder="SO")              # the coder changed her mind back, in the same file
        assert v3.added == 1 and not v3.left_removed
        assert ("alpha:3", "money") in codes_of(study, "SO")


def test_an_accepted_suggestion_rejected_since_is_not_coded_again(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        seg = study.segments().set_index("segment_id").loc["alpha:3"]
        study.store.add_codings([Coding(document_id="alpha", start=int(seg["start"]), end=int(seg["end"]),
                                        code_id="money", coder="keywords", status="suggested", text=str(seg["text"]),
                                        segment_id="alpha:3", provenance=Provenance("suggester", "keywords"))])
        cid = str(study.codings(status="suggested")["coding_id"].iloc[0])
        study.store.set_status([cid], "accepted", actor="SO")
    old = _sheet(root, tmp_path / "old.xlsx", {})                             # alpha:3 money pre-ticked
    new = _sheet(root, tmp_path / "new.xlsx", {("alpha:3", "money"): None})   # unticked: rejected by SO
    with Study(root) as study:
        assert study.import_sheet(new, coder="SO").rejected == 1
        again = study.import_sheet(old, coder="SO")
        assert again.added == 0 and [p.line for p in again.left_removed] == [3]
        assert "rejected" in again.left_removed[0].message
        assert codes_of(study, "SO") == set()


def test_across_a_release_an_untick_under_the_old_id_stands(tmp_path: Path) -> None:
    root, one = _sheet_one(tmp_path)
    two = _sheet(root, tmp_path / "two.xlsx", {("alpha:3", "money"): None})
    with Study(root) as study:
        assert study.import_sheet(two, coder="SO").removed == 1
    release(root, ["{version: 1.1.0, rename: {from: money, to: pay}}"], {"- id: money\n": "- id: pay\n"})
    with Study(root) as study:
        again = study.import_sheet(one, coder="SO")       # its money column is pay now (W349)
        assert again.added == 0 and [p.line for p in again.left_removed] == [3]
        assert codes_of(study, "SO") == {("alpha:1", "pay")}
