"""`thematic search`'s hit table: `--context N` and a narrow terminal.

What was wrong: the table cut the context to 45 characters either side whatever `--context N` asked (only the
`--out` CSV had N), and in an 80-column terminal a long document id took the whole width: the "in context"
column vanished and the segment ids were cut before their turn number, so two hits read the same. What is
true now: the table shows N characters either side, a segment id is never cut (it wraps), and the context
column keeps a usable width.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.manual_support import make_document
from thematic.cli.main import app

runner = CliRunner()
LONG_ID = "2023-05-12-interview-participant-07-site-b-revised-final-transcript"
LEFT = " ".join(f"left{i:02d}" for i in range(30))     # 209 characters
RIGHT = " ".join(f"right{i:02d}" for i in range(30))
TURN = f"{LEFT} family {RIGHT}"
AT = TURN.index(" family ") + 1


@pytest.fixture
def root(study) -> Path:  # noqa: ANN001
    study.store.save_document(make_document(LONG_ID, [
        ("Interviewer", None, True, "Tell me about your family."),
        ("Ann", "P01", False, TURN),
        ("Interviewer", None, True, "And then?"),
        ("Ann", "P01", False, "My family matters more than anything to me."),
    ]))
    study.close()
    return study.root


def _search(root: Path, columns: int, *args: str) -> str:
    res = runner.invoke(app, ["search", "family", "--no-interviewer", *args, "--study", str(root)],
                        env={"COLUMNS": str(columns)})
    assert res.exit_code == 0, res.output
    return res.output


def test_context_is_as_wide_as_asked(root: Path) -> None:
    out = _search(root, 400, "--context", "150")
    assert TURN[AT - 150:AT + 6 + 150] in out
    narrow = _search(root, 400, "--context", "20")
    assert TURN[AT - 20:AT + 6 + 20] in narrow and TURN[AT - 21:AT] not in narrow


def test_an_80_column_terminal_keeps_ids_whole_and_the_context(root: Path) -> None:
    out = _search(root, 80)
    rows = [line for line in out.splitlines() if line.startswith("│")]
    first_cells = "".join(line.split("│")[1].strip() for line in rows)
    assert first_cells == f"{LONG_ID}:1{LONG_ID}:3"  # wrapped over lines, every character there
    assert all(len(line) <= 80 for line in out.splitlines())
    context = " ".join(line.split("│")[3].strip() for line in rows)
    assert "family" in context and "left29" in context and "matters more than" in context
