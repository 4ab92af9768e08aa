"""`thematic tables ...` on the hand-built study (thin CliRunner checks; behaviour is tested in tests/analysis)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]
runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return _known.build_known_study(tmp_path / "study")


def test_frequency_by_role_writes_table_and_chart(root, tmp_path):
    out, chart = tmp_path / "f.csv", tmp_path / "f.png"
    r = runner.invoke(app, ["tables", "frequency", "--by", "role", "--out", str(out), "--chart", str(chart),
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert "2 of 2" in r.output and chart.read_bytes()[:4] == b"\x89PNG"
    freq = pd.read_csv(out)
    assert freq.loc[(freq.code_id == "funding") & (freq.group == "peer mentor"), "n_of_N"].item() == "2 of 2"


def test_frequency_unknown_attribute_exits_1_with_coded_message(root):
    r = runner.invoke(app, ["tables", "frequency", "--by", "site", "--study", str(root)])
    assert r.exit_code == 1 and "E402" in r.output


def test_attributes_matrix_and_cooccurrence(root, tmp_path):
    r = runner.invoke(app, ["tables", "attributes", "barriers", "--multi", "barriers", "--study", str(root)])
    assert r.exit_code == 0 and "3 of 5" in r.output
    assert "N: 5 participant(s) with a row in participants.csv or a survey file" in " ".join(r.output.split())
    r = runner.invoke(app, ["tables", "attributes", "barriers", "--multi", "barriers", "--by", "role",
                            "--study", str(root)])
    assert r.exit_code == 0 and "barriers by role" in r.output
    r = runner.invoke(app, ["tables", "attributes", "--by", "ROLE", "--study", str(root)], env={"COLUMNS": "200"})
    assert r.exit_code == 0 and "barriers by role" in r.output and "role by role" not in r.output
    out = tmp_path / "m.xlsx"
    r = runner.invoke(app, ["tables", "matrix", "--out", str(out), "--study", str(root)])
    assert r.exit_code == 0 and pd.read_excel(out).columns[:3].tolist() == ["code_id", "label", "P01"]
    heat = tmp_path / "h.svg"
    r = runner.invoke(app, ["tables", "cooccurrence", "--chart", str(heat), "--study", str(root)])
    assert r.exit_code == 0 and "Shared experience" in r.output and b"<svg" in heat.read_bytes()[:400]
