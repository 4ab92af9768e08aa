"""A subtitle cue in which two people speak: before, the second speaker's words went into the first speaker's
turn (WebVTT: only the cue's first ``<v Name>`` voice tag counted; SRT: a ``- Bob:`` line inside the cue was
left in the middle of Alice's text). Now each speaker change inside a cue starts that speaker's turn, and
every segment's offsets still cut its text exactly out of the document."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript


def _turns(doc) -> list[tuple[str | None, str]]:  # noqa: ANN001 - a Document
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text
    return [(s.speaker, s.text) for s in doc.segments]


def test_vtt_cue_with_two_voice_spans_on_two_lines(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Nell Warrick>How long have you worked here?</v>\n"
            "<v Osric Pell>About six years now.</v>\n\n"
            "00:00:04.500 --> 00:00:07.000\n<v Nell Warrick>And before that?</v>\n")
    doc = read_transcript(write("two_voices.vtt", text), settings=plain)
    assert _turns(doc) == [("Nell Warrick", "How long have you worked here?"),
                           ("Osric Pell", "About six years now."), ("Nell Warrick", "And before that?")]
    assert [(s.time_start, s.time_end) for s in doc.segments] == [(1.0, 4.0), (1.0, 4.0), (4.5, 7.0)]


def test_vtt_two_voice_spans_on_one_line(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Nell>Ready?</v> <v Osric>Yes, go on.</v>\n\n"
            "00:00:03.500 --> 00:00:05.000\n<v Osric>It started in the spring.</v>\n")
    doc = read_transcript(write("one_line.vtt", text), settings=plain)
    assert _turns(doc) == [("Nell", "Ready?"), ("Osric", "Yes, go on. It started in the spring.")]


def test_vtt_voice_carries_over_lines_of_its_span(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Nell>We moved here\nin the winter.</v>\n"
            "<v Osric>Cold?</v>\n")
    doc = read_transcript(write("wrapped.vtt", text), settings=plain)
    assert _turns(doc) == [("Nell", "We moved here in the winter."), ("Osric", "Cold?")]


def test_vtt_dialogue_dashes_before_voice_tags(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n- <v Nell>Tea?</v>\n- <v Osric>Please.</v>\n"
    doc = read_transcript(write("dashes.vtt", text), settings=plain)
    assert _turns(doc) == [("Nell", "- Tea?"), ("Osric", "- Please.")]


def test_srt_dash_lines_with_names_split_the_cue(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("1\n00:00:01,000 --> 00:00:04,000\n- Nell: How long have you worked here?\n- Osric: About six years now.\n\n"
            "2\n00:00:04,500 --> 00:00:07,000\nNell: And before that?\n\n"
            "3\n00:00:07,500 --> 00:00:09,000\nOsric: I was a nurse.\n")
    doc = read_transcript(write("dash.srt", text), settings=plain)
    assert _turns(doc) == [("Nell", "How long have you worked here?"), ("Osric", "About six years now."),
                           ("Nell", "And before that?"), ("Osric", "I was a nurse.")]


def test_srt_dash_line_that_is_not_a_speaker_stays_text(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("1\n00:00:01,000 --> 00:00:04,000\nNell: We kept a list.\n- note: milk, eggs\n\n"
            "2\n00:00:04,500 --> 00:00:07,000\nOsric: Very organised.\n")
    doc = read_transcript(write("note.srt", text), settings=plain)
    assert _turns(doc) == [("Nell", "We kept a list. - note: milk, eggs"), ("Osric", "Very organised.")]


def test_second_speaker_is_pseudonymised(write: Callable[..., Path]) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Nell Warrick>How long have you worked here?</v>\n"
            "<v Osric Pell>About six years now.</v>\n")
    doc = read_transcript(write("named.vtt", text))
    assert [s.speaker for s in doc.segments] == ["Speaker 1", "Speaker 2"]
    assert "Osric" not in doc.text and "Nell" not in doc.text
    assert _turns(doc)[1][1] == "About six years now."
