"""A coded warning that no command collects is one line, never Python's warning with a source path.

`thematic reconcile` (and other commands that did not collect the library's warnings) printed
`.../reconcile.py:74: NoCoverageWarning: [W600] ...` with the source line under it. Every command now
shows a coded warning as its message alone, and other warnings as Python shows them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.cli.main import app
from typer.testing import CliRunner


def test_reconcile_without_coverage_warns_in_one_line(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": "Interviewer: Why?\nDan: The funding stopped.\n"},
                      coders=("HT", "SO"))
    cli(root, "ingest")
    cli(root, "code", "add", "alpha:1", "money", "--coder", "HT")
    cli(root, "code", "add", "alpha:1", "work", "--coder", "SO")
    before = warnings.showwarning
    res = CliRunner().invoke(app, ["reconcile", "--coders", "HT,SO", "--study", str(root)], input="q\n",
                             env={"COLUMNS": "200"})
    assert "[W600]" in res.output
    assert "NoCoverageWarning" not in res.output and ".py:" not in res.output
    assert warnings.showwarning is before
