"""`thematic code remove` says when it rejected an accepted suggestion instead of removing a coding.

Taking off a suggestion the coder accepted turns it into a rejection (so it is not suggested again), but
the command printed "Removed 1 coding(s) …", as if it were gone. It now says how many it removed and
how many accepted suggestions it rejected; a manual coding still reads "Removed N coding(s)".
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.assisted_support import interview, write_codebook
from thematic.cli.main import app
from thematic.coding.run import code

SID = "int-01:1"  # the rules suggester suggests security_vetting here


@pytest.fixture
def root(study):  # noqa: ANN001, ANN201 - the root of a study where AB accepted one suggestion
    write_codebook(study)
    study.store.save_document(interview("int-01", ["The vetting took months before I got in.",
                                                   "The funding ran out last spring."]))
    code(study, suggesters=["rules"], ingest=False)
    cods = study.store.codings(code="security_vetting")
    study.decide(cods.loc[cods["segment_id"] == SID, "coding_id"].iloc[0], "accept", reviewer="AB")
    study.code(SID, "funding", coder="AB")
    study.close()
    return study.root


def _run(root, *args: str) -> str:  # noqa: ANN001
    result = CliRunner().invoke(app, [*args, "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_code_remove_of_an_accepted_suggestion_says_it_was_rejected(root) -> None:  # noqa: ANN001
    out = _run(root, "code", "remove", SID, "security_vetting", "--coder", "AB")
    assert "removed 0" in out and "rejected 1 accepted suggestion(s)" in out
    assert "will not be suggested again" in out and "Removed 1 coding(s)" not in out
    assert "Removed 1 coding(s) of funding" in _run(root, "code", "remove", SID, "funding", "--coder", "AB")


def test_code_remove_by_id_of_an_accepted_suggestion_says_it_was_rejected(root) -> None:  # noqa: ANN001
    from thematic.study import Study

    with Study(root) as s:
        cid = str(s.store.codings(code="security_vetting", status="accepted")["coding_id"].iloc[0])
    out = _run(root, "code", "remove", "--id", cid, "--coder", "AB")
    assert "rejected" in out and "will not be suggested again" in out and "Removed coding" not in out
    with Study(root) as s:
        assert s.store.coding(cid)["status"] == "rejected"
