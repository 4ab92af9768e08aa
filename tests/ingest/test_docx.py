"""Word transcripts written with python-docx: prefixes, bold labels, tables, nested bodies, damage."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript

from .helpers import make_docx


def test_docx_prefix_labels_and_header_paragraph(tmp_path: Path, plain: IngestSettings) -> None:
    path = make_docx(tmp_path / "p.docx", [
        "02-Jun-2024 - 10:00 - 41m - Wren",
        [("Researcher 1: ", True), ("How did it start?", False)],
        [("Wren:", True), (" ", None), ("At the hostel.", False)],
        "It carried on from there.",  # continues Wren's turn as a second paragraph
    ])
    doc = read_transcript(path, settings=plain)
    assert doc.format == "docx" and doc.title == "02-Jun-2024 - 10:00 - 41m - Wren"
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Researcher 1", "How did it start?"), ("Wren", "At the hostel.\n\nIt carried on from there.")]
    para = read_transcript(path, settings=plain, unit="paragraph")
    assert [s.text for s in para.segments][1:] == ["At the hostel.", "It carried on from there."]


def test_docx_bold_labels_without_colon_and_split_runs(tmp_path: Path, plain: IngestSettings) -> None:
    path = make_docx(tmp_path / "bold.docx", [
        [("INT", True), (" What do you do?", False)],
        [("FR", True), ("ANK", True), (": I mentor lads.", False)],
        [("Priya", True), (": Colon outside the bold.", False)],
        [("A whole bold paragraph is a heading", True)],
    ])
    doc = read_transcript(path, settings=plain)
    assert [(s.speaker, s.is_interviewer) for s in doc.segments] == [("INT", True), ("FRANK", False), ("Priya", False)]
    assert doc.segments[0].text == "What do you do?"
    assert doc.segments[2].text == "Colon outside the bold.\n\nA whole bold paragraph is a heading"


def test_docx_tables_in_order_transcript_and_metadata(tmp_path: Path) -> None:
    long = "I went to the drop-in every Tuesday because the kettle was always on and nobody judged me."
    path = make_docx(tmp_path / "tables.docx", [
        "Interview 9 transcript",
        [["Participant ID", "P09"], ["Site", "Harlow"], ["Interviewer", "HT"]],
        "Introductions were made.",
        [["00:00:04", "Interviewer", "Could you tell me how you first got involved with the group?"],
         ["00:00:11", "Ines", long]],
        "After the table.",
    ])
    doc = read_transcript(path, settings=IngestSettings(pseudonymise=False))
    assert doc.attributes["site"] == "Harlow"
    turns = [(s.speaker, s.participant_id, s.time_start) for s in doc.segments]
    assert turns == [("Interviewer", None, 4.0), ("Ines", "P09", 11.0)]  # short lines above: the header
    assert doc.segments[1].text == long + "\n\nAfter the table."
    assert doc.title == "Interview 9 transcript"
    assert doc.text.index("Site\tHarlow") < doc.text.index("Introductions") < doc.text.index("Ines:")


def _wrap_body_in_custom_xml(path: Path) -> None:
    """Nest the body's paragraphs in <w:customXml>, which python-docx's paragraphs do not see."""
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    xml = files["word/document.xml"].decode()
    body = re.search(r"<w:body>(.*)(<w:sectPr.*</w:sectPr>)</w:body>", xml, re.S)
    assert body is not None
    nested = f'<w:body><w:customXml w:element="story">{body.group(1)}</w:customXml>{body.group(2)}</w:body>'
    files["word/document.xml"] = (xml[:body.start()] + nested + xml[body.end():]).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def test_docx_falls_back_to_the_xml_when_python_docx_sees_nothing(tmp_path: Path, plain: IngestSettings) -> None:
    path = make_docx(tmp_path / "nested.docx", ["Interviewer: Are you comfortable?", "Tove: Yes thanks."])
    _wrap_body_in_custom_xml(path)
    import docx

    assert not any(p.text for p in docx.Document(str(path)).paragraphs)
    doc = read_transcript(path, settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [("Interviewer", "Are you comfortable?"), ("Tove", "Yes thanks.")]
    assert any(w.startswith("[W105]") for w in doc.warnings)


def test_docx_truncated_and_empty_files_are_coded_errors(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", ["Interviewer: hello"]).read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(TranscriptParseError, match=r"^\[E104\] .*cut\.docx"):
        read_transcript(cut)
    empty = make_docx(tmp_path / "empty.docx", [""])
    with pytest.raises(TranscriptParseError, match=r"^\[E100\] .*empty\.docx"):
        read_transcript(empty)


def test_docx_zip_without_word_part_is_named_precisely(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    path = tmp_path / "odd.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(TranscriptParseError, match=r"^\[E041\].*not a Word file.*hello\.txt"):
        read_transcript(path)


def test_docx_table_of_short_turns_is_a_transcript(tmp_path: Path, plain: IngestSettings) -> None:
    """A transcription service's table (time | speaker | text) with short turns: before, read as one
    unknown speaker's text, the interviewer's questions counted as the participant's words."""
    path = make_docx(tmp_path / "service.docx", [
        "Interview 4",
        [["Time", "Speaker", "Text"],
         ["00:00:01", "Interviewer", "Tell me about the course."],
         ["00:00:09", "Respondent", "It gave me a reason to get up."],
         ["00:00:20", "Interviewer", "Anything else?"],
         ["00:00:25", "Respondent", "The vetting was a nightmare."],
         ["00:00:31", "Interviewer", "Okay."]],
    ])
    doc = read_transcript(path, settings=plain)
    assert [(s.speaker, s.is_interviewer, s.time_start, s.text) for s in doc.segments] == [
        ("Interviewer", True, 1.0, "Tell me about the course."),
        ("Respondent", False, 9.0, "It gave me a reason to get up."),
        ("Interviewer", True, 20.0, "Anything else?"),
        ("Respondent", False, 25.0, "The vetting was a nightmare."),
        ("Interviewer", True, 31.0, "Okay.")]
    assert not [w for w in doc.warnings if w.startswith("[W108]")]


