"""One long "word" before a colon made transcript parsing quadratic (a 200 KB .txt ran past two minutes):
a speaker label is at most a few words of ordinary length, and a longer one is never scanned as a label."""

from __future__ import annotations

import time


def test_long_word_before_a_colon_parses_quickly() -> None:
    from thematic.ingest.readers.text import parse_text

    text = "Anna: hello\n" + "x" * 200_000 + ": hi\nBob: ok\n"
    t = time.perf_counter()
    parsed = parse_text(text, "interview.txt")
    assert time.perf_counter() - t < 5
    assert "x" * 200_000 in "".join(parsed.text[t.start:t.end] for t in parsed.turns)


def test_long_label_is_not_name_like_and_is_checked_quickly() -> None:
    from thematic.ingest.labels import has_sentence_end, is_name_like

    label = "x" * 200_000
    t = time.perf_counter()
    assert not is_name_like(label)
    assert not is_name_like(label, recurring=True)
    has_sentence_end(label)
    assert time.perf_counter() - t < 2


def test_ordinary_labels_still_found() -> None:
    from thematic.ingest.readers.text import parse_text

    parsed = parse_text("Interviewer: hello\nAnn Lee (SL): Hi there.\nDr. Mary J. Blige: yes\n", "i.txt")
    assert [t.label for t in parsed.turns] == ["Interviewer", "Ann Lee (SL)", "Dr. Mary J. Blige"]


def test_long_token_after_a_digit_parses_quickly() -> None:
    from thematic.ingest.readers.text import parse_text

    t = time.perf_counter()
    parse_text("Anna: hello\n1" + "x" * 5_000 + "\nBob: ok\n", "interview.txt")  # took 7 s, 28 s at 10,000
    assert time.perf_counter() - t < 2


def test_long_voice_name_in_a_vtt_is_quick() -> None:
    from thematic.ingest.readers.subtitles import read_subtitles

    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v " + "x" * 100_000 + ">hello\n"
    t = time.perf_counter()
    read_subtitles(vtt, "talk.vtt", "vtt")
    assert time.perf_counter() - t < 5
