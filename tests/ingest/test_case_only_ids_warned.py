"""Without participants.csv, ``p01`` in a survey and ``P01`` labelling a transcript's turns are two people in
every table, silently. Ingest now says so (W027), naming each group of spellings; one spelling is quiet."""

from __future__ import annotations

from thematic.study import Study

SURVEY = """respondent_id,What got in the way of your studies?
p01,I had no time because of my job and family duties.
p02,Costs kept going up and up every single month.
"""

TRANSCRIPT = """Interviewer: How did the course go for you?
P01: It was hard to keep going with the job and the kids at home.
Interviewer: And the money side?
P01: The fees went up twice in one year, which nobody warned us about.
"""


def test_ids_differing_only_in_case_are_named(study: Study) -> None:
    (study.paths.raw / "feedback.csv").write_text(SURVEY, encoding="utf-8")
    (study.paths.raw / "talk.txt").write_text(TRANSCRIPT, encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    people = set(study.segments()["participant_id"].dropna())
    assert {"p01", "P01"} <= people  # still two people: nothing is merged behind the researcher's back
    [w027] = [w for w in report.study_warnings if w.startswith("[W027]")]
    assert "P01 / p01" in w027 and "p02" not in w027, w027


def test_one_spelling_gives_no_w027(study: Study) -> None:
    (study.paths.raw / "feedback.csv").write_text(SURVEY.replace("p01", "P01"), encoding="utf-8")
    (study.paths.raw / "talk.txt").write_text(TRANSCRIPT, encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert not any(w.startswith("[W027]") for w in report.study_warnings), report.study_warnings
