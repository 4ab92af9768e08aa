"""An older sheet has no column for a code made since (by a split): it says nothing about that code, so no W351.

Before, re-importing a sheet exported before the release that split `family` into `parents` and `relatives`
warned W351 on every row where the coder had since coded `parents` ("'parents' is not ticked on this row ... If it
should go, `thematic code remove ...`"), advising her to remove newer work the old sheet never showed. The manual
says a code whose column is missing removes nothing, and such a row says nothing about it. Now those codings
are kept without a word; a code that had a column in the sheet still gets W351 for work done since the export.
"""

from __future__ import annotations

from pathlib import Path

from coding.sheet_release_support import codes_of, fill, make_study, release
from thematic.study import Study

SPLIT = ["{version: 1.1.0, split: {from: family, into: [parents, relatives]}}"]
FAMILY = "- id: family\n  label: Family\n  parent: life\n  definition: Family.\n"
NEW_CODES = ("- id: parents\n  label: Parents\n  parent: life\n  definition: Parents.\n"
             "- id: relatives\n  label: Relatives\n  parent: life\n  definition: Relatives.\n")


def test_no_w351_for_a_code_the_old_sheet_had_no_column_for(tmp_path: Path) -> None:
    root = make_study(tmp_path / "s")
    with Study(root) as study:
        blank = study.export_sheet(tmp_path / "v1.xlsx", coder="SO").path
    v1 = fill(blank, tmp_path / "v1-filled.xlsx", {("alpha:3", "family"): "x", ("beta:3", "family"): "x"})
    with Study(root) as study:
        assert study.import_sheet(v1, coder="SO").added == 2
    release(root, SPLIT, {FAMILY: NEW_CODES})
    with Study(root) as study:
        blank2 = study.export_sheet(tmp_path / "v2.xlsx", coder="SO").path
    v2 = fill(blank2, tmp_path / "v2-filled.xlsx", {("alpha:3", "parents"): "x", ("beta:3", "parents"): "x",
                                                   ("alpha:1", "money"): "x"})
    with Study(root) as study:
        assert study.import_sheet(v2, coder="SO").added == 3
        again = study.import_sheet(v1, coder="SO")
        w351 = [p for p in again.problems() if p.code == "W351"]
        assert not [p for p in w351 if "parents" in p.message], [p.message for p in w351]
        assert {("alpha:3", "parents"), ("beta:3", "parents")} <= codes_of(study, "SO")
        assert again.removed == 0
        # money had a column in v1 and was coded since: that untick is still named
        assert [p.line for p in w351 if "'money'" in p.message] == [2]
        assert ("alpha:1", "money") in codes_of(study, "SO")
