"""The widget shows a survey answer like review does: its question, and no other respondent's answer as context."""

from __future__ import annotations

import hashlib

import pytest

from coding.manual_support import codebook, fill_store
from thematic.models import Document, Segment
from thematic.notebook.widget import CodingWidget

pytest.importorskip("ipywidgets")

ANSWERS = [("R1", "Peer workers understood me."), ("R2", "The vetting took a year."), ("R3", "Funding ran out.")]


def _survey() -> Document:
    text, segs = "", []
    for i, (resp, words) in enumerate(ANSWERS):
        start = len(text)
        text += words + "\n"
        segs.append(Segment("survey", i, start, start + len(words), words, resp, resp, False, kind="answer",
                            question="What helped or hindered you?"))
    return Document("survey", "data/raw/survey.csv", "csv", text, hashlib.sha256(text.encode()).hexdigest(), tuple(segs))


def test_widget_survey_answer_shows_its_question_not_other_respondents(store) -> None:
    fill_store(store)
    store.save_document(_survey())
    w = CodingWidget(store, coder="AB", codebook=codebook(), document="survey")
    w.go(1)
    assert w.segment["segment_id"] == "survey:1"
    assert "What helped or hindered you?" in w.context.value and "The vetting took a year." in w.context.value
    assert "Peer workers understood me" not in w.context.value and "Funding ran out" not in w.context.value
    w2 = CodingWidget(store, coder="AB", codebook=codebook(), document="int-01")  # interviews keep their neighbours
    w2.go(1)
    assert "What made it hard?" in w2.context.value and "Vetting is the big one" in w2.context.value
