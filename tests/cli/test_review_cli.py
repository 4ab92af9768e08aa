"""`thematic review` driven through a pipe (CliRunner input), as in tmux or a script."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study, suggest
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


@pytest.fixture
def reviewed(study):
    fill_study(study)
    ids = [suggest(study.store, "int-01:3", "funding", 0.95),
           suggest(study.store, "int-02:1", "security_vetting", 0.5),
           suggest(study.store, "int-02:3", "generativity", 0.7)]
    study.close()
    return study.root, ids


def _run(root, *args: str, input: str | None = None):
    result = runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


def test_review_cli_accept_reject_quit_then_resume(reviewed) -> None:
    root, ids = reviewed
    out = _run(root, "review", "--reviewer", "AB", input="a\nr\nq\n")
    assert "1/3  int-01:3  Dan (P01)" in out and "What made it hard?" in out
    assert "funding — Funding  confidence 0.95" in out
    assert "Done: 1 accept, 1 reject. 1 suggestion(s) left" in out
    with Study(root) as s:
        assert [s.store.coding(c)["status"] for c in ids] == ["accepted", "rejected", "suggested"]
        assert s.store.coding(ids[0])["reviewer"] == "AB"
    out = _run(root, "review", "--reviewer", "AB", input="a\n")  # resumes at the one left
    assert "1/1  int-02:3" in out
    with Study(root) as s:
        assert s.store.coding(ids[2])["status"] == "accepted"


def test_review_cli_uncertain_first_skip_and_recode(reviewed) -> None:
    root, ids = reviewed
    out = _run(root, "review", "--uncertain-first", "--reviewer", "SO",
               input="s\nhuh\nc\nfundng\nhook_for_change\n")
    assert out.index("security_vetting") < out.index("generativity") < out.index("— Funding")
    assert "'huh' is not a choice" in out and "Did you mean 'funding'" in out
    with Study(root) as s:
        assert s.store.coding(ids[1])["status"] == "suggested"  # skipped
        assert s.store.coding(ids[2])["status"] == "rejected"  # recoded
        assert list(s.codings(coder="SO")["code_id"]) == ["hook_for_change"]
    listing = _run(root, "review", "--list")
    assert "2 suggestion(s) to review" in listing and "2*" in listing  # the skipped one comes last


def test_review_cli_list_filters_and_empty_queue(reviewed) -> None:
    root, _ids = reviewed
    out = _run(root, "review", "--list", "--code", "generativity")
    assert "1 suggestion(s) to review" in out and "int-02:3" in out and "int-01:3" not in out
    _run(root, "review", "--reviewer", "AB", input="r\nr\nr\n")
    assert "Nothing to review" in _run(root, "review")


def test_review_cli_order_option_is_the_same_as_uncertain_first(reviewed) -> None:
    root, _ids = reviewed
    out = _run(root, "review", "--list", "--order", "uncertain")
    assert out.index("security_vetting") < out.index("generativity") < out.index("funding")
    bad = runner.invoke(app, ["review", "--order", "random", "--study", str(root)])
    assert bad.exit_code == 1 and "E349" in bad.output


def test_an_empty_filtered_queue_says_what_is_still_waiting(reviewed) -> None:
    root, _ids = reviewed
    out = _run(root, "review", "--suggester", "thematic.ensemble.v1")
    assert "no suggested codings are waiting" not in out
    assert "3 suggested coding(s) are waiting in all (3 from thematic.rules.v1)" in " ".join(out.split())
    out = _run(root, "review", "--code", "hook_for_change")
    assert "matches --code/--suggester/--document" in " ".join(out.split())