def test_docx_short_key_value_tables_stay_metadata(tmp_path: Path, plain: IngestSettings) -> None:
    path = make_docx(tmp_path / "meta.docx", [
        [["Participant", "P12"], ["Site", "Leeds"], ["Date", "3 May"], ["Interviewer", "HT"]],
        "Interviewer: Shall we start?",
        "Dana: Yes.",
    ])
    doc = read_transcript(path, settings=IngestSettings(pseudonymise=False))
    assert doc.attributes["site"] == "Leeds"
    assert [(s.speaker, s.participant_id) for s in doc.segments] == [("Interviewer", None), ("Dana", "P12")]


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path, plain: IngestSettings) -> None:
    """A transcript checked with Track Changes on lost its inserted words (python-docx skips runs in w:ins)."""
    path = make_docx(tmp_path / "tracked.docx", ["Interviewer: How did it go?", "Dana: It went MARK in the end."])
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    change = ('</w:t></w:r><w:ins w:id="1" w:author="HT" w:date="2024-01-01T00:00:00Z"><w:r>'
              '<w:t xml:space="preserve">really well</w:t></w:r></w:ins>'
              '<w:del w:id="2" w:author="HT" w:date="2024-01-01T00:00:00Z"><w:r>'
              '<w:delText xml:space="preserve">badly</w:delText></w:r></w:del><w:r><w:t xml:space="preserve">')
    files["word/document.xml"] = files["word/document.xml"].decode().replace("MARK", change).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    doc = read_transcript(path, settings=plain)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "How did it go?"), ("Dana", "It went really well in the end.")]
    assert "badly" not in doc.text
