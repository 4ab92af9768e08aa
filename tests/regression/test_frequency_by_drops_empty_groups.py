"""``--by`` frequency tables leave out a group nobody in N belongs to, and keep ``(missing)`` when someone is in it.

A coded turn of a speaker mapped to no participant put a ``(missing)`` group in the table whose N
was 0, shown as a column of "0 of 0" (the participants with a missing value had no transcript, so
nobody in N lacked the attribute). Fictional documents and participants written fresh.
"""

from __future__ import annotations

from coding.manual_support import CODEBOOK_YAML, make_document
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.models import Participant

runner = CliRunner()
DOC = [
    ("Interviewer", None, True, "How did you start?"),
    ("Dan", "P01", False, "I wanted to give something back to the lads."),
    ("Sam", "P02", False, "Funding is always the problem for us."),
    ("Visitor", None, False, "I just came in to say giving back matters."),  # a speaker mapped to no participant
]


def _study(study, *, p02_role: str):  # noqa: ANN001, ANN202 - a thematic.Study
    study.store.save_document(make_document("group-01", DOC))
    study.store.save_participants([Participant("P01", {"role": "peer mentor"}), Participant("P02", {"role": p02_role}),
                                   Participant("P03", {"role": "na"})])  # P03: no transcript, so not in N
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    study.code("group-01:1", "generativity", coder="HT")
    study.code("group-01:2", "funding", coder="HT")
    study.code("group-01:3", "generativity", coder="HT")
    return study


def test_a_group_with_nobody_in_n_is_left_out(study) -> None:
    freq = _study(study, p02_role="service user").frequencies(by="role")
    assert set(freq["group"]) == {"All", "peer mentor", "service user"}
    assert (freq["N_participants"] > 0).all()
    gen = freq.loc[freq["code_id"] == "generativity"].set_index("group")
    assert gen.loc["All", "n_segments"] == 2 and gen.loc["All", "n_of_N"] == "1 of 2"  # the visitor's turn counts in All
    assert gen.loc["peer mentor", "n_of_N"] == "1 of 1"


def test_missing_is_kept_when_someone_in_n_lacks_the_value(study) -> None:
    freq = _study(study, p02_role="n/a").frequencies(by="role")
    assert set(freq["group"]) == {"All", "peer mentor", "(missing)"}
    fund = freq.loc[freq["code_id"] == "funding"].set_index("group")
    assert fund.loc["(missing)", "n_of_N"] == "1 of 1"


def test_the_command_shows_no_0_of_0_column(study) -> None:
    root = _study(study, p02_role="service user").root
    study.close()
    result = runner.invoke(app, ["tables", "frequency", "--by", "role", "--study", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "(missing)" not in result.output and "0 of 0" not in result.output
    assert "peer mentor" in result.output
