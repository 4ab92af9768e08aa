"""An .odt space element ``<text:s text:c="N"/>`` was read as N spaces with no bound, so a 440-byte file holding
``text:c="400000000"`` became a 400 MB turn (gigabytes of memory, a store hundreds of MB larger); a count that
was not a number (``text:c="two"``) failed with an unexpected ValueError. A run of spaces is now capped (spaces
carry no words, so the text is unchanged in every way that matters) and a count that is not a number reads as
one space, as the default is."""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.ingest.readers.odt import odt_text

PLAIN = IngestSettings(pseudonymise=False)
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _odt(path: Path, body: str) -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
    return path


def test_a_huge_space_count_does_not_grow_the_text(tmp_path: Path) -> None:
    path = _odt(tmp_path / "spaces.odt", '<text:p>Interviewer: Hello.</text:p>'
                                         '<text:p>Maria: Hi<text:s text:c="20000000"/>there.</text:p>')
    text, _ = odt_text(path.read_bytes(), "spaces.odt")
    assert len(text) < 2_000
    assert text.startswith("Interviewer: Hello.") and text.endswith("there.") and "Hi " in text
    doc = read_transcript(path, settings=PLAIN)
    assert [s.speaker for s in doc.segments] == ["Interviewer", "Maria"]
    assert doc.segments[1].text.startswith("Hi") and doc.segments[1].text.endswith("there.")
    assert len(doc.segments[1].text) < 100


def test_a_small_space_count_is_kept_exactly(tmp_path: Path) -> None:
    path = _odt(tmp_path / "few.odt", '<text:p>Maria: one<text:s text:c="3"/>two<text:s/>three</text:p>')
    text, _ = odt_text(path.read_bytes(), "few.odt")
    assert text == "Maria: one   two three"


def test_a_space_count_that_is_not_a_number_reads_as_one_space(tmp_path: Path) -> None:
    path = _odt(tmp_path / "odd.odt", '<text:p>Maria: one<text:s text:c="two"/>two<text:s text:c="-5"/>'
                                      'three</text:p>')
    text, _ = odt_text(path.read_bytes(), "odd.odt")
    assert text == "Maria: one two three"
