"""`report quotes --order document` lists documents in the order their neutral labels number them.

Labels are numbered in participant order (file names may hold real names, so they are not shown), but
the quotes were sorted by document id: a study whose files sort the other way round read
"Interview 2" before "Interview 1".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from thematic.analysis.quotes import select_quotes
from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import methods_study

runner = CliRunner()


@pytest.fixture
def swapped(tmp_path: Path) -> Path:
    """a-int.txt is P02's interview and b-int.txt P01's: ids sort one way, participants the other."""
    root = methods_study(tmp_path / "study", {
        "a-int.txt": "Interviewer: Hello?\nP02: We taught online.\n",
        "b-int.txt": "Interviewer: Hello?\nP01: I taught online too.\n",
        "participants.csv": "participant_id,role\nP01,teacher\nP02,student\n"})
    with Study(root) as s:
        s.ingest()
        s.code("a-int:1", "online", coder="HT")
        s.code("b-int:1", "online", coder="HT")
    return root


def test_order_document_follows_the_interview_numbers(swapped: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix.docx"
    r = runner.invoke(app, ["report", "quotes", "--order", "document", "--out", str(out), "--study", str(swapped)])
    assert r.exit_code == 0, r.output
    shown = [p.text for p in Document(str(out)).paragraphs if "Interview" in p.text and "turn" in p.text]
    assert len(shown) == 2
    assert "P01" in shown[0] and "Interview 1" in shown[0]
    assert "P02" in shown[1] and "Interview 2" in shown[1]


def test_markdown_and_library_agree(swapped: Path, tmp_path: Path) -> None:
    out = tmp_path / "appendix.md"
    r = runner.invoke(app, ["report", "quotes", "--order", "document", "--out", str(out), "--study", str(swapped)])
    assert r.exit_code == 0, r.output
    lines = [x for x in out.read_text(encoding="utf-8").splitlines() if x.startswith("> —")]
    assert [("Interview 1" in x, "Interview 2" in x) for x in lines] == [(True, False), (False, True)]
    with Study(swapped) as s:
        f = s.frames()
        neutral = select_quotes(f.codings, f.segments, f.participants, f.codebook, order="document")
        by_id = select_quotes(f.codings, f.segments, f.participants, f.codebook, order="document", document_label="id")
    assert neutral["document_label"].tolist() == ["Interview 1", "Interview 2"]
    assert by_id["document_label"].tolist() == ["a-int", "b-int"]  # ids shown: ids in order
