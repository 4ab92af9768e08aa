"""A Word text box is read once: Word writes it twice (mc:Choice and mc:Fallback), and its paragraphs nest in
the anchoring paragraph. The XML fallback (W105) read each turn four times, the first time all run together."""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:example:unknown-container"')
TURNS = ["Interviewer: How was the course overall?", "Tom: It was hard but rewarding in the end.",
         "Interviewer: Would you recommend it?", "Tom: Yes, to anyone with time."]
EXPECTED = [("Interviewer", "How was the course overall?"), ("Tom", "It was hard but rewarding in the end."),
            ("Interviewer", "Would you recommend it?"), ("Tom", "Yes, to anyone with time.")]


def paras(lines: list[str]) -> str:
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>' for t in lines)


def text_box(lines: list[str]) -> str:
    """A paragraph anchoring a text box the way Word saves one: a DrawingML choice and a VML fallback."""
    inner = paras(lines)
    return ('<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline>'
            '<wp:extent cx="1" cy="1"/><wp:docPr id="1" name="tb"/><a:graphic><a:graphicData uri="x">'
            f'<wps:wsp><wps:txbx><w:txbxContent>{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>'
            '</a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
            f'<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
            '</mc:AlternateContent></w:r></w:p>')


def write_docx(path: Path, title: str, xml_blocks: list[str]) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph(title)
    body = document.element.body
    for block in xml_blocks:
        tag = block[1:block.index(">")].split()[0]
        body.insert(len(body) - 1, parse_xml(block.replace(f"<{tag}", f"<{tag} {NS}", 1)))
    document.save(path)
    return path


def read(path: Path):
    return read_transcript(path, settings=IngestSettings(pseudonymise=False))


def test_transcript_in_a_text_box_is_read_once(tmp_path: Path) -> None:
    doc = read(write_docx(tmp_path / "box.docx", "Interview 3", [text_box(TURNS)]))
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert doc.text.count("rewarding in the end") == 1
    assert not [w for w in doc.warnings if w.startswith(("[W105]", "[W165]"))]


def test_xml_fallback_reads_each_text_box_paragraph_once(tmp_path: Path) -> None:
    """The body inside an element thematic does not know, so the XML is walked (W105): still once each, and
    the anchoring paragraph does not take in its text box's paragraphs."""
    wrapped = f"<x:story>{paras(['Interviewer: Shall we begin the interview now?'])}{text_box(TURNS)}</x:story>"
    doc = read(write_docx(tmp_path / "fallback.docx", "Interview 3", [wrapped]))
    assert any(w.startswith("[W105]") for w in doc.warnings)
    assert [(s.speaker, s.text) for s in doc.segments] == [("Interviewer", "Shall we begin the interview now?"),
                                                          *EXPECTED]
    assert doc.text.count("rewarding in the end") == 1 and "overall?Tom" not in doc.text


def test_text_box_copies_do_not_count_twice_towards_the_xml_fallback(tmp_path: Path) -> None:
    """The share python-docx sees is measured against each text once: a body that is mostly readable, with a
    text box and a smaller part in an unknown element, is read normally (W165 names the unknown part)."""
    hidden = paras(["Tom: and this part sits inside an element nobody knows about, about sixty."])
    doc = read(write_docx(tmp_path / "share.docx", "Interview 3", [
        text_box(TURNS), f"<x:story>{hidden}</x:story>"]))
    assert not [w for w in doc.warnings if w.startswith("[W105]")]
    assert any(w.startswith("[W165]") for w in doc.warnings)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
