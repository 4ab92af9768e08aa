"""Word labels bold through a style: before, only direct bold (Ctrl+B) counted, so a label bold through a
character style (Word's built-in "Strong", a house "Speaker" style) or a paragraph style was not seen, the file
had no speaker labels (W108) and the names stayed in the text. Now the style chain is followed, so style-bold is
bold; a paragraph style that makes a whole paragraph bold (a heading) still makes no label."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

TURNS = [("Interviewer", "How did you start?"), ("Maren", "I started as a volunteer in the hospice."),
         ("Interviewer", "And then?"), ("Maren", "Then they offered me a job.")]


def _turns(doc) -> list[tuple[str | None, str]]:  # noqa: ANN001 - a Document
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text
    return [(s.speaker, s.text) for s in doc.segments]


def _write(path: Path, style_label) -> Path:  # noqa: ANN001 - a callable styling one paragraph's label run
    document = docx.Document()
    speaker = document.styles.add_style("Speaker", WD_STYLE_TYPE.CHARACTER)
    speaker.base_style = document.styles["Strong"]  # bold inherited from its base style
    document.add_paragraph("Interview 4", style="Heading 1")
    for label, text in TURNS:
        p = document.add_paragraph()
        style_label(document, p, p.add_run(label), p.add_run(" " + text))
    document.save(path)
    return path


def test_strong_character_style_label(tmp_path: Path, plain: IngestSettings) -> None:
    def strong(document, p, label, rest):  # noqa: ANN001, ANN202
        label.style = document.styles["Strong"]

    doc = read_transcript(_write(tmp_path / "strong.docx", strong), settings=plain)
    assert not [w for w in doc.warnings if "W108" in w]
    assert _turns(doc) == TURNS


def test_character_style_bold_through_its_base_style(tmp_path: Path, plain: IngestSettings) -> None:
    def house(document, p, label, rest):  # noqa: ANN001, ANN202
        label.style = document.styles["Speaker"]

    assert _turns(read_transcript(_write(tmp_path / "house.docx", house), settings=plain)) == TURNS


def test_paragraph_style_bold_with_plain_utterance(tmp_path: Path, plain: IngestSettings) -> None:
    def para(document, p, label, rest):  # noqa: ANN001, ANN202
        if "Turn" not in [s.name for s in document.styles]:
            document.styles.add_style("Turn", WD_STYLE_TYPE.PARAGRAPH).font.bold = True
        p.style = document.styles["Turn"]
        rest.bold = False

    assert _turns(read_transcript(_write(tmp_path / "para.docx", para), settings=plain)) == TURNS


def test_direct_not_bold_overrides_a_bold_style(tmp_path: Path, plain: IngestSettings) -> None:
    def unbolded(document, p, label, rest):  # noqa: ANN001, ANN202
        label.style = document.styles["Strong"]
        label.bold = False

    doc = read_transcript(_write(tmp_path / "unbolded.docx", unbolded), settings=plain)
    assert {s.speaker for s in doc.segments} == {None} and [w for w in doc.warnings if "W108" in w]


def test_fully_bold_paragraph_style_makes_no_label(tmp_path: Path, plain: IngestSettings) -> None:
    document = docx.Document()
    document.styles.add_style("Loud", WD_STYLE_TYPE.PARAGRAPH).font.bold = True
    document.add_paragraph("Interviewer: How did you start?")
    for text in ("Maren said", "Background to the hospice"):
        document.add_paragraph(text, style="Loud")
    document.add_paragraph("Maren: I started as a volunteer.")
    path = tmp_path / "loud.docx"
    document.save(path)
    doc = read_transcript(path, settings=plain)
    assert _turns(doc) == [("Interviewer", "How did you start?\n\nMaren said\n\nBackground to the hospice"),
                           ("Maren", "I started as a volunteer.")]


def test_strong_label_is_pseudonymised(tmp_path: Path) -> None:
    def strong(document, p, label, rest):  # noqa: ANN001, ANN202
        label.style = document.styles["Strong"]

    doc = read_transcript(_write(tmp_path / "named.docx", strong))
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Speaker 1", "Interviewer", "Speaker 1"]
    assert "Maren" not in doc.text


def test_style_based_on_itself_is_read(tmp_path: Path, plain: IngestSettings) -> None:
    def looped(document, p, label, rest):  # noqa: ANN001, ANN202
        if "Loop" not in [s.name for s in document.styles]:
            loop = document.styles.add_style("Loop", WD_STYLE_TYPE.CHARACTER)
            loop.element.basedOn_val = loop.style_id  # a damaged file: the chain never ends
        label.style = document.styles["Loop"]

    doc = read_transcript(_write(tmp_path / "loop.docx", looped), settings=plain)
    assert {s.speaker for s in doc.segments} == {None} and "Maren I started" in doc.text
