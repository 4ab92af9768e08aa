"""`thematic export codings|tables` on the hand-built study."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from thematic.cli.main import app

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]
runner = CliRunner()


def test_export_codings_and_tables(tmp_path):
    root = _known.build_known_study(tmp_path / "study")
    out = tmp_path / "codings.parquet"
    r = runner.invoke(app, ["export", "codings", "--format", "parquet", "--out", str(out), "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert len(pd.read_parquet(out)) == 9
    r = runner.invoke(app, ["export", "codings", "--all-statuses", "--out", str(tmp_path / "all.csv"), "--study", str(root)])
    assert r.exit_code == 0 and len(pd.read_csv(tmp_path / "all.csv")) == 11
    r = runner.invoke(app, ["export", "tables", "--format", "csv", "--out", str(tmp_path / "tables"), "--by", "role",
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "tables" / "by-role.csv").is_file()
    r = runner.invoke(app, ["export", "codings", "--out", str(tmp_path / "x.json"), "--study", str(root)])
    assert r.exit_code == 1 and "E405" in r.output
