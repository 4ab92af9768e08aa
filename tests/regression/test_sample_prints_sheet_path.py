"""`thematic sample` told the user to run `thematic import sheet coding-SO-sample.xlsx`, but the sheet is in
reports/: the printed command failed with E021. It now prints the path the import reads (relative to the study)."""

from __future__ import annotations

from typer.testing import CliRunner

from coding.assisted_support import interview, write_codebook
from thematic.cli.main import app

runner = CliRunner()


def test_the_printed_import_command_names_the_sheet_where_it_was_written(study, tmp_path) -> None:  # noqa: ANN001
    write_codebook(study)
    study.store.save_document(interview("int-01", [f"answer {i}" for i in range(6)]))
    study.mark_seen(["int-01:1", "int-01:3", "int-01:5"], coder="HT", source="api")
    root = study.root
    study.close()
    res = runner.invoke(app, ["sample", "--coder", "SO", "--n", "2", "--of", "HT", "--seed", "1", "--study", str(root)],
                        env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "`thematic import sheet reports/coding-SO-sample.xlsx --coder SO`" in out
    assert (root / "reports" / "coding-SO-sample.xlsx").is_file()
    dry = runner.invoke(app, ["import", "sheet", "reports/coding-SO-sample.xlsx", "--coder", "SO", "--dry-run",
                              "--study", str(root)])
    assert dry.exit_code == 0, dry.output

    elsewhere = tmp_path / "my sheets" / "so.xlsx"
    elsewhere.parent.mkdir()
    res = runner.invoke(app, ["sample", "--coder", "SO", "--n", "2", "--of", "HT", "--out", str(elsewhere),
                              "--study", str(root)], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    assert f"`thematic import sheet '{elsewhere}' --coder SO`" in " ".join(res.output.split())
