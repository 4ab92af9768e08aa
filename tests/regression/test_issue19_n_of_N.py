""""n of N" on a study shaped like the issue-19 one: participants.csv lists more people than have
transcripts (and a row with id "na"), a survey adds respondents, a transcript has unmapped speakers."""

from __future__ import annotations

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, code_by_words, write_study

runner = CliRunner()
ROSTER = (
    "participant_id,transcript,Sex,Region\n"
    "815U3321N28865LI,ana,F,North East\n"
    "366C3337C69875TC,david,f ,north  east\n"
    "109M3475G29930JA,,F,Scotland\n"
    "na,,na,na\n"
)
SURVEY = "Case,Age,freetext\nID4,24,I never have enough time for courses.\nID5,,Work and family take all my time.\nID6,67,I garden.\n"
BRACKETS = "[id1] I like the course, but time is short.\n\n[id2] The slides are too busy.\n\n[id1] Time again.\n"


def _study(tmp_path, roster=True):
    texts = {**TRANSCRIPTS, "survey.csv": SURVEY, "brackets.txt": BRACKETS}
    root = write_study(tmp_path / "study", texts)
    if roster:
        (root / "data" / "raw" / "participants.csv").write_text(ROSTER, encoding="utf-8")
    return root


def _code_time(study: Study) -> None:
    code_by_words(study, {"time_pressure": ("time",)})


def test_n_per_source_kind_counts_only_people_with_data(tmp_path):
    root = _study(tmp_path)
    with Study(root) as study:
        study.ingest()
        _code_time(study)
        freq = study.frequencies()
        time = freq.loc[freq["code_id"] == "time_pressure"].set_index("source")
        assert time["n_of_N"].to_dict() == {"interviewees": "1 of 2", "survey respondents": "2 of 3"}
        by_sex = study.frequencies(by="Sex")
        groups = by_sex.loc[(by_sex["code_id"] == "time_pressure") & (by_sex["source"] == "interviewees")]
        # "F" and "f " are one group; N is the two interviewees, not the four rows of participants.csv
        sizes = groups.set_index("group")["N_participants"].to_dict()
        assert {g: n for g, n in sizes.items() if n} == {"All": 2, "F": 2}
        by_region = study.frequencies(by="Region", source="all")
        assert "North East" in set(by_region["group"]) and "north  east" not in set(by_region["group"])
    r = runner.invoke(app, ["tables", "frequency", "--study", str(root)])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    assert "N: 2 interviewees and 3 survey respondents" in out


def test_ingest_warns_about_rows_speakers_and_ids(tmp_path):
    root = _study(tmp_path)
    with Study(root) as study:
        report = study.ingest()
    text = "\n".join(report.study_warnings)
    assert "[W020]" in text and "109M3475G29930JA" in text and "not counted in N" in text
    assert "[W021]" in text and "id1" in text and "id2" in text
    assert "[W023]" in text and "'na'" in text
    assert "[W024]" in text and "Sex" in text and "Region" in text
    r = runner.invoke(app, ["ingest", "--force", "--study", str(root)])
    assert r.exit_code == 0 and "[W020]" in r.output and "[W024]" in r.output, r.output


def test_ingest_warns_when_interviews_have_no_participants_csv(tmp_path):
    root = _study(tmp_path, roster=False)
    with Study(root) as study:
        report = study.ingest()
    assert any("[W022]" in w and "participants.csv" in w for w in report.study_warnings)
