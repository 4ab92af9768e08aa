"""`thematic reconcile` in the terminal: the prompt shows its key letters, and through a pipe an
empty line asks again (only the end of input quits, keeping the segments already settled).

Hand-written fictional data (tests/coding/manual_support.py), real store, typer's CliRunner.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


def _run(root: Path, *args: str, input: str | None = None) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def disputes(study):
    """Two disputed segments: int-01:1 (funding and hook_for_change, SO only) and int-01:3 (HT only)."""
    fill_study(study)
    s = study
    s.code("int-01:1", "funding", coder="SO")
    s.code("int-01:1", "hook_for_change", coder="SO")
    s.code("int-01:3", "security_vetting", coder="HT")
    for coder in ("HT", "SO"):
        s.mark_seen(["int-01:1", "int-01:3"], coder=coder, source="api")
    s.close()
    return study.root


def test_the_prompt_shows_its_key_letters(disputes) -> None:
    out = _run(disputes, "reconcile", "--coders", "HT,SO", "--by", "HT", input="q\n")
    assert "[y]es / [n]o / [s]kip segment / [q]uit" in out
    assert "es / o / kip" not in out


def test_an_empty_line_asks_again_and_end_of_input_keeps_what_was_settled(disputes) -> None:
    # int-01:1: hook_for_change n, (empty line: asked again) funding y, memo; int-01:3: empty line, input ends
    out = _run(disputes, "reconcile", "--coders", "HT,SO", "--by", "HT", input="n\n\ny\nfunding only\n\n")
    assert "Done: 1 settled" in out and "1 disputed segment(s) left" in " ".join(out.split())
    assert out.count("Apply ") >= 4  # hook_for_change, funding twice, security_vetting
    with Study(disputes) as s:
        cons = s.codings(coder="consensus")
        assert set(zip(cons["segment_id"], cons["code_id"])) == {("int-01:1", "funding")}
        dec = s.store.decisions()
        assert sorted(zip(dec["code_id"], dec["applied"])) == [("funding", 1), ("hook_for_change", 0)]
        assert set(dec["memo"]) == {"funding only"}
