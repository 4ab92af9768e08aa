"""`codebook diff` shows a retired code with the release that retired it and the note, not 'None: None -> None'."""

from __future__ import annotations

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import loads_codebook

OLD = """\
name: cb
version: 1.0.0
themes:
- id: theme_a
  definition: A theme.
codes:
- id: one
  parent: theme_a
  definition: One.
- id: two
  parent: theme_a
  definition: Two.
"""
NEW = OLD.replace("version: 1.0.0", "version: 1.1.0\nchanges:\n- {version: 1.1.0, retire: {code: two}, note: nobody used it}")


def test_retired_change_carries_version_and_note():
    diff = loads_codebook(OLD, path="a.yaml").diff(loads_codebook(NEW, path="b.yaml"))
    (change,) = diff.of_kind("retired")
    assert change.code_id == "two" and change.after == "1.1.0" and change.note == "nobody used it"
    row = diff.to_frame().set_index("change").loc["retired"]
    assert row["after"] == "1.1.0" and row["note"] == "nobody used it"


def test_retired_row_in_the_table(tmp_path):
    (tmp_path / "a.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(NEW, encoding="utf-8")
    result = CliRunner().invoke(app, ["codebook", "diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")],
                                env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.output
    assert "None" not in result.output
    assert "retired (1.1.0): nobody used it" in result.output
