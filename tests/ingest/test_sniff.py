"""Format sniffing: content first, extension second; coded errors for what cannot be read."""

from __future__ import annotations

import io
import zipfile

import pytest

from thematic.errors import TranscriptParseError
from thematic.ingest.sniff import sniff_format

VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: hi\n"
SRT = b"1\n00:00:01,000 --> 00:00:02,500\nhello there\n"


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n in names:
            zf.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("zoom_transcript.txt", VTT, "vtt"),  # a WebVTT saved as .txt is WebVTT
        ("captions.vtt", b"\xef\xbb\xbf" + VTT, "vtt"),
        ("asr.txt", SRT, "srt"),
        ("asr.srt", SRT, "srt"),
        ("notes.md", b"# Notes\nSome text", "text"),
        ("interview.txt", b"Interviewer: hi", "text"),
        ("survey.csv", b"id,answer\n1,yes", "csv"),
        ("survey.tsv", b"id\tanswer\n1\tyes", "csv"),
        ("report.docx", _zip(["word/document.xml"]), "docx"),
        ("misnamed.txt", _zip(["word/document.xml"]), "docx"),
        ("survey.xlsx", _zip(["xl/workbook.xml"]), "xlsx"),
        ("transcript.pdf", b"%PDF-1.7\n...", "pdf"),
        ("rich.rtf", b"{\\rtf1\\ansi hello}", "rtf"),
        ("nvivo-export.txt", b"\r\n{\\rtf1\\ansi hello}", "rtf"),
        ("export.txt", b"%PDF-1.4\n...", "pdf"),  # content first
        ("junk-before.pdf", b"\x00\x01junk\n%PDF-1.5\n...\n%%EOF\n", "pdf"),
    ],
)
def test_sniff_by_content_then_extension(name: str, data: bytes, expected: str) -> None:
    assert sniff_format(data, name) == expected


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "E100"),
        ("blank.txt", b"  \n\t\n", "E100"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "E103"),
        ("cut.docx", b"PK\x03\x04broken", "E104"),
        ("notzip.docx", b"just text", "E104"),
        ("project.qdpx", _zip(["project.qde"]), "E102"),
        ("sheet.ods", _zip(["content.xml"]), "E103"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "E101"),
        ("data.json", b'{"a": 1}', "E102"),
    ],
)
def test_sniff_errors_are_coded_and_name_the_file(name: str, data: bytes, code: str) -> None:
    with pytest.raises(TranscriptParseError) as info:
        sniff_format(data, name)
    assert str(info.value).startswith(f"[{code}] {name}")
