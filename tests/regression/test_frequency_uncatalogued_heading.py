"""`thematic tables frequency` shows codes missing from the codebook under an "Uncatalogued" heading.

Codes found in codings but no longer in the codebook (a code removed or split away, its codings
flagged) were printed last, indented like a code of the last theme, with no mark, so their counts
read as part of that theme. Fictional documents and codebook written fresh (tests/coding/manual_support.py).
"""

from __future__ import annotations

import re

import pytest
from coding.manual_support import CODEBOOK_YAML, fill_study
from typer.testing import CliRunner

from thematic.cli.main import app

runner = CliRunner()


@pytest.fixture
def root(study):  # noqa: ANN001, ANN201 - a thematic.Study
    """HT coded 'funding' on two turns; then the codebook dropped the code."""
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.code("int-01:3", "funding", coder="HT")
    study.code("int-02:1", "funding", coder="HT")
    study.code("int-02:3", "been_there", coder="HT")
    path = study.codebook_path or study.paths.codebooks / "fixture.yaml"
    dropped = re.sub(r"- id: funding\n(?:  .*\n)+", "", CODEBOOK_YAML)
    assert "funding" not in dropped
    path.write_text(dropped, encoding="utf-8")
    study.close()
    return study.root


def _labels(output: str) -> list[str]:
    """The first cell of each table row, with its leading spaces (the indentation)."""
    cells = []
    for line in output.splitlines():
        if line.startswith("│"):
            cells.append(line.split("│")[1].rstrip()[1:])
    return cells


@pytest.mark.parametrize("extra", [[], ["--by", "role"]])
def test_uncatalogued_codes_come_under_their_own_heading(root, extra) -> None:  # noqa: ANN001
    result = runner.invoke(app, ["tables", "frequency", *extra, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    labels = _labels(result.output)
    assert labels[-1] == "  funding", labels
    heading = labels[-2]
    assert heading.startswith("Uncatalogued"), labels               # a heading at theme level, not under 'Peer connection'
    assert labels.index("Peer connection") < labels.index("    Been there") < len(labels) - 2
    row = next(line for line in result.output.splitlines() if "│   funding" in line)
    assert "2" in row                                                # still counted, on its own row


def test_level_code_keeps_the_heading(root) -> None:  # noqa: ANN001
    result = runner.invoke(app, ["tables", "frequency", "--level", "code", "--study", str(root)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    labels = _labels(result.output)
    assert labels[-2].startswith("Uncatalogued") and labels[-1] == "  funding", labels


def test_level_theme_has_no_heading(root) -> None:  # noqa: ANN001
    result = runner.invoke(app, ["tables", "frequency", "--level", "theme", "--study", str(root)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Uncatalogued" not in result.output and "funding" not in result.output
