"""WebVTT and SRT in the shapes Zoom, Teams, Stream, Whisper and speech recognition write."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript

ZOOM = """WEBVTT

1
00:00:01.500 --> 00:00:04.000
Dana Reyes (DR): Can you hear me?

2
00:00:05.000 --> 00:00:07.250
Kit's iPhone: Yes, loud and clear.

3
00:00:07.400 --> 00:00:09.000
Sorry, I'm in the car.

4
00:00:12.000 --> 00:00:15.000
Kit's iPhone: Anyway, go on.

5
00:00:16.000 --> 00:00:18.000
Dana Reyes (DR): Thanks, Kit.
"""

TEAMS = """WEBVTT

3c9a5d1e-2f4b-4c8e-9d7a-1b2c3d4e5f60/12-0
00:00:00.800 --> 00:00:03.100
<v Okafor, Bimpe>Teams is recording now.</v>

3c9a5d1e-2f4b-4c8e-9d7a-1b2c3d4e5f60/13-0
00:00:03.400 --> 00:00:06.000
<v Lind, Arvid>Great, I'm ready.</v>

3c9a5d1e-2f4b-4c8e-9d7a-1b2c3d4e5f60/14-1
00:00:06.100 --> 00:00:08.000
<v Lind, Arvid>Shall I start?</v>
"""

STREAM = """WEBVTT

NOTE
This transcript was generated automatically.
Speaker names may be wrong.

00:00:01.000 --> 00:00:02.000
<v Pat>Hello &amp; welcome.</v>

NOTE duration:"00:10:00"

00:00:02.500 --> 00:00:04.000
<v.loud Sam>Hi <i>there</i>.</v>
"""

WHISPER = """WEBVTT

00:01.000 --> 00:04.500
I was released in March.

00:05.000 --> 00:09.000
It took a while to settle.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
so the first week was the hardest

2
00:00:03,200 --> 00:00:05,000
because nobody met me at the gate.

3
00:00:09,000 --> 00:00:11,000
Then things got better.
"""


def test_vtt_zoom_prefixes_continuation_and_merging(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("zoom.vtt", ZOOM), settings=plain)
    assert [(s.speaker, s.time_start, s.time_end) for s in doc.segments] == [
        ("Dana Reyes (DR)", 1.5, 4.0), ("Kit's iPhone", 5.0, 15.0), ("Dana Reyes (DR)", 16.0, 18.0)]
    # the cue without a prefix continues Kit; a pause of 3 s starts a new paragraph inside the turn
    assert doc.segments[1].text == "Yes, loud and clear. Sorry, I'm in the car.\nAnyway, go on."
    paragraphs = read_transcript(write("zoom2.vtt", ZOOM), settings=plain, unit="paragraph")
    assert [(s.text, s.time_start, s.time_end) for s in paragraphs.segments][1:3] == [
        ("Yes, loud and clear. Sorry, I'm in the car.", 5.0, 9.0), ("Anyway, go on.", 12.0, 15.0)]


def test_vtt_saved_as_txt_is_read_as_vtt(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("GMT2024_Recording.transcript.txt", ZOOM), settings=plain)
    assert doc.format == "vtt" and len(doc.segments) == 3


def test_vtt_teams_voice_tags_surname_given_and_guid_ids(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("teams.vtt", TEAMS), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Okafor, Bimpe", "Teams is recording now."), ("Lind, Arvid", "Great, I'm ready. Shall I start?")]
    assert "3c9a5d1e" not in doc.text


def test_vtt_teams_names_are_pseudonymised_in_both_orders(write: Callable[..., Path]) -> None:
    text = TEAMS.replace("Shall I start?", "Shall I start, Bimpe? Arvid Lind here.")
    doc = read_transcript(write("teams.vtt", text), settings=IngestSettings(interviewer_labels=("okafor, bimpe",)))
    assert "Arvid" not in doc.text and "Lind" not in doc.text
    assert doc.segments[1].speaker == "Speaker 1" and doc.segments[0].is_interviewer


def test_vtt_stream_note_blocks_tags_and_entities(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("stream.vtt", STREAM), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("Pat", "Hello & welcome."), ("Sam", "Hi there.")]
    assert "NOTE" not in doc.text and "generated automatically" not in doc.text


def test_vtt_whisper_minutes_seconds_without_speakers(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("whisper.vtt", WHISPER), settings=plain)
    assert [(s.speaker, s.kind, s.time_start, s.time_end) for s in doc.segments] == [(None, "paragraph", 1.0, 9.0)]
    assert doc.segments[0].text == "I was released in March. It took a while to settle."


def test_srt_without_speaker_labels_becomes_paragraphs_at_pauses(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("asr.srt", SRT), settings=plain)
    assert doc.format == "srt"
    assert [(s.text, s.time_start, s.time_end) for s in doc.segments] == [
        ("so the first week was the hardest because nobody met me at the gate.", 1.0, 5.0),
        ("Then things got better.", 9.0, 11.0)]


def test_srt_cues_without_blank_lines_between_them(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = "1\n00:00:01,000 --> 00:00:02,000\nAVA: One.\n2\n00:00:02,000 --> 00:00:03,000\nBEN: Two.\n"
    doc = read_transcript(write("tight.srt", text), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("AVA", "One."), ("BEN", "Two.")]


def test_vtt_malformed_timing_names_line_and_cue(write: Callable[..., Path]) -> None:
    text = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi.\n\n2\n00:00:0x.000 --> 00:00:03.000\nThere.\n"
    with pytest.raises(TranscriptParseError, match=r"^\[E105\] .*bad\.vtt:8: cue 2: malformed timing line"):
        read_transcript(write("bad.vtt", text))


def test_vtt_truncated_mid_timing_line_is_an_error(write: Callable[..., Path]) -> None:
    with pytest.raises(TranscriptParseError, match=r"^\[E105\].*cue 2"):
        read_transcript(write("cut.vtt", ZOOM.split("2\n00:00:05.000")[0] + "2\n00:00:05.000 --> 00:0"))


def test_vtt_without_cues_is_an_error(write: Callable[..., Path]) -> None:
    with pytest.raises(TranscriptParseError, match=r"^\[E106\]"):
        read_transcript(write("empty.vtt", "WEBVTT\n\nNOTE nothing here\n"))
