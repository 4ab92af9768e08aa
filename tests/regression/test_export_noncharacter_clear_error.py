"""A study whose stored text still holds U+FFFF (kept by a thematic before ingest dropped it) gets a clear E108
from the xlsx exports (codings, segments, the tables workbook), naming the file, sheet, row and column and saying
to run `thematic ingest --force`; that re-read drops the character, the coding follows its passage, and the
exports work again. Before, each
export ended in a Python traceback ("ValueError: All strings must be XML compatible"). The blind coding sheet and
the Word quote appendix leave the character out (it cannot be shown), and the filled sheet imports back.
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

from .tiny_study import ENV, methods_study, tick_in_sheet

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


@pytest.mark.parametrize(("command", "where"), [
    (["export", "codings", "--out", "{tmp}/c.xlsx"], "sheet 'c', row 2, column 'text'"),
    (["export", "segments", "--out", "{tmp}/s.xlsx"], "row 3, column 'text'"),
])
def test_xlsx_export_of_an_old_noncharacter_is_e108_not_a_traceback(old_study: Path, tmp_path: Path,
                                                                    command: list[str], where: str) -> None:
    args = [c.format(tmp=tmp_path) for c in command] + ["--study", str(old_study)]
    r = runner.invoke(app, args, env=ENV)
    assert r.exit_code == 1, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output and "ValueError" not in r.output
    assert "[E108]" in r.output and where in r.output and "U+FFFF" in r.output
    assert "thematic ingest --force" in r.output
    assert not Path(args[args.index("--out") + 1]).exists()


def test_ingest_force_drops_it_and_the_exports_work_again(old_study: Path, tmp_path: Path) -> None:
    r = runner.invoke(app, ["ingest", "--force", "--study", str(old_study)], env=ENV)
    assert r.exit_code == 0, r.output
    with Study(old_study) as s:
        assert "\uffff" not in s.store.document_text("ana")
    r = runner.invoke(app, ["export", "segments", "--out", str(tmp_path / "s.xlsx"), "--study", str(old_study)],
                      env=ENV)
    assert r.exit_code == 0, r.output
    # the coding follows its passage: its stored quote is read again without the character, nothing flagged
    out = tmp_path / "c.xlsx"
    with Study(old_study) as s:
        assert s.store.codings(flagged=True).empty
    r = runner.invoke(app, ["export", "codings", "--out", str(out), "--study", str(old_study)], env=ENV)
    assert r.exit_code == 0, r.output
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    text = rows[0].index("text")
    assert [row[text] for row in rows[1:]] == ["odd  char in a transcript, taught online."]


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
    assert tick_in_sheet(out, "odd", "online") == "odd  char in a transcript, taught online."
    r = runner.invoke(app, ["import", "sheet", str(out), "--coder", "CD", "--study", str(old_study)], env=ENV)
    assert r.exit_code == 0, r.output
    assert "W341" not in r.output
    with Study(old_study) as s:
        mine = s.codings(coder="CD")
        assert mine["segment_id"].tolist() == ["ana:1"] and mine["code_id"].tolist() == ["online"]
