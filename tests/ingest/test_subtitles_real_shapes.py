"""Subtitle shapes from converters and YouTube: markup and references (D6), cues without blank lines (D7),
rolling auto-captions (D8), and W108 for subtitles without any speaker."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript


def _spans_hold(doc) -> None:  # noqa: ANN001 - a Document
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text


# -- D6: override tags and character references ---------------------------------------------------------

def test_srt_override_tags_are_stripped(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("1\n00:00:00,000 --> 00:00:03,000\n{\\an8}the library opens at nine\n\n"
            "2\n00:00:03,100 --> 00:00:06,000\n{\\i1}but the queue starts earlier{\\i0}\n\n"
            "3\n00:00:06,100 --> 00:00:08,000\nwe said {braces} and {\\b1\\pos(10,20)}bold{\\b0}\n")
    doc = read_transcript(write("asr.srt", text), settings=plain)
    assert [s.text for s in doc.segments] == [
        "the library opens at nine but the queue starts earlier we said {braces} and bold"]
    _spans_hold(doc)


def test_vtt_every_character_reference_is_decoded(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\n"
            "<v Tom O&#39;Reilly>It&#39;s &quot;fine&quot;, caf&eacute; &#x2019;ok&#x2019; &amp; &lt;b&gt;</v>\n\n"
            "2\n00:00:03.500 --> 00:00:05.000\n<v Tom O&#39;Reilly>AT&T, R&D, fish&nothing &bogus; cafe&#x301;&nbsp;x</v>\n")
    doc = read_transcript(write("teams.vtt", text), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Tom O'Reilly", "It's \"fine\", café \u2019ok\u2019 & <b> AT&T, R&D, fish&nothing &bogus; café x")]
    _spans_hold(doc)


# -- D7: cues not separated by blank lines ----------------------------------------------------------------

def test_vtt_cues_without_blank_lines_keep_their_text(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: Hello there.\n"
            "00:00:02.500 --> 00:00:04.000\nBob: Hi Ann, how are you?\n"
            "00:00:04.500 --> 00:00:06.000\nAnn: Fine thanks.\n")
    doc = read_transcript(write("call.vtt", text), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Ann", "Hello there."), ("Bob", "Hi Ann, how are you?"), ("Ann", "Fine thanks.")]
    assert not [w for w in doc.warnings if "W160" in w]


def test_vtt_tight_id_like_line_is_kept_with_a_warning(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: We met in room\nB-12\n"
            "00:00:02.500 --> 00:00:04.000\nBob: Right.\n")
    doc = read_transcript(write("tight.vtt", text), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("Ann", "We met in room B-12"), ("Bob", "Right.")]
    [warning] = [w for w in doc.warnings if "W160" in w]
    assert "tight.vtt:5" in warning and "B-12" in warning


def test_cue_ids_are_still_skipped(write: Callable[..., Path], plain: IngestSettings) -> None:
    vtt = ("WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000\n<v Ann>One.</v>\n\n"
           "3c9a5d1e-2f4b-4c8e-9d7a-1b2c3d4e5f60/13-0\n00:00:02.000 --> 00:00:03.000\n<v Bob>Two.</v>\n\n"
           "7\n00:00:03.000 --> 00:00:04.000\n<v Ann>Three.</v>\n")
    doc = read_transcript(write("ids.vtt", vtt), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("Ann", "One."), ("Bob", "Two."), ("Ann", "Three.")]
    # numbered SRT without blank lines: the next number in sequence is an id
    srt = "41\n00:00:01,000 --> 00:00:02,000\nAVA: One.\n42\n00:00:02,000 --> 00:00:03,000\nBEN: Two.\n"
    doc = read_transcript(write("tight.srt", srt), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("AVA", "One."), ("BEN", "Two.")]
    assert not doc.warnings


# -- D8: YouTube rolling auto-captions --------------------------------------------------------------------

YOUTUBE = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
 
so<00:00:00.500><c> today</c><00:00:01.000><c> we</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
so today we
 

00:00:02.010 --> 00:00:04.000 align:start position:0%
so today we
talk<00:00:02.500><c> about</c><00:00:03.000><c> libraries</c>

00:00:04.000 --> 00:00:04.010 align:start position:0%
talk about libraries
 

00:00:04.010 --> 00:00:06.000 align:start position:0%
talk about libraries
and<00:00:04.500><c> libraries</c><00:00:05.000><c> again</c>
"""


def test_youtube_rolling_captions_read_once(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("talk.vtt", YOUTUBE), settings=plain)
    assert [s.text for s in doc.segments] == ["so today we talk about libraries and libraries again"]
    assert (doc.segments[0].time_start, doc.segments[0].time_end) == (0.0, 6.0)
    assert [w for w in doc.warnings if "W161" in w]
    _spans_hold(doc)


def test_genuine_repetition_in_consecutive_cues_is_kept(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>No.</v>\n\n"
            "00:00:02.000 --> 00:00:03.000\n<v Ann>No.\nNo, really.</v>\n\n"
            "00:00:03.000 --> 00:00:04.000\n<v Ann>No, really.</v>\n")
    doc = read_transcript(write("no.vtt", text), settings=plain)
    assert [s.text for s in doc.segments] == ["No. No. No, really. No, really."]
    assert not [w for w in doc.warnings if "W161" in w]


# -- W108 for subtitles without speakers --------------------------------------------------------------------

def test_subtitles_without_speakers_warn_w108(write: Callable[..., Path], plain: IngestSettings) -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nso the first week\n\n2\n00:00:03,200 --> 00:00:05,000\nwas hard.\n"
    whisper = "WEBVTT\n\n00:01.000 --> 00:04.500\nI was released in March.\n"
    for name, text in (("asr.srt", srt), ("whisper.vtt", whisper)):
        doc = read_transcript(write(name, text), settings=plain)
        assert [w for w in doc.warnings if w.startswith("[W108]") and name in w], name
    zoom = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAnn Lee: Hi.\n"
    assert not [w for w in read_transcript(write("zoom.vtt", zoom), settings=plain).warnings if "W108" in w]
