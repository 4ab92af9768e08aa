"""`thematic agreement` on the hand-built study."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import docx
from typer.testing import CliRunner

from thematic.cli.main import app

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]
runner = CliRunner()


def test_agreement_prints_table_and_writes_disagreements(tmp_path):
    root = _known.build_known_study(tmp_path / "study")
    out = tmp_path / "reconcile.docx"
    r = runner.invoke(app, ["agreement", "--coders", "HT,SO", "--boot", "50", "--characters", "--out", str(out),
                            "--units", "documents", "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert "Kripp" in r.output and "2 segment(s) coded differently" in r.output
    assert "as NVivo computes them" in r.output
    assert "Disagreements" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_agreement_without_two_coders_is_a_coded_error(tmp_path):
    root = _known.build_known_study(tmp_path / "study")
    r = runner.invoke(app, ["agreement", "--coders", "HT,NOBODY", "--study", str(root)])
    assert r.exit_code == 1 and "E404" in r.output and "NOBODY" in r.output
