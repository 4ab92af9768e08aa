"""Plain-text transcripts in every labelling style, via the real reader and segmenter."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.readers.text import parse_text

from .helpers import INTERVIEW


def _speakers(doc) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [s.speaker for s in doc.segments]


def _check_offsets(doc) -> None:  # type: ignore[no-untyped-def]
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text


def test_text_name_colon_turns_with_header_line(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("rowan.txt", INTERVIEW), settings=plain)
    _check_offsets(doc)
    assert _speakers(doc) == ["Interviewer", "Rowan", "Interviewer", "Rowan"]
    assert doc.title == "Interview with Rowan, Brackley Hall, 3 May 2024"
    assert doc.segments[1].text.endswith("I didn't believe him at first.")  # a turn over two lines
    assert [s.is_interviewer for s in doc.segments] == [True, False, True, False]
    assert doc.format == "text" and doc.id == "rowan"


def test_text_turn_text_excludes_label_and_is_trimmed(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("a.txt", "INTERVIEWER:   So, where next?  \nMAYA: Home.\n\n"), settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("INTERVIEWER", "So, where next?"), ("MAYA", "Home.")]
    assert doc.segments[0].is_interviewer


def test_text_q_and_a(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("qa.txt", "Q: What helped?\n\nA: Having a mentor.\n\nQ: Why?\n\nA: She got it.\n"),
                          settings=plain)
    assert _speakers(doc) == ["Q", "A", "Q", "A"]
    assert [s.is_interviewer for s in doc.segments] == [True, False, True, False]


def test_text_researcher_numbered_and_bracketed_speakers(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("r.txt", "Researcher 1: Hello.\nIsla: Hi there.\nResearcher 2: And you?\n"),
                          settings=plain)
    assert _speakers(doc) == ["Researcher 1", "Isla", "Researcher 2"]
    assert [s.is_interviewer for s in doc.segments] == [True, False, True]
    doc = read_transcript(write("b.txt", "[id1] I liked it.\n\n[id2] I did not.\n\n[id1] Fair enough.\n"), settings=plain)
    assert _speakers(doc) == ["id1", "id2", "id1"]
    assert doc.segments[1].text == "I did not."


def test_text_timestamps_before_and_after_labels(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = "[00:00:05] Interviewer: Ready?\n[00:01:02] Noor: Yes.\n(12:03) Interviewer: Good.\nNoor (12:30): Right.\n"
    doc = read_transcript(write("ts.txt", text), settings=plain)
    assert _speakers(doc) == ["Interviewer", "Noor", "Interviewer", "Noor"]
    assert [s.time_start for s in doc.segments] == [5.0, 62.0, 723.0, 750.0]
    assert doc.segments[0].time_end == 62.0 and doc.segments[-1].time_end is None
    assert doc.segments[1].text == "Yes."


def test_text_otter_layout_with_summary_block(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("SUMMARY KEYWORDS\nmentor, hostel, licence\n\nSPEAKERS\nInterviewer, Speaker 2\n\n"
            "Interviewer  00:03\nSo how has it been?\n\nSpeaker 2  00:13\nNot bad, all told.\nStill on licence.\n\n"
            "Interviewer  1:02:07\nThanks.\n\nTranscribed by https://otter.ai\n")
    doc = read_transcript(write("otter.txt", text), settings=plain)
    assert _speakers(doc) == ["Interviewer", "Speaker 2", "Interviewer"]
    assert doc.segments[1].text == "Not bad, all told.\nStill on licence."
    assert doc.segments[2].text == "Thanks."  # the Otter footer is not part of the last turn
    assert [s.time_start for s in doc.segments] == [3.0, 13.0, 3727.0]
    assert doc.attributes["layout"] == "otter" and doc.title is None


def test_text_without_labels_becomes_paragraphs_of_unknown_speaker(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("notes.md", "First paragraph of notes\nstill first.\n\nSecond one.\n"))
    assert [(s.speaker, s.kind, s.text) for s in doc.segments] == [
        (None, "paragraph", "First paragraph of notes\nstill first."), (None, "paragraph", "Second one.")]
    assert doc.warnings and doc.warnings[0].startswith("[W108]")


def test_text_metadata_and_stage_directions_are_not_speakers(write: Callable[..., Path], plain: IngestSettings) -> None:
    text = ("Date: 4 June 2024\nLocation: Brackley\n\nInterviewer: Go on.\nEli: Well [laughs] it was hard.\n"
            "Note: the line dropped here.\n[Laughs] Sorry.\nEli: Where was I.\n")
    doc = read_transcript(write("meta.txt", text), settings=plain)
    assert _speakers(doc) == ["Interviewer", "Eli", "Eli"]
    assert "Note: the line dropped here." in doc.segments[1].text
    assert doc.title == "Date: 4 June 2024"


def test_text_markdown_bold_labels_and_name_alone_on_a_line(write: Callable[..., Path], plain: IngestSettings) -> None:
    doc = read_transcript(write("md.md", "**Interviewer:** Tell me more.\n\n**Ann Lee (SL)**: Well.\n\nKai:\nI think so.\n"),
                          settings=plain)
    assert _speakers(doc) == ["Interviewer", "Ann Lee (SL)", "Kai"]
    assert [s.text for s in doc.segments] == ["Tell me more.", "Well.", "I think so."]


def test_text_long_prose_before_first_turn_is_coded_not_dropped(write: Callable[..., Path], plain: IngestSettings) -> None:
    long_line = "This preamble explains the setting at length, " * 4
    text = f"{long_line}\nA second line of context.\nAnd a third.\n\nInterviewer: Start.\nBo: Fine.\n"
    doc = read_transcript(write("pre.txt", text), settings=plain)
    assert [s.speaker for s in doc.segments] == [None, None, None, "Interviewer", "Bo"]
    assert doc.title is None


def test_text_front_matter_header_maps_speakers_and_attributes(write: Callable[..., Path]) -> None:
    text = "---\nparticipant: P07\nsite: Harlow\nspeakers: Kim = interviewer\n---\nKim: Hello.\nDev: Hi.\n"
    doc = read_transcript(write("fm.txt", text))
    assert [(s.speaker, s.participant_id, s.is_interviewer) for s in doc.segments] == [
        ("Interviewer 1", None, True), ("P07", "P07", False)]
    assert doc.attributes["site"] == "Harlow"
    assert "Kim" not in doc.text and "Dev" not in doc.text


def test_text_participant_header_line(write: Callable[..., Path]) -> None:
    doc = read_transcript(write("p.txt", "Participant: P03\n\nInterviewer: Hi.\nSol: Hello.\n"))
    assert [(s.speaker, s.participant_id) for s in doc.segments] == [("Interviewer", None), ("P03", "P03")]
    assert doc.text.startswith("Participant: P03")


def test_text_parse_reports_turn_spans_and_title_span() -> None:
    text = "Title line\nInterviewer: one\nMo: two\n"
    parsed = parse_text(text, "x.txt", interviewer_labels=("interviewer",))
    assert parsed.title_span is not None and text[slice(*parsed.title_span)] == "Title line"
    assert [(t.label, text[t.start:t.end]) for t in parsed.turns] == [("Interviewer", "one"), ("Mo", "two")]


def test_text_label_with_a_bracketed_time_alone_on_a_line(write: Callable[..., Path], plain: IngestSettings) -> None:
    """``Speaker 1 [00:00:09]`` above the words (Sonix, Descript, Trint): read as one unknown speaker before."""
    text = ("Speaker 1 [00:00:01]\nTell me about the course.\n\nSpeaker 2 [00:00:09]\nIt gave me a reason to get up.\n"
            "Every day.\n\nSpeaker 1 (00:01:20)\nAnything else?\n")
    doc = read_transcript(write("sonix.txt", text), settings=plain)
    assert [(s.speaker, s.time_start, s.text) for s in doc.segments] == [
        ("Speaker 1", 1.0, "Tell me about the course."), ("Speaker 2", 9.0, "It gave me a reason to get up.\nEvery day."),
        ("Speaker 1", 80.0, "Anything else?")]


def test_text_table_pasted_as_tab_separated_lines(write: Callable[..., Path], plain: IngestSettings) -> None:
    """``time<TAB>speaker<TAB>words`` (a transcript table pasted into a text file)."""
    text = ("Interview 7\n00:00:01\tInterviewer\tTell me about the course.\n"
            "00:00:09\tRespondent\tIt gave me a reason to get up.\n00:00:20\tInterviewer\tAnything else?\n")
    doc = read_transcript(write("tabbed.txt", text), settings=plain)
    assert [(s.speaker, s.is_interviewer, s.time_start, s.text) for s in doc.segments] == [
        ("Interviewer", True, 1.0, "Tell me about the course."), ("Respondent", False, 9.0, "It gave me a reason to get up."),
        ("Interviewer", True, 20.0, "Anything else?")]
    assert doc.title == "Interview 7"
    keyed = read_transcript(write("keyed.txt", "Site\tLeeds\nDate\t3 May\n\nInterviewer: Hello.\nDana: Hi.\n"),
                            settings=plain)
    assert [s.speaker for s in keyed.segments] == ["Interviewer", "Dana"]  # key<TAB>value lines are not turns
