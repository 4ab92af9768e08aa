"""`thematic ingest` and `thematic export segments` through the real CLI (a few thin tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .helpers import INTERVIEW

runner = CliRunner()


def test_cli_ingest_summary_failures_and_exit_code(study: Study) -> None:
    study.paths.raw.joinpath("rowan.txt").write_text(INTERVIEW, encoding="utf-8")
    study.paths.raw.joinpath("broken.docx").write_bytes(b"PK\x03\x04 not really")
    result = runner.invoke(app, ["ingest", "--study", str(study.root)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "rowan" in result.stdout and "1 new" in result.stdout and "1 failed" in result.stdout
    assert "[E104] data/raw/broken.docx" in result.output
    assert "Rowan" not in result.stdout and "Tamsin" not in result.stdout  # no real names by default
    assert "Pseudonymised: 4 speaker" in result.stdout
    again = runner.invoke(app, ["ingest", "--study", str(study.root), str(study.paths.raw / "rowan.txt"), "--show-key"],
                          env={"COLUMNS": "200"})
    assert again.exit_code == 0 and "1 unchanged" in again.stdout and "Rowan" in again.stdout


def test_cli_ingest_unit_option_and_export_segments(study: Study, tmp_path: Path) -> None:
    study.paths.raw.joinpath("rowan.txt").write_text(INTERVIEW, encoding="utf-8")
    result = runner.invoke(app, ["ingest", "--study", str(study.root), "--unit", "sentence"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "segments.out"
    result = runner.invoke(app, ["export", "segments", "--study", str(study.root), "--format", "csv",
                                 "--out", str(out), "--no-interviewer"])
    assert result.exit_code == 0, result.output
    df = pd.read_csv(out)
    assert len(df) == 5 and set(df["kind"]) == {"sentence"} and not df["is_interviewer"].any()
    bad = runner.invoke(app, ["export", "segments", "--study", str(study.root), "--out", str(tmp_path / "x.json")])
    assert bad.exit_code == 1 and "[E115]" in bad.output
