"""`thematic review --list --limit` takes a whole number of at least 1, like `thematic code --limit`: 0 crashed with
a traceback and a negative limit printed a wrong "… and N more" count."""

from __future__ import annotations

from pathlib import Path

import pytest
from regression.tiny_study import CODEBOOK, ENV, cli, runner, study_with

from thematic.cli.main import app


@pytest.fixture
def queued(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    study_with(root, CODEBOOK, {"survey.csv": (
        "respondent_id,answer_text\nR01,The funding for the project stopped last year and nobody told us why.\n"
        "R02,There is no funding left and I could not find a job anywhere in the town.\n"
        "R03,I lost my job when the factory closed and I have been looking ever since.\n")})
    cli(root, "code", "--suggesters", "rules")
    return root


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_limit_below_one_is_a_usage_error(queued: Path, limit: str) -> None:
    res = runner.invoke(app, ["review", "--list", "--limit", limit, "--study", str(queued)], env=ENV)
    assert res.exit_code == 2, res.output
    assert "--limit" in res.output and "Traceback" not in res.output and "more (--limit)" not in res.output


def test_limit_one_shows_one_and_counts_the_rest(queued: Path) -> None:
    out = cli(queued, "review", "--list", "--limit", "1")
    waiting = int(out.split(" suggestion(s) to review")[0].split()[-1])
    assert waiting > 1 and f"… and {waiting - 1} more (--limit)." in out
