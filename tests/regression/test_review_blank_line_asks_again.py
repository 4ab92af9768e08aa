"""In a piped `thematic review` a blank line asks again; only the end of input ends the session.

A stray Enter (an extra newline from tmux or a script) was read as the end of input: the session ended
with no message and the answers after it were never read. `thematic reconcile` already asked again on an
empty line; review now does the same, and the end of input still quits.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study
from thematic.cli.main import app
from thematic.models import Coding, Provenance


@pytest.fixture
def root(study):  # noqa: ANN001, ANN201 - three suggestions waiting for review
    fill_study(study)
    for sid, code_id in (("int-01:1", "generativity"), ("int-01:3", "funding"), ("int-02:1", "security_vetting")):
        seg = study.store.segment(sid)
        study.store.add_codings([Coding(seg.document_id, seg.start, seg.end, code_id, "thematic.rules.v1",
                                        status="suggested", text=seg.text, segment_id=seg.id, confidence=0.5,
                                        provenance=Provenance("suggester", "thematic.rules.v1"), memo="why")])
    study.close()
    return study.root


def _review(root, answers: str) -> str:  # noqa: ANN001
    result = CliRunner().invoke(app, ["review", "--reviewer", "AB", "--study", str(root)], input=answers,
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_a_blank_line_asks_again(root) -> None:  # noqa: ANN001
    out = _review(root, "r\n\nr\nr\n")
    assert "Done: 3 reject. 0 suggestion(s) left." in out


def test_blank_lines_then_the_end_of_input_quit(root) -> None:  # noqa: ANN001
    out = _review(root, "a\n\n\n")
    assert "Done: 1 accept. 2 suggestion(s) left" in out
