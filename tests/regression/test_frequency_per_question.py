"""Survey tables per question: "n of N" where N is the respondents who answered that question.

A survey's N was everyone who answered any question, so a code of an optional question read "1 of 4"
where only 2 people answered it ("1 of 2"). ``frequencies(question=...)`` and ``thematic tables frequency
--question`` keep the answers to the questions named (id or text, ``*`` patterns, case aside) and count N
over their respondents.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.study import Study

from .unlike_example import write_study

SURVEY = ("respondent_id,site,What got in the way?,Anything else about funding?\n"
          "R1,Leeds,The bus fare every week was more than I could manage.,The grant money ran out in March.\n"
          "R2,York,Nobody to look after the children at the sessions.,No money for the course books.\n"
          "R3,Leeds,The sessions clashed with my shifts at work.,\n"
          "R4,York,I had no time with two jobs and the kids.,\n")


@pytest.fixture
def survey(tmp_path: Path) -> Study:
    study = Study(write_study(tmp_path / "s", {"s.csv": SURVEY}))
    study.ingest()
    segs = study.segments()
    r1 = segs.query("participant_id == 'R1' and question == 'Anything else about funding?'")["segment_id"].iloc[0]
    study.code(r1, "funding_resources", coder="HT")
    return study


def _row(freq, code: str = "funding_resources"):  # noqa: ANN001, ANN202
    return freq.set_index("code_id").loc[code]


def test_n_is_the_respondents_who_answered_the_question(survey: Study) -> None:
    assert _row(survey.frequencies())["n_of_N"] == "1 of 4"
    per_question = survey.frequencies(question="anything else*")
    assert _row(per_question)["n_of_N"] == "1 of 2"
    assert "answered" in per_question.attrs.get("question", "")


def test_an_unknown_question_is_an_error_naming_the_known_ones(survey: Study) -> None:
    with pytest.raises(InputError, match=r"E413.*What got in the way\?"):
        survey.frequencies(question="Q9")


def test_the_cli_prints_per_question_n(survey: Study) -> None:
    result = CliRunner().invoke(app, ["tables", "frequency", "--question", "Anything else*",
                                      "--study", str(survey.root)])
    assert result.exit_code == 0, result.output
    assert "1 of 2" in result.output and "answered" in result.output
