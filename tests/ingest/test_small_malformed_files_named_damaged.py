"""Small malformed files were reported as "[E114] unexpected ... please report this" rather than as damaged files:
an .odt with 3,000 nested spans (RecursionError), an .rtf with ``\\u`` and 5,000 digits (OverflowError in striprtf)
and an .srt whose cue number has 5,000 digits (ValueError from int()). The .odt and .rtf are now [E104] naming the
file; the .srt's over-long number is not taken for a cue number, so the file is read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematic.errors import TranscriptParseError
from thematic.ingest.read import read_transcript


def _odt(path: Path, body: str) -> Path:
    content = ('<?xml version="1.0"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>' + body +
               '</office:text></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return path


def test_an_odt_nested_thousands_deep_is_e104(tmp_path: Path) -> None:
    path = _odt(tmp_path / "deep.odt", "<text:p>Maria: " + "<text:span>" * 3000 + "deep" + "</text:span>" * 3000
                + "</text:p>")
    with pytest.raises(TranscriptParseError, match=r"\[E104\] .*deep\.odt: the OpenDocument file is damaged"):
        read_transcript(path)


def test_an_rtf_unicode_escape_of_5000_digits_is_e104(tmp_path: Path) -> None:
    path = tmp_path / "u.rtf"
    path.write_text(r"{\rtf1\ansi Maria: \u" + "9" * 5000 + r"? after\par}", encoding="ascii")
    with pytest.raises(TranscriptParseError, match=r"\[E104\] .*u\.rtf: the RTF file is damaged"):
        read_transcript(path)


@pytest.mark.parametrize("number", ["2" * 5000, "²"])
def test_an_srt_cue_number_that_int_cannot_read_is_not_a_cue_number(tmp_path: Path, number: str) -> None:
    path = tmp_path / "cues.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nAlice: Hello.\n\n" + number
                    + "\n00:00:03,000 --> 00:00:04,000\nBob: Hi.\n", encoding="utf-8")
    doc = read_transcript(path)
    assert "Hello." in doc.text and "Hi." in doc.text
