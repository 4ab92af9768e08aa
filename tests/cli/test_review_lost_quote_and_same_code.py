"""Two review defects: `thematic review --list` crashed (ValueError: NaN to integer) when the suggestions it listed
had lost their quote at a re-ingest (no segment id to size the column by); and recoding a suggestion to the code it
already suggests rejected that correct suggestion and added a manual twin. The list now shows "(quote lost)", and
such a recode is an accept."""

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


def _run(root: Path, *args: str, stdin: str | None = None) -> str:
    res = CliRunner().invoke(app, [*args, "--study", str(root)], input=stdin, env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    return res.output


def _lost(tmp_path: Path) -> Path:
    """A study whose one suggestion lost its quote at a re-ingest (W106)."""
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nP06: The grant ran out last spring.\n"})
    _run(root, "code", "--suggesters", "rules")
    (root / "data" / "raw" / "int.txt").write_text("Interviewer: Q.\nP06: Let us talk about gardens.\n",
                                                   encoding="utf-8")
    assert "W106" in _run(root, "ingest")
    return root


def test_list_of_suggestions_whose_quote_was_lost(tmp_path: Path) -> None:
    root = _lost(tmp_path)
    out = _run(root, "review", "--list")
    assert "(quote lost)" in out and "funding" in out, out


def test_recode_to_the_suggested_code_accepts_it(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nP01: The funding was cut again.\n"})
    _run(root, "code", "--suggesters", "rules")
    with Study.open(root) as st:
        [sid] = list(st.store.codings(status="suggested")["coding_id"])
        result = st.decide(sid, "recode", reviewer="AB", new_code="funding")
        assert result.decision == "accept" and result.status == "accepted"
        rows = st.store.codings(code="funding")
        assert list(rows["status"]) == ["accepted"]  # no rejected suggestion, no manual twin


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
