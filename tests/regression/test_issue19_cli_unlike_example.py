"""Every CLI command that writes a table or a document, on a study without participants.csv whose
file names hold no digits (issue 19: `report quotes` crashed with a pyarrow traceback)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

from .unlike_example import code_two_coders, write_study

runner = CliRunner()


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    root = write_study(tmp_path_factory.mktemp("unlike") / "study")
    code_two_coders(root)
    return root


COMMANDS = [
    ["tables", "frequency", "--out", "{o}/freq.csv", "--chart", "{o}/freq.png"],
    ["tables", "frequency", "--level", "code", "--out", "{o}/freq.xlsx"],
    ["tables", "cooccurrence", "--out", "{o}/co.csv", "--chart", "{o}/co.png"],
    ["tables", "matrix", "--out", "{o}/matrix.csv"],
    ["tables", "matrix", "--columns", "document", "--out", "{o}/matrix.xlsx"],
    ["report", "quotes", "--out", "{o}/appendix.docx", "--charts"],
    ["report", "quotes", "--out", "{o}/appendix.md", "--order", "document"],
    ["report", "quotes", "--out", "{o}/chosen.docx", "--order", "chosen", "--max-quotes", "1"],
    ["report", "workbook", "--out", "{o}/tables.xlsx", "--boot", "10"],
    ["export", "segments", "--out", "{o}/segments.csv"],
    ["export", "codings", "--out", "{o}/codings.xlsx"],
    ["export", "tables", "--out", "{o}/tables"],
    ["export", "sheet", "--coder", "XY", "--out", "{o}/sheet.xlsx"],
    ["agreement", "--coders", "HT,SO", "--boot", "10", "--out", "{o}/agreement.docx", "--chart", "{o}/alpha.png"],
    ["agreement", "--coders", "HT,SO", "--boot", "0", "--out", "{o}/agreement.xlsx"],
    ["codebook", "export", "--out", "{o}/codebook.docx"],
    ["codebook", "export", "--out", "{o}/codebook.md"],
    ["refi", "export", "--out", "{o}/study.qdpx"],
    ["search", "time", "--out", "{o}/hits.csv"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_command_writes_without_traceback(root, tmp_path, args):
    argv = [a.format(o=tmp_path) for a in args] + ["--study", str(root)]
    r = runner.invoke(app, argv)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    assert "Traceback" not in r.output
    assert r.exit_code == 0, r.output
    written = [a.format(o=tmp_path) for a in args if a.startswith("{o}")]
    from pathlib import Path

    for path in map(Path, written):
        assert path.exists() and (path.is_dir() or path.stat().st_size > 0), path
