"""`thematic batches` showed "nan" in the undone column for every batch that was never undone, once any batch
was undone (pandas reads the column's NULLs as NaN, and NaN counts as true). Now such a batch shows a blank
there, and an undone one its time."""

from __future__ import annotations

from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app

runner = CliRunner()


def test_batches_leaves_the_undone_cell_blank_for_a_standing_batch(study) -> None:  # noqa: ANN001
    fill_study(study)
    standing = study.store.new_batch("search:vetting", actor="HT")
    undone = study.store.new_batch("search:funding", actor="HT")
    study.store.revert_batch(undone, actor="HT")
    at = str(study.store.batches().set_index("batch_id").loc[undone, "undone_at"])[:19]
    study.close()
    r = runner.invoke(app, ["batches", "--study", str(study.root)], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    lines = {line.split("│")[1].strip(): line for line in r.output.splitlines() if line.count("│") > 2
             and line.split("│")[1].strip() in (standing, undone)}
    assert at in lines[undone]
    assert "nan" not in lines[standing].lower() and lines[standing].rstrip().endswith("│")
    assert lines[standing].split("│")[-2].strip() == ""
