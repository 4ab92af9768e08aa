"""Thin CLI checks: `thematic refi export` and `thematic refi import` wire up the library."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


def test_cli_refi_export_then_import_into_a_new_study(coded_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    result = runner.invoke(app, ["refi", "export", "--out", str(out), "--study", str(coded_study.root)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and out.is_file()
    result = runner.invoke(app, ["refi", "import", str(out), "--into", str(tmp_path / "copy")])
    assert result.exit_code == 0, result.output
    assert "Quotes checked: 7 match" in result.output and (tmp_path / "copy" / "thematic.toml").is_file()
    result = runner.invoke(app, ["refi", "export", "--codebook-only", "--out", str(tmp_path / "cb.qdc"),
                                 "--study", str(tmp_path / "copy")])
    assert result.exit_code == 0 and (tmp_path / "cb.qdc").is_file()


def test_cli_refi_import_hostile_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.qde"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE P [<!ENTITY x SYSTEM "file:///etc/passwd">]><P>&x;</P>')
    result = runner.invoke(app, ["refi", "import", str(bad), "--into", str(tmp_path / "new")])
    assert result.exit_code == 1 and "[E505]" in result.output and not (tmp_path / "new").exists()


def test_cli_refi_import_refuses_into_an_existing_study(coded_study: Study, tmp_path: Path) -> None:
    result = runner.invoke(app, ["refi", "import", "x.qdpx", "--into", str(coded_study.root)])
    assert result.exit_code == 1 and "[E002]" in result.output
