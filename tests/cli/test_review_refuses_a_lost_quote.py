"""A suggestion whose quote a re-ingest lost (the passage was edited away, or its document removed) could be
accepted in review: it became an accepted coding that counts nowhere and quotes nothing, and the review queue
said nothing. Accepting (or recoding) it is now refused with E385, which says why and to reject it; rejecting
it still works, and the queue's ``blocked`` column says so before the reviewer tries."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from regression.tiny_study import codebook_yaml, study_with
from thematic.cli.main import app
from thematic.errors import InputError
from thematic.study import Study

CODEBOOK = codebook_yaml("""\
- id: funding
  label: Funding
  parent: life
  definition: Money and funding problems.
  keywords: [funding, grant]
- id: housing
  label: Housing
  parent: life
  definition: Where people live.
  keywords: [flat, hostel]
""")


def _run(root: Path, *args: str, stdin: str | None = None, code: int = 0) -> str:
    res = CliRunner().invoke(app, [*args, "--study", str(root)], input=stdin, env={"COLUMNS": "200"})
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    return res.output


def _lost(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nP06: The grant ran out last spring.\n"})
    _run(root, "code", "--suggesters", "rules")
    (root / "data" / "raw" / "int.txt").write_text("Interviewer: Q.\nP06: Let us talk about gardens.\n",
                                                   encoding="utf-8")
    assert "W106" in _run(root, "ingest")
    return root


def test_accept_and_recode_of_a_lost_quote_are_refused(tmp_path: Path) -> None:
    root = _lost(tmp_path)
    with Study.open(root) as st:
        [sid] = list(st.store.codings(status="suggested")["coding_id"])
        queue = st.review_queue()
        assert "quote" in str(queue.loc[0, "blocked"]) and "reject" in str(queue.loc[0, "blocked"])
        for decision, new_code in (("accept", None), ("recode", "housing")):
            with pytest.raises(InputError, match=r"E385.*reject"):
                st.decide(sid, decision, reviewer="AB", new_code=new_code)
        assert list(st.store.codings()["status"]) == ["suggested"]  # nothing changed, nothing added
        assert st.decide(sid, "reject", reviewer="AB").status == "rejected"


def test_review_command_says_why_and_moves_on(tmp_path: Path) -> None:
    root = _lost(tmp_path)
    out = _run(root, "review", "--reviewer", "AB", stdin="a\nr\n")
    assert "E385" in out, out
    with Study.open(root) as st:
        assert list(st.store.codings()["status"]) == ["rejected"]
