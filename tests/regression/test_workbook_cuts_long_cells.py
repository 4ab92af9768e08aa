"""`export codings --out X.xlsx` and `report workbook` (export.workbook.write_workbook) cut a cell over Excel's
32,767 characters as `export segments` does: a visible "…" at the cut and one W109 line, with no raw pandas or
openpyxl UserWarning. Before, the quote was cut mid-word with no marker and only
"workbook.py:83: UserWarning: Cell contents too long, truncated to 32767 characters" on stderr.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.export.workbook import write_workbook
from thematic.study import Study

from .tiny_study import ENV, methods_study

LONG = " ".join(f"word{i}" for i in range(8000))  # 46,889 characters
runner = CliRunner()


def _long_cells(path: Path) -> list[str]:
    return [c for ws in load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)
            for c in row if isinstance(c, str) and len(c) > 1000]


def test_write_workbook_cuts_with_an_ellipsis_and_warns_w109(tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_workbook({"codings": pd.DataFrame({"code_id": ["online"], "text": [LONG]})}, out)
    messages = [str(w.message) for w in caught]
    assert [m[:6] for m in messages] == ["[W109]"], messages
    assert str(out) in messages[0] and "1 cell(s)" in messages[0]
    [cell] = _long_cells(out)
    assert len(cell) == 32_767 and cell.endswith("…") and cell[:-1] == LONG[:32_766]


@pytest.fixture
def long_turn(tmp_path: Path) -> Path:
    """A study with one coded participant turn of 46,889 characters."""
    root = methods_study(tmp_path / "study", {"interview-01.txt": (
        f"Interview\n\nResearcher 1: Q?\n\nP01: {LONG} END.\n\nResearcher 1: Thanks.\n")})
    with Study(root) as s:
        s.ingest()
        s.code("interview-01:1", "online", coder="AB")
    return root


@pytest.mark.parametrize("command", [["export", "codings", "--out", "{tmp}/c.xlsx"],
                                     ["report", "workbook", "--out", "{tmp}/w.xlsx", "--boot", "0"],
                                     ["export", "segments", "--out", "{tmp}/s.xlsx"]])
def test_every_xlsx_export_cuts_alike(long_turn: Path, tmp_path: Path, command: list[str]) -> None:
    args = [c.format(tmp=tmp_path) for c in command] + ["--study", str(long_turn)]
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        r = runner.invoke(app, args, env=ENV)
    assert r.exit_code == 0, r.output
    assert r.output.count("[W109]") == 1, r.output
    assert "UserWarning" not in r.output and ".py:" not in r.output
    assert not [w for w in escaped if "truncated" in str(w.message) or "[W109]" in str(w.message)]
    cells = _long_cells(Path(args[args.index("--out") + 1]))
    assert cells and all(len(c) == 32_767 and c.endswith("…") for c in cells)
