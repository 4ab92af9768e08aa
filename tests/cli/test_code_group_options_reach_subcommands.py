"""`thematic code --study B add|remove|mark-seen ...` and `thematic code --coder Q add ...`.

What was wrong: the `code` group took `--study` and `--coder` but dropped them when a subcommand followed,
so the coding was added to (or removed from) the study of the working folder and credited to
$THEMATIC_CODER, silently. What is true now: the group's `--study` and `--coder` reach add, remove and
mark-seen; the same option given twice with two values, or a batch-only option (`--limit`, `--suggesters`,
...) before a subcommand, is a usage error (exit 2) and nothing is stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.study import Study, init_study

runner = CliRunner()


@pytest.fixture
def two(study, tmp_path: Path) -> tuple[Path, Path]:  # noqa: ANN001
    fill_study(study)
    other = init_study(tmp_path / "other", name="other study")
    fill_study(other)
    study.close()
    other.close()
    return study.root, other.root


def _run(*args: str, code: int = 0, coder_env: str = "HT") -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": "140", "THEMATIC_CODER": coder_env})
    assert result.exit_code == code, result.output
    return result.output


def _coders(root: Path) -> list[tuple[str, str, str]]:
    with Study(root) as s:
        c = s.codings()
        return sorted(zip(c["segment_id"], c["code_id"], c["coder"]))


def test_group_study_and_coder_reach_add_and_remove(two, monkeypatch) -> None:  # noqa: ANN001
    here, there = two
    monkeypatch.chdir(here)
    out = _run("code", "--study", str(there), "--coder", "Q", "add", "int-01:1", "generativity")
    assert "(coder Q)" in out
    assert _coders(there) == [("int-01:1", "generativity", "Q")] and _coders(here) == []
    _run("code", "add", "int-01:1", "generativity", "--coder", "Q")  # the working folder's study
    out = _run("code", "--study", str(there), "remove", "int-01:1", "generativity", "--coder", "Q")
    assert "Removed 1 coding(s)" in out
    assert _coders(there) == [] and _coders(here) == [("int-01:1", "generativity", "Q")]


def test_group_options_work_from_a_folder_that_is_no_study(two, monkeypatch, tmp_path: Path) -> None:  # noqa: ANN001
    _, there = two
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _run("code", "--study", str(there), "add", "int-01:1", "generativity", "--coder", "Q")
    assert _coders(there) == [("int-01:1", "generativity", "Q")]
    out = _run("code", "--study", str(there), "--coder", "SO", "mark-seen", "int-01:1", "int-01:3")
    assert "Recorded 2 segment(s) as seen by SO" in out
    with Study(there) as s:
        assert set(s.seen("SO")["segment_id"]) == {"int-01:1", "int-01:3"}


def test_group_coder_beats_the_environment_and_a_clash_is_refused(two, monkeypatch) -> None:  # noqa: ANN001
    here, there = two
    monkeypatch.chdir(here)
    _run("code", "--coder", "Q", "add", "int-01:1", "generativity", coder_env="HT")
    assert _coders(here) == [("int-01:1", "generativity", "Q")]
    out = _run("code", "--coder", "Q", "add", "int-01:1", "funding", "--coder", "R", code=2)
    assert "E529" in out and "--coder" in out
    out = _run("code", "--study", str(there), "add", "int-01:1", "funding", "--coder", "Q", "--study", str(here),
               code=2)
    assert "E529" in out and "--study" in out
    # the same value twice is no clash
    _run("code", "--study", str(there), "add", "int-01:1", "funding", "--coder", "Q", "--study", str(there))
    assert _coders(here) == [("int-01:1", "generativity", "Q")]
    assert _coders(there) == [("int-01:1", "funding", "Q")]


def test_batch_options_before_a_subcommand_are_refused(two, monkeypatch) -> None:  # noqa: ANN001
    here, _ = two
    monkeypatch.chdir(here)
    for option in (["--limit", "5"], ["--sample", "3"], ["--suggesters", "rules"], ["--scheduler", "local"]):
        out = _run("code", *option, "add", "int-01:1", "generativity", "--coder", "Q", code=2)
        assert "E530" in out and option[0] in out
    assert _coders(here) == []


def test_no_coder_anywhere_is_a_usage_error(two, monkeypatch) -> None:  # noqa: ANN001
    here, _ = two
    monkeypatch.chdir(here)
    out = _run("code", "add", "int-01:1", "generativity", code=2, coder_env="")
    assert "--coder" in out
    assert _coders(here) == []
