"""A study whose stored text still holds U+FFFF (kept by a thematic before ingest dropped it): the blind coding
sheet and the Word quote appendix are written with the character left out (it cannot be shown, and no Excel or
Word file can hold it), and the sheet, filled in, imports back onto its segment. Before, both commands ended in
a Python traceback ("ValueError: All strings must be XML compatible").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from typer.testing import CliRunner

import thematic.ingest.normalise as normalise
from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import ENV, methods_study

runner = CliRunner()


@pytest.fixture
def old_study(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A coded study ingested as a thematic that kept U+FFFF would have stored it."""
    root = methods_study(tmp_path / "study", {"ana.txt": (
        "Interview\n\nResearcher 1: Q?\n\nP01: odd \uffff char in a transcript, taught online.\n")})
    with monkeypatch.context() as m:
        m.setattr(normalise, "CONTROLS", re.compile(r"[\x00-\x08\x0e-\x1f\x7f]"))
        with Study(root) as s:
            s.ingest()
            s.code("ana:1", "online", coder="AB")
            assert "\uffff" in s.store.document_text("ana")
    return root


def test_word_appendix_leaves_the_character_out(old_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "quotes.docx"
    r = runner.invoke(app, ["report", "quotes", "--out", str(out), "--study", str(old_study)], env=ENV)
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and "ValueError" not in r.output
    paragraphs = [p.text for p in open_docx(str(out)).paragraphs]
    assert "\u201codd  char in a transcript, taught online.\u201d" in paragraphs


def test_coding_sheet_leaves_it_out_and_imports_back(old_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.xlsx"
    r = runner.invoke(app, ["export", "sheet", "--coder", "CD", "--out", str(out), "--study", str(old_study)],
                      env=ENV)
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    text_col = header.index("text")
    [row_no] = [i for i, row in enumerate(rows[1:], start=2) if row[text_col] and "taught online" in row[text_col]]
    assert ws.cell(row=row_no, column=text_col + 1).value == "odd  char in a transcript, taught online."
    ws.cell(row=row_no, column=header.index("online") + 1).value = "x"
    wb.save(out)
    r = runner.invoke(app, ["import", "sheet", str(out), "--coder", "CD", "--study", str(old_study)], env=ENV)
    assert r.exit_code == 0, r.output
    assert "W341" not in r.output
    with Study(old_study) as s:
        mine = s.codings(coder="CD")
        assert mine["segment_id"].tolist() == ["ana:1"] and mine["code_id"].tolist() == ["online"]
