"""`export tables` and `report workbook` print a library warning (W600) as one clean line, as `agreement` does.

Before, W600 escaped as a raw Python warning, twice, with the source path and the code line.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import methods_study

runner = CliRunner()


@pytest.fixture
def two_coders(tmp_path: Path) -> Path:
    """HT and SO both coded one turn; neither recorded what they saw (so agreement warns W600)."""
    root = methods_study(tmp_path / "study", {"talk.txt": (
        "Interviewer: Hello?\nP01: We taught online.\nInterviewer: And then?\nP01: Then covid came.\n")},
        coders=("HT", "SO"))
    with Study(root) as s:
        assert list(s.config.coders) == ["HT", "SO"]
        s.ingest()
        s.code("talk:1", "online", coder="HT")
        s.code("talk:1", "online", coder="SO")
    return root


def _invoke(args: list[str]) -> str:
    """The command's output; no warning may escape it as a Python warning."""
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert [str(w.message)[:6] for w in escaped if "[W" in str(w.message)] == []
    return r.output


@pytest.mark.parametrize("command", [["export", "tables", "--out", "{tmp}/tables", "--format", "csv"],
                                     ["export", "tables", "--out", "{tmp}/tables.xlsx"],
                                     ["report", "workbook", "--out", "{tmp}/book.xlsx", "--boot", "10"]])
def test_w600_is_one_clean_line(two_coders: Path, tmp_path: Path, command: list[str]) -> None:
    out = _invoke([c.format(tmp=tmp_path) for c in command] + ["--study", str(two_coders)])
    assert out.count("[W600]") == 1
    assert "Warning:" not in out and ".py:" not in out and "build_ratings(" not in out
    written = next(p for p in tmp_path.iterdir() if p.name.startswith(("tables", "book")))
    if written.suffix == ".xlsx":
        assert any("agree" in name.lower() for name in load_workbook(written).sheetnames)
    else:
        assert any("agree" in p.name for p in written.iterdir())


def test_agreement_still_prints_w600_once(two_coders: Path) -> None:
    out = _invoke(["agreement", "--boot", "0", "--study", str(two_coders)])
    assert out.count("[W600]") == 1
