"""A survey respondent id that differs from participants.csv's only in case is that participant.

`p03` in a survey and `P03` in participants.csv silently became two people (N one too high).
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import write_study


def test_a_survey_id_in_another_case_is_the_roster_participant(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s", {})
    raw = root / "data" / "raw"
    (raw / "participants.csv").write_text("participant_id,role\nP03,mentor\nP04,staff\n", encoding="utf-8")
    (raw / "survey.csv").write_text(
        "respondent_id,What gets in the way of your work?\n"
        "p03,There is never enough time in the week for the paperwork and the visits.\n"
        "P04,The funding stops every spring and we have to apply for a new grant again.\n", encoding="utf-8")
    study = Study(root)
    study.ingest()
    assert set(study.segments()["participant_id"].dropna()) == {"P03", "P04"}
    people = study.store.participants()
    assert set(people["participant_id"]) == {"P03", "P04"}
