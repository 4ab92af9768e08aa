"""A `--regex` that backtracks without end stops at a time budget with [E414] naming the pattern.

Before, a pattern such as `(a|aa)+b` ran unbounded over a long turn (only Ctrl-C stopped it), so an
unattended run or a notebook cell hung.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.study import Study, init_study

runner = CliRunner()
SLOW = r"(a|aa)+b"  # exponential backtracking on a run of a's with no b


@pytest.fixture
def long_turn(tmp_path: Path) -> Path:
    root = tmp_path / "study"
    init_study(root, name="slow").close()
    (root / "data" / "raw" / "talk.txt").write_text(
        "Interviewer: Say it.\nP01: " + "a" * 60 + " and that was all.\n", encoding="utf-8")
    with Study(root) as s:
        s.ingest()
    return root


def test_slow_regex_stops_at_the_time_budget(long_turn: Path) -> None:
    with Study(long_turn) as s:
        began = time.monotonic()
        with pytest.raises(InputError) as err:
            s.search(SLOW, mode="regex", timeout=0.5)
        assert time.monotonic() - began < 10
        assert s.search("that was", mode="regex", timeout=0.5)["match"].tolist() == ["that was"]  # a fast one is fine
    message = str(err.value)
    assert message.startswith("[E414]") and SLOW in message and "talk:1" in message


def test_slow_regex_is_a_message_not_a_traceback_in_the_cli(long_turn: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import thematic.coding.search as search_module

    # the default budget is 30 s; the command runs with a shorter one so the test is quick
    assert "timeout" in search_module.search.__kwdefaults__  # (without a budget the command would never end)
    monkeypatch.setitem(search_module.search.__kwdefaults__, "timeout", 0.5)
    r = runner.invoke(app, ["search", "--regex", SLOW, "--study", str(long_turn)])
    assert r.exit_code == 1
    assert "[E414]" in r.output and "Traceback" not in r.output


def test_the_cli_budget_is_an_option(long_turn: Path) -> None:
    r = runner.invoke(app, ["search", "--regex", SLOW, "--timeout", "0.5", "--study", str(long_turn)])
    assert r.exit_code == 1
    assert "[E414]" in r.output and "0.5 s" in r.output and "--timeout" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["search", "--regex", "that was", "--timeout", "0.5", "--study", str(long_turn)])
    assert r.exit_code == 0 and "1 hit(s)" in r.output, r.output
