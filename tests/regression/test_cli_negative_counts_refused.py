"""`search --limit -1` printed all but one hit and said "showing -1 of N", `--context -5`, `tables cooccurrence
--min-count -1` (pairs that never co-occur) and `codebook validate --max-share -1` (every keyword "too common")
were accepted; each is now a usage error naming the option and its range."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from tests.regression.tiny_study import methods_study

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


@pytest.mark.parametrize("args", [
    ("search", "online", "--limit", "-1"),
    ("search", "online", "--context", "-5"),
    ("tables", "cooccurrence", "--min-count", "-1"),
    ("codebook", "validate", "--max-share", "-1"),
    ("codebook", "validate", "--max-share", "1.5"),
])
def test_out_of_range_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = methods_study(tmp_path / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    r = runner.invoke(app, [*args, "--study", str(root)], env=ENV)
    assert r.exit_code == 2 and args[-2] in r.output and "Traceback" not in r.output, r.output
