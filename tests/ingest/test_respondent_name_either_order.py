"""Without participants.csv, an interviewee (``Anna Berg:``) and a survey respondent of the same name (``R1,
Anna Berg``) were one participant when ingested in one run, but two when the survey came in a later run (the
interviewee stayed ``Speaker 1``): N depended on the order. A respondent's name is pseudonymised like a
participants.csv name, so a named speaker of that name is that respondent in every order: ``R1``."""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study, init_study

FIRST = "Interviewer: How was it?\n\nAnna Berg: It was hard at first.\n"
SECOND = "Interviewer: And now?\n\nAnna Berg: Better, much better now.\n"
SURVEY = ("respondent_id,Name,What helped you most during the programme?\n"
          "R1,Anna Berg,The weekly group sessions helped me a great deal overall.\n"
          "R2,Tom Berg,Honestly the staff were the ones who kept me going every week.\n")


def _interviews(study: Study) -> None:
    for folder, text in (("w1", FIRST), ("w2", SECOND)):
        (study.paths.raw / folder).mkdir(exist_ok=True)
        (study.paths.raw / folder / f"{folder}.txt").write_text(text, encoding="utf-8")


def _who(study: Study) -> dict[str, str]:
    segs = study.segments(include_interviewer=False)
    return dict(zip(segs["segment_id"], segs["participant_id"]))


def _ingested(root: Path, survey_name: str, *, survey_later: bool) -> dict[str, str]:
    study = init_study(root, name="s")
    try:
        _interviews(study)
        if not survey_later:
            (study.paths.raw / survey_name).write_text(SURVEY, encoding="utf-8")
        assert study.ingest().ok
        if survey_later:
            (study.paths.raw / survey_name).write_text(SURVEY, encoding="utf-8")
            assert study.ingest().ok
        who = _who(study)
        return {k.replace(Path(survey_name).stem, "survey"): v for k, v in who.items()}
    finally:
        study.close()


def test_interviewee_is_the_respondent_whatever_the_order(tmp_path: Path) -> None:
    expected = {"survey:0": "R1", "survey:1": "R2", "w1-w1:1": "R1", "w2-w2:1": "R1"}
    assert _ingested(tmp_path / "a", "survey.csv", survey_later=False) == expected
    assert _ingested(tmp_path / "b", "survey.csv", survey_later=True) == expected
    assert _ingested(tmp_path / "c", "z-survey.csv", survey_later=False) == expected  # read after the interviews


def test_the_interviews_text_names_the_respondent(study: Study) -> None:
    _interviews(study)
    (study.paths.raw / "notes.txt").write_text("Interviewer: Notes.\n\nKim Ode: I met Anna Berg last week.\n",
                                               encoding="utf-8")
    assert study.ingest().ok
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    texts = set(study.segments()["text"])
    assert "I met R1 last week." in texts and not any("Speaker 1" in t for t in texts if "met" in t)
