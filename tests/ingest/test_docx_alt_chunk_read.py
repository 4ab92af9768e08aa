"""A Word file whose content is an embedded chunk (``w:altChunk``, as web exporters such as html-docx-js write:
the whole transcript as an HTML or MHT part that Word shows in place) lost that content without a word; thematic
read only the paragraphs around it. An HTML, MHT or plain-text chunk is now read where it stands (HTML with a
parser that fetches nothing, scripts, styles and hidden elements left out); any other kind of chunk (RTF, another
Word document) is named in W557, which says its text was not read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
HTML = ('<html><head><title>Export</title><style>p {color: red}</style>'
        '<script>var leaked = "SCRIPT TEXT";</script></head><body>'
        '<p><b>Interviewer:</b> How did you first hear about the project?</p>'
        '<p><b>Noor</b> A friend told me about it at the community&nbsp;centre.</p>'
        '<p style="display:none">HIDDEN NOTE</p>'
        '<p><b>Interviewer:</b> And what did you expect?<br>Be honest.</p><p><b>Noor:</b> Not much, honestly.</p>'
        '<img src="http://example.invalid/x.png"></body></html>')
EXPECTED = [("Interviewer", "How did you first hear about the project?"),
            ("Noor", "A friend told me about it at the community centre."),
            ("Interviewer", "And what did you expect?\nBe honest."), ("Noor", "Not much, honestly.")]


def _with_chunk(path: Path, name: str, content_type: str, data: bytes) -> Path:
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Interview 3 - transcript")
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            part = src.read(item.filename)
            if item.filename == "word/document.xml":
                part = part.replace(b"<w:sectPr", b'<w:altChunk r:id="chunk1"/><w:sectPr', 1)
            elif item.filename == "word/_rels/document.xml.rels":
                part = part.replace(b"</Relationships>", (
                    '<Relationship Id="chunk1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/aFChunk" Target="{name}"/></Relationships>').encode())
            elif item.filename == "[Content_Types].xml":
                part = part.replace(b"</Types>", f'<Override PartName="/word/{name}" ContentType="{content_type}"/>'
                                    "</Types>".encode())
            out.writestr(item, part)
        out.writestr(f"word/{name}", data)
    return path


def _turns(doc: object) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in doc.segments]  # type: ignore[attr-defined]


def test_html_chunk_is_read_in_place(tmp_path: Path) -> None:
    path = _with_chunk(tmp_path / "chunk.docx", "afchunk.htm", "text/html", HTML.encode("utf-8"))
    doc = read_transcript(path, settings=PLAIN)
    assert _turns(doc) == EXPECTED
    assert doc.text.startswith("Interview 3 - transcript\n\nInterviewer: How did you")
    assert "SCRIPT" not in doc.text and "HIDDEN" not in doc.text and "color" not in doc.text
    assert not [w for w in doc.warnings if w.startswith("[W557]")]


def test_mht_chunk_is_read_in_place(tmp_path: Path) -> None:
    import quopri

    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"BOUNDARY\"\r\n\r\n--BOUNDARY\r\n"
           "Content-Location: file:///C:/fake/document.html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
           "Content-Type: text/html; charset=\"utf-8\"\r\n\r\n"
           + quopri.encodestring(HTML.encode("utf-8")).decode("ascii") + "\r\n\r\n--BOUNDARY--\r\n")
    path = _with_chunk(tmp_path / "mht.docx", "afchunk.mht", "message/rfc822", mht.encode("ascii"))
    doc = read_transcript(path, settings=PLAIN)
    assert _turns(doc) == EXPECTED


def test_text_chunk_is_read_in_place(tmp_path: Path) -> None:
    text = "Interviewer: How did you first hear about the project?\r\n\r\nNoor: From a friend.\r\n"
    path = _with_chunk(tmp_path / "txt.docx", "afchunk.txt", "text/plain", text.encode("utf-8"))
    doc = read_transcript(path, settings=PLAIN)
    assert _turns(doc) == [("Interviewer", "How did you first hear about the project?"), ("Noor", "From a friend.")]


def test_chunk_of_another_kind_is_named(tmp_path: Path) -> None:
    path = _with_chunk(tmp_path / "other.docx", "afchunk.rtf", "application/rtf",
                       rb"{\rtf1\ansi Interviewer: How did you first hear about the project?\par}")
    doc = read_transcript(path, settings=PLAIN)
    found = [w for w in doc.warnings if w.startswith("[W557]")]
    assert len(found) == 1 and str(path) in found[0] and "word/afchunk.rtf" in found[0]
    assert "application/rtf" in found[0] and "not read" in found[0]
