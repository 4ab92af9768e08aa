"""A two-code keyword codebook and a CLI runner for the regression tests that build a tiny study by hand."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "150"}

CODEBOOK = """\
name: tiny
version: 0.1.0
themes:
- id: barriers
  label: Barriers
  definition: Things in the way.
codes:
- id: money
  label: Money
  parent: barriers
  definition: Talk about funding and money.
  keywords: [funding]
- id: work
  label: Work
  parent: barriers
  definition: Talk about jobs.
  keywords: [job]
"""


def cli(root: Path, *args: str, stdin: str | None = None) -> str:
    """Run ``thematic ARGS --study ROOT``; its output (the command must succeed)."""
    res = runner.invoke(app, [*args, "--study", str(root)], input=stdin, env=ENV)
    assert res.exit_code == 0, res.output
    return res.output
