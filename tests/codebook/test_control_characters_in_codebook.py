"""A control character in a codebook label or definition (a YAML escape such as "\\v" or "\\x0c", or a character
pasted with the text), or in `report quotes --title`, passed `codebook validate`; then `report quotes` and `export
sheet` crashed with a raw lxml traceback, since no Word or Excel file can hold it. Validation now reports it (C020,
with the file and line, like every other codebook problem), so every command that loads the codebook stops with
that coded message, and a title holding one is refused with E419 before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import validate_codebook
from thematic.errors import InputError
from thematic.study import Study

BAD = """name: cb
version: 1.0.0
description: "A study\\x01 codebook"
themes:
- {id: t, label: "Trust\\vand safety", definition: d}
codes:
- id: c
  label: Code
  parent: t
  definition: "Use when\\x0cthe speaker hopes"
  examples: ["fine", "not\\x07fine"]
"""
GOOD = """name: cb
version: 1.0.0
themes:
- {id: t, label: "Trust and safety", definition: d}
codes:
- {id: c, label: Code, parent: t, definition: "Use when\\nthe speaker hopes\\tmuch"}
"""
runner = CliRunner()


def _study(study: Study, codebook: str) -> Study:
    study.codebook_path.write_text(codebook, encoding="utf-8")
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi.\nP01: I hope so.\n", encoding="utf-8")
    assert study.ingest().ok
    return study


def test_validate_names_each_control_character_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(BAD, encoding="utf-8")
    found = [(p.line, p.message) for p in validate_codebook(path) if p.code == "C020"]
    assert [line for line, _ in found] == [3, 5, 10, 11], found
    assert "U+0001" in found[0][1] and "'description'" in found[0][1]
    assert "U+000B" in found[1][1] and "'label'" in found[1][1] and "position 6" in found[1][1]
    assert "U+000C" in found[2][1] and "'definition'" in found[2][1]
    assert "U+0007" in found[3][1] and "'examples'" in found[3][1]


def test_line_breaks_and_tabs_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert validate_codebook(path) == []


def test_cli_validate_and_report_quotes_give_the_coded_problem(study: Study) -> None:
    root = str(_study(study, GOOD).root)
    r = runner.invoke(app, ["code", "add", "a:1", "c", "--coder", "HT", "--study", root])
    assert r.exit_code == 0, r.output
    study.codebook_path.write_text(BAD, encoding="utf-8")
    r = runner.invoke(app, ["codebook", "validate", "--study", root])
    assert r.exit_code == 1 and "C020" in r.output, r.output
    for args in (["report", "quotes"], ["export", "sheet", "--coder", "SO", "--out", "sheet.xlsx"]):
        r = runner.invoke(app, [*args, "--study", root])
        assert r.exit_code == 1, r.output
        assert "C020" in r.output and "Traceback" not in r.output, r.output
        assert r.exception is None or isinstance(r.exception, SystemExit)


def test_title_with_a_control_character_is_refused(study: Study, tmp_path: Path) -> None:
    s = _study(study, GOOD)
    s.code("a:1", "c", coder="HT")
    out = tmp_path / "b.docx"
    r = runner.invoke(app, ["report", "quotes", "--title", "Appendix\x01", "--out", str(out), "--study", str(s.root)])
    assert r.exit_code == 1 and "E419" in r.output and "U+0001" in r.output, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert not out.exists()
    with pytest.raises(InputError) as err:
        s.report_quotes(tmp_path / "c.md", title="Appendix\x0b")
    assert err.value.code == "E419" and not (tmp_path / "c.md").exists()
    assert s.report_quotes(tmp_path / "d.docx", title="Appendix: quotes").is_file()
