"""`thematic --version`, `init` and `status` through the real CLI (a few thin tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from thematic import __version__
from thematic.cli.main import app

runner = CliRunner()


def test_cli_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"thematic {__version__}"


def test_cli_init_then_status_inside(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "s"), "--name", "Pilot"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "thematic.toml").is_file()
    cwd = os.getcwd()
    os.chdir(tmp_path / "s" / "data")
    try:
        result = runner.invoke(app, ["status"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "Pilot" in result.stdout and "documents" in result.stdout


def test_cli_status_outside_a_study_exits_1_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "thematic", "status"], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 1
    assert "thematic init" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_debug_shows_the_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "thematic", "--debug", "status"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "StudyError" in proc.stderr
