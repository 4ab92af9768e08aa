"""An output name of 236 to 255 bytes (80 Chinese characters and ``.csv`` is 244 bytes) is legal, but no export could
write it: the temporary file made beside it (``.NAME.PID-XXXXXXXX.tmp``, about 20 bytes longer) was over the file
system's limit, so ``export codings``, ``search --out`` and ``report quotes`` said "File name too long" and
``backup --out`` told the researcher to free disk space. Now the temporary file takes a short name when the
target's is long, so every legal name is written (and no temporary file is left); a name over the limit is
refused with E062 naming it and its length, before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regression.tiny_study import ENV, one_coded_study
from thematic._atomic import name_max, write_text_atomic
from thematic.cli.main import app
from thematic.errors import InputError

runner = CliRunner()
STEM = "访谈记录" * 20  # 240 bytes in UTF-8


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    return one_coded_study(tmp_path / "s")


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(("args", "suffix"), [
    (["export", "codings", "--out"], ".csv"),
    (["search", "funding", "--out"], ".csv"),
    (["report", "quotes", "--out"], ".docx"),
    (["report", "workbook", "--out"], ".xlsx"),
    (["backup", "--out"], ".db"),
])
def test_a_long_legal_name_is_written(coded: Path, args: list[str], suffix: str) -> None:
    reports = coded / "reports"
    reports.mkdir(exist_ok=True)
    target = reports / f"{STEM}{suffix}"
    assert len(os.fsencode(target.name)) <= name_max(reports)
    res = runner.invoke(app, [*args, str(target), "--study", str(coded)], env=ENV)
    assert res.exit_code == 0, res.output
    assert target.is_file() and target.stat().st_size > 0
    assert _leftovers(reports) == []
    res = runner.invoke(app, [*args, str(target), "--study", str(coded), *(["--force"] if "backup" in args else [])],
                        env=ENV)
    assert res.exit_code == 0, res.output  # and replaced again
    assert _leftovers(reports) == []


def test_a_name_of_exactly_the_limit_is_written(tmp_path: Path) -> None:
    limit = name_max(tmp_path)
    target = tmp_path / ("a" * (limit - 4) + ".csv")
    write_text_atomic(target, "a,b\n")
    assert target.read_text() == "a,b\n"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("args", [["export", "codings", "--out"], ["search", "funding", "--out"],
                                  ["backup", "--out"]])
def test_a_name_over_the_limit_is_refused_naming_it(coded: Path, args: list[str]) -> None:
    target = coded / "reports" / f"{STEM}{STEM}.csv"
    res = runner.invoke(app, [*args, str(target), "--study", str(coded)], env={**ENV, "COLUMNS": "2000"})
    assert res.exit_code == 1, res.output
    assert "E062" in res.output and STEM in res.output and "bytes" in res.output, res.output
    assert "disk space" not in res.output and "Traceback" not in res.output
    assert not target.parent.exists() or _leftovers(target.parent) == []


def test_the_api_refuses_a_name_over_the_limit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="E062"):
        write_text_atomic(tmp_path / ("b" * 300 + ".csv"), "x")
    assert list(tmp_path.iterdir()) == []
