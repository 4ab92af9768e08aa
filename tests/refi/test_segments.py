"""Imported texts get ingest's speaker turns when ingest reads them unchanged, else paragraphs."""

from __future__ import annotations

from thematic.refi.segments import segment_text

TEXT = "Interviewer: How did you start?\nAna: I started mentoring in 2019.\nAna: It was slow.\n"


def test_segments_use_ingest_turns_and_the_case_participant() -> None:
    segs = segment_text("d", TEXT, participant="P07")
    assert [(s.speaker, s.participant_id, s.is_interviewer) for s in segs] == [
        ("Interviewer", None, True), ("Ana", "P07", False), ("Ana", "P07", False)]
    assert all(TEXT[s.start:s.end] == s.text for s in segs)


def test_segments_fall_back_to_paragraphs() -> None:
    segs = segment_text("d", TEXT, participant="P07", use_ingest=False)
    assert [s.kind for s in segs] == ["paragraph"] * 3 and segs[1].text == "Ana: I started mentoring in 2019."
    assert segment_text("d", "") == ()
