"""`thematic status` with thematic.toml's codebook outside the study folder: shown by its absolute path, no traceback."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from thematic.cli.main import app

CB = """\
name: shared
version: 1.0.0
themes:
- id: theme_a
  definition: A theme.
codes:
- id: one
  parent: theme_a
  definition: One.
"""


def test_status_with_a_shared_codebook_outside_the_study(study, tmp_path):
    shared = tmp_path / "elsewhere" / "shared.yaml"
    shared.parent.mkdir()
    shared.write_text(CB, encoding="utf-8")
    config = study.root / "thematic.toml"
    text = config.read_text(encoding="utf-8")
    assert "[study]" in text
    config.write_text(text.replace("[study]", f"[study]\ncodebook = {str(shared)!r}", 1), encoding="utf-8")
    old = os.getcwd()
    try:
        os.chdir(study.root)
        result = CliRunner().invoke(app, ["status"], env={"COLUMNS": "200"})
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert str(shared) in result.output and "1.0.0" in result.output
