"""`thematic report quotes|workbook` on the hand-built study."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import docx
import openpyxl
from typer.testing import CliRunner

from thematic.cli.main import app

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]
runner = CliRunner()


def test_report_quotes_default_path_and_options(tmp_path):
    root = _known.build_known_study(tmp_path / "study")
    r = runner.invoke(app, ["report", "quotes", "--study", str(root)])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(root / "reports" / "appendix.docx"))
    assert "Peer support" in [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    out = tmp_path / "a.docx"
    r = runner.invoke(app, ["report", "quotes", "--out", str(out), "--codes", "funding", "--style", "role",
                            "--max-quotes", "1", "--order", "document", "--charts", "--study", str(root)])
    assert r.exit_code == 0, r.output
    d = docx.Document(str(out))
    assert [p.text for p in d.paragraphs if p.style.name == "Quote Attribution"] == ["(peer mentor) \u00b7 Interview 1, turn 4"]
    r = runner.invoke(app, ["report", "quotes", "--codes", "fundng", "--study", str(root)])
    assert r.exit_code == 1 and "Did you mean 'funding'" in r.output


def test_report_workbook(tmp_path):
    root = _known.build_known_study(tmp_path / "study")
    out = tmp_path / "t.xlsx"
    r = runner.invoke(app, ["report", "workbook", "--out", str(out), "--coders", "HT,SO", "--boot", "10",
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert "Agreement" in openpyxl.load_workbook(out).sheetnames
