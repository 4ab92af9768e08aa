"""Coding a span that overlaps no participant's turn or survey answer was stored without a word.

A span over a survey's composed header (``R1`` and the question title, no answer text) was accepted by
``study.code`` and `thematic code add` with exit 0, yet no table, agreement or quote ever counts it (the
frequency table read ``0 of 2``). An interviewer turn got W533 in that case; this span got nothing. Now it is
still stored (as the docs allow for interviewer turns) but warns W124: it counts nowhere, and the answer that
follows is named, to code instead. A span that reaches into an answer counts and does not warn, and a span
inside an interviewer turn keeps W533 alone.
"""

from __future__ import annotations

import warnings

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

CODEBOOK = """\
name: cb
version: 0.1.0
themes:
- {id: barriers, label: Barriers, definition: What got in the way.}
codes:
- {id: waiting, label: Waiting, parent: barriers, definition: Delays.}
"""
HEADER = "R1\nWhat was hardest?"


def _survey(study: Study) -> Study:
    root = study.root
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    with open(root / "thematic.toml", "a", encoding="utf-8") as f:
        f.write('\n[ingest.survey."survey.csv"]\nid_column = "respondent_id"\ntext_columns = ["What was hardest?"]\n')
    (root / "data" / "raw" / "survey.csv").write_text(
        "respondent_id,What was hardest?\nR1,Waiting three months for a call\nR2,The bus there\n", encoding="utf-8")
    study = Study(root)
    study.ingest()
    assert study.store.document_text("survey").startswith(HEADER + "\nWaiting")
    return study


def _notes(caught: list[warnings.WarningMessage], code: str) -> list[str]:
    return [str(w.message) for w in caught if f"[{code}]" in str(w.message)]


def test_a_span_over_a_survey_header_warns_that_it_counts_nowhere(study: Study) -> None:
    study = _survey(study)
    with pytest.warns(UserWarning, match=r"\[W124\]") as caught:
        coding = study.code(("survey", 0, len(HEADER)), "waiting", coder="HT")
    (note,) = _notes(caught, "W124")
    assert "survey [0:20]" in note and "waiting" in note and "no table, agreement or quote counts it" in note
    assert "'survey:0'" in note  # the answer that follows, to code instead
    assert coding.segment_id is None and len(study.codings(coder="HT")) == 1  # still stored
    freq = study.frequencies().set_index("code_id")
    assert int(freq.loc["waiting", "n_participants"]) == 0


def test_a_span_reaching_into_an_answer_counts_and_does_not_warn(study: Study) -> None:
    study = _survey(study)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study.code(("survey", 3, len(HEADER) + 8), "waiting", coder="HT")  # question title and "Waiting"
        study.code("survey:1", "waiting", coder="SO")
    assert not _notes(caught, "W124") and not _notes(caught, "W533")
    assert int(study.frequencies().set_index("code_id").loc["waiting", "n_participants"]) == 2


def test_cli_code_add_on_a_header_span_shows_w124_once(study: Study) -> None:
    study = _survey(study)
    result = CliRunner().invoke(app, ["code", "add", "--document", "survey", "--start", "0", "--end", "20",
                                      "waiting", "--coder", "HT", "--study", str(study.root)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.output.count("[W124]") == 1 and "Traceback" not in result.output


def test_a_span_inside_an_interviewer_turn_keeps_w533_alone(study) -> None:  # noqa: ANN001
    fill_study(study)
    seg = study.store.segment("int-01:0")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study.code(("int-01", seg.start, seg.start + 5), "funding", coder="AB")
    assert len(_notes(caught, "W533")) == 1 and not _notes(caught, "W124")
