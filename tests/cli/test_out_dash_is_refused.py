"""`--out -`, the usual spelling of "standard output", given to a command that writes a file.

What was wrong: with `--format` the export wrote a file (or, for `export tables`, a folder) literally named '-'
in the working folder, and printed "Wrote ... -" on stdout, which a pipeline then read as its CSV; a later
`codebook export --out -` failed on that folder with E031. What is true now: `-` is refused before any work
with E528, which says to give a file name; nothing named '-' is made.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app

runner = CliRunner()


@pytest.fixture
def root(study) -> Path:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="AB")
    study.close()
    return study.root


@pytest.mark.parametrize("args", [
    ["export", "codings", "--format", "csv"],
    ["export", "segments", "--format", "xlsx"],
    ["export", "tables", "--format", "csv"],
    ["codebook", "export", "--format", "md"],
    ["tables", "frequency"],
    ["backup"],
])
def test_out_dash_is_refused_and_makes_nothing(root: Path, monkeypatch, args: list[str]) -> None:  # noqa: ANN001
    monkeypatch.chdir(root)
    res = runner.invoke(app, [*args, "--out", "-", "--study", str(root)], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    assert "[E528] '-' given as the output" in res.stderr and "Wrote" not in res.stdout
    assert not (root / "-").exists()
