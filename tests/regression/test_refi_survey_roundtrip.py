"""REFI-QDA round trip of a study with a survey: each answer keeps its respondent, so "n of N" for survey
respondents reads the same after export and import (they came back with no participant)."""

from __future__ import annotations

import pandas as pd

from thematic.refi import import_refi
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, code_by_words, write_study

SURVEY = ("Case,Age,freetext\nID4,24,I never have enough time for courses.\n"
          "ID5,31,Work and family take all my time.\nID6,67,The grant money ran out.\n")


def test_survey_answers_keep_their_respondents_after_export_and_import(tmp_path):
    root = write_study(tmp_path / "study", {**TRANSCRIPTS, "survey.csv": SURVEY})
    with Study(root) as study:
        study.ingest()
        segs = code_by_words(study, {"time_pressure": ("time",)})
        survey = segs.loc[segs["document_id"].astype(str).str.contains("survey")]
        assert set(survey["participant_id"].dropna().astype(str)) == {"ID4", "ID5", "ID6"}
        answers = survey[["participant_id", "question", "kind", "start", "end", "text"]].astype(str).values.tolist()
        before = study.frequencies()[["code_id", "source", "n_participants", "N_participants"]]
        study.export_refi(tmp_path / "study.qdpx")
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        segs = copy.store.segments()
        survey = segs.loc[segs["document_id"].astype(str).str.contains("survey")]
        assert survey[["participant_id", "question", "kind", "start", "end", "text"]].astype(str).values.tolist() == answers
        after = copy.frequencies()[["code_id", "source", "n_participants", "N_participants"]]
        pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True))
