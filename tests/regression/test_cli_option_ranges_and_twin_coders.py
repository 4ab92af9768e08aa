"""Unvalidated option values ended in tracebacks (`--boot -1`, `--boot HUGE`, `--seed -1`, `--sep ''`,
`reconcile --coders HT,HT`), and `agreement --coders HT,HT` compared a coder with themself (0%, kappa -1).
They are now usage errors naming the range, and a coder named twice (after case is matched) is E359."""

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
    tmp = tmp_path_factory.mktemp("twin")
    r = methods_study(tmp / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\nInterviewer: And?\n"
                                   "P01: Covid closed it.\n"}, coders=("HT", "SO"))
    (r / "data" / "participants.csv").write_text("participant_id,Interest\nP01,a;b\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", "--study", str(r)], env=ENV).exit_code == 0
    for coder in ("HT", "SO"):
        res = runner.invoke(app, ["code", "add", "p01:2", "online", "--coder", coder, "--study", str(r)], env=ENV)
        assert res.exit_code == 0, res.output
    return r


def _run(root: Path, *args: str):  # noqa: ANN202
    return runner.invoke(app, [*args, "--study", str(root)], env=ENV)


@pytest.mark.parametrize("args", [
    ("agreement", "--boot", "-1"),
    ("agreement", "--boot", "99999999999999999999999"),
    ("agreement", "--seed", "-1"),
    ("report", "workbook", "--boot", "-1"),
    ("tables", "attributes", "--multi", "Interest", "--sep", ""),
])
def test_bad_values_are_usage_errors(root: Path, args: tuple[str, ...]) -> None:
    r = _run(root, *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and args[-2] in r.output, r.output


def test_agreement_refuses_the_same_coder_twice(root: Path) -> None:
    for coders in ("HT,HT", "HT,ht"):
        r = _run(root, "agreement", "--coders", coders)
        assert r.exit_code == 1 and "[E359]" in r.output and "HT" in r.output, r.output


def test_reconcile_refuses_the_same_coder_twice(root: Path, tmp_path: Path) -> None:
    r = _run(root, "reconcile", "--coders", "HT,HT", "--out", str(tmp_path / "r.xlsx"))
    assert r.exit_code == 1 and "[E359]" in r.output, r.output
    assert not (tmp_path / "r.xlsx").exists()


def test_two_coders_still_compared(root: Path) -> None:
    r = _run(root, "agreement", "--coders", "HT,SO", "--boot", "0")
    assert r.exit_code == 0, r.output
