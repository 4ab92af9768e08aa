"""`code mark-seen -d NO-SUCH` recorded 0 segments and `export sheet -d NO-SUCH` wrote an empty sheet, exit 0;
`export sheet --coder ''`, `sample --coder ''` and `reconcile --consensus ''` were accepted. An unknown document is
now E408 (with the stored ids and a did-you-mean) and a blank name E018."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from tests.regression.tiny_study import methods_study

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("names")
    r = methods_study(tmp / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"}, coders=("HT", "SO"))
    assert runner.invoke(app, ["ingest", "--study", str(r)], env=ENV).exit_code == 0
    return r


def _run(root: Path, *args: str):  # noqa: ANN202
    return runner.invoke(app, [*args, "--study", str(root)], env=ENV)


def test_mark_seen_unknown_document(root: Path) -> None:
    r = _run(root, "code", "mark-seen", "-d", "p0l", "--coder", "HT")
    assert r.exit_code == 1 and "[E408]" in r.output and "p01" in r.output, r.output


def test_export_sheet_unknown_document(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    r = _run(root, "export", "sheet", "-d", "nope", "--coder", "SO", "--out", str(out))
    assert r.exit_code == 1 and "[E408]" in r.output, r.output
    assert not out.exists()


@pytest.mark.parametrize("args", [
    ("export", "sheet", "--coder", " "),
    ("sample", "--coder", "", "--n", "1"),
    ("reconcile", "--coders", "HT,SO", "--consensus", ""),
])
def test_blank_names_refused(root: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    r = _run(root, *args, *(["--out", str(tmp_path / "x.xlsx")] if args[0] == "export" else []))
    assert r.exit_code == 1 and "[E018]" in r.output, r.output
