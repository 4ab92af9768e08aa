"""Correcting the case of an id in participants.csv (p03 -> P03) after a survey was ingested did not re-read the
survey: its respondent stayed ``p03`` beside the roster's ``P03``, one person counted twice, until ``ingest --force``.
The roster's ids now shape each file's reading, so the next ingest re-reads it (W107) and the person is one."""

from __future__ import annotations

from thematic.study import Study

SURVEY = """respondent_id,What got in the way of your studies?
P03,I had no time because of my job and family duties.
P04,Costs kept going up and up every single month.
"""


def test_case_corrected_roster_id_rereads_the_survey(study: Study) -> None:
    (study.paths.raw / "feedback.csv").write_text(SURVEY, encoding="utf-8")
    roster = study.paths.raw / "participants.csv"
    roster.write_text("participant_id,role\np03,student\nP04,student\n", encoding="utf-8")
    assert study.ingest().ok
    assert sorted(study.segments()["participant_id"]) == ["P04", "p03"]  # the roster's spelling wins
    roster.write_text("participant_id,role\nP03,student\nP04,student\n", encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    [row] = [r for r in report.rows if r.path.endswith("feedback.csv")]
    assert row.status == "changed" and any(w.startswith("[W107]") for w in row.warnings), row
    assert sorted(study.segments()["participant_id"]) == ["P03", "P04"]
    assert sorted(study.store.participants()["participant_id"]) == ["P03", "P04"]
