"""A corrected version of the same blind sheet removes what the coder unticked, and an untick kept is reported.

Before, an import removed only codings that were already the coder's when the sheet was exported. A coder who
sent her sheet, had it imported, then unticked two codes in the same file and sent it again got "codings removed
(unticked) 0" and no warning: the codes she had rejected stayed her codings (agreement and reconcile used them),
because the first import of that very sheet had added them after the export. Now a coding that an import of a
sheet with the same export stamp (same study, coder and time of export) added counts as on the sheet, so the
corrected version's unticks remove it. Work done elsewhere since the export (the CLI, review, the widget, a
sheet exported at another time) is still never undone, but such an untick is no longer silent: the import
counts it (``report.kept``) and names each row with W351.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.manual_support import codebook, coder_codings, edit_sheet, fill_store, fill_study
from thematic.cli.main import app
from thematic.coding.manual import code
from thematic.coding.sheet import export_sheet, import_sheet


@pytest.fixture
def filled(store):
    return fill_store(store)


def _so(store) -> list[tuple[str, str]]:  # noqa: ANN001
    return coder_codings(store, "SO")


V1 = {("int-01:1", "funding"): "x", ("int-01:1", "generativity"): "x", ("int-01:3", "funding"): "x",
      ("int-01:3", "security_vetting"): "x", ("int-02:1", "funding"): "x"}
V2 = {("int-01:1", "funding"): "x", ("int-01:3", "security_vetting"): "x", ("int-02:1", "funding"): "x"}


def test_a_corrected_second_version_of_the_sheet_removes_what_was_unticked(filled, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    blank = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    v1 = edit_sheet(blank, V1, tmp_path / "so-v1.xlsx")
    v2 = edit_sheet(blank, V2, tmp_path / "so-v2.xlsx")
    first = import_sheet(filled, v1, coder="SO", codebook=cb)
    assert first.added == 5
    second = import_sheet(filled, v2, coder="SO", codebook=cb)
    assert (second.added, second.removed, second.unchanged, second.kept) == (0, 2, 3, 0)
    assert _so(filled) == [("int-01:1", "funding"), ("int-01:3", "security_vetting"), ("int-02:1", "funding")]
    assert second.ok
    filled.revert_batch(second.batch_id, actor="SO")           # undoing the correction puts v1 back
    assert len(_so(filled)) == 5


def test_work_done_elsewhere_since_export_is_kept_and_each_kept_untick_reported(filled, tmp_path) -> None:  # noqa: ANN001
    cb = codebook()
    blank = export_sheet(filled, tmp_path / "SO.xlsx", coder="SO", codebook=cb).path
    code(filled, "int-01:3", "generativity", coder="SO", codebook=cb)   # in the CLI, after the export
    other = export_sheet(filled, tmp_path / "SO-later.xlsx", coder="SO", codebook=cb).path
    later = import_sheet(filled, edit_sheet(other, {("int-02:1", "funding"): "x"}, tmp_path / "later.xlsx"),
                         coder="SO", codebook=cb)                              # another export's sheet
    assert later.added == 1
    report = import_sheet(filled, edit_sheet(blank, {("int-01:1", "funding"): "x"}, tmp_path / "so.xlsx"),
                          coder="SO", codebook=cb)
    assert (report.added, report.removed, report.kept) == (1, 0, 2)
    assert ("int-01:3", "generativity") in _so(filled) and ("int-02:1", "funding") in _so(filled)
    kept = [p for p in report.problems() if p.code == "W351"]
    assert [p.line for p in kept] == [3, 4] and not report.ok
    assert "generativity" in kept[0].message and "int-01:3" in kept[0].message
    assert "so.xlsx" in str(kept[0])


def test_the_cli_says_how_many_unticks_were_kept(study, tmp_path) -> None:  # noqa: ANN001
    fill_study(study)
    blank = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    study.code("int-01:3", "generativity", coder="SO")
    sheet = edit_sheet(blank, {("int-01:1", "funding"): "x"}, tmp_path / "so.xlsx")
    result = CliRunner().invoke(app, ["import", "sheet", str(sheet), "--coder", "SO", "--study", str(study.root)],
                                env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "codings kept though not ticked (coded since the export) 1" in text
    assert "[W351]" in text and "int-01:3" in text
