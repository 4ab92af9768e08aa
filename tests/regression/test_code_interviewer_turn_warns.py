"""Coding an interviewer turn was stored without a word, although no table, agreement or quote counts it.

The README's notebook tour coded `interviews-p03-peer-mentor:12`, the interviewer's question, so its next
table showed 0 for the code just applied. ``study.code`` and `thematic code add` still store the coding (the
docs allow it), but now warn with W533 that it counts nowhere and name the participant turn that follows.
"""

from __future__ import annotations

import warnings

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app


def test_coding_an_interviewer_turn_warns_w533(study) -> None:  # noqa: ANN001
    fill_study(study)
    with pytest.warns(UserWarning, match=r"\[W533\] 'int-01:0' is an interviewer turn") as caught:
        coding = study.code("int-01:0", "generativity", coder="AB")
    message = str(caught[0].message)
    assert "never count" in message and "int-01:1" in message  # the next participant turn
    assert coding.segment_id == "int-01:0" and len(study.codings(coder="AB")) == 1  # still stored
    seg = study.store.segment("int-01:0")
    with pytest.warns(UserWarning, match=r"\[W533\]"):
        study.code(("int-01", seg.start, seg.start + 5), "funding", coder="AB")  # a span inside it


def test_a_participant_turn_does_not_warn(study) -> None:  # noqa: ANN001
    fill_study(study)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study.code("int-01:1", "generativity", coder="AB")
    assert not [w for w in caught if "W533" in str(w.message)]


def test_cli_code_add_shows_w533_once(study) -> None:  # noqa: ANN001
    fill_study(study)
    result = CliRunner().invoke(app, ["code", "add", "int-01:0", "generativity", "--coder", "AB",
                                      "--study", str(study.root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.count("[W533]") == 1 and "Traceback" not in result.output
    assert "Coded int-01:0" in result.output
