"""A time | speaker | text transcript table with a row whose text cell is empty (an utterance the service left
blank) added that row's speaker name to the previous turn's words (``…community centre.\\n\\nInterviewer``), in
.docx, .odt and .rtf alike. A row holding only a time and a speaker says nothing: it is left out, and the turns
around it keep their own words."""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
ROWS = [("00:00:01", "Interviewer", "How did you first hear about the project?"),
        ("00:00:06", "Ama", "A friend told me about it at the community centre."),
        ("00:00:14", "Interviewer", ""),
        ("00:00:20", "Ama", "She had been to one of the sessions."),
        ("00:00:27", "Interviewer", "Okay."),
        ("00:00:29", "Ama", "So I went.")]
EXPECTED = [("Interviewer", "How did you first hear about the project?"),
            ("Ama", "A friend told me about it at the community centre."),
            ("Ama", "She had been to one of the sessions."), ("Interviewer", "Okay."), ("Ama", "So I went.")]


def _turns(path: Path) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in read_transcript(path, settings=PLAIN).segments]


def test_docx_row_with_a_speaker_and_no_text_is_left_out(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=0, cols=3)
    for row in ROWS:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    document.save(tmp_path / "blank.docx")
    doc = read_transcript(tmp_path / "blank.docx", settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert [s.time_start for s in doc.segments] == [1.0, 6.0, 20.0, 27.0, 29.0]


def test_odt_row_with_a_speaker_and_no_text_is_left_out(tmp_path: Path) -> None:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
    rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{c}</text:p></table:table-cell>"
                                                  for c in row) + "</table:table-row>" for row in ROWS)
    path = tmp_path / "blank.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
                                   f"<office:body><office:text><table:table>{rows}</table:table>"
                                   "</office:text></office:body></office:document-content>")
    assert _turns(path) == EXPECTED


def test_rtf_row_with_a_speaker_and_no_text_is_left_out(tmp_path: Path) -> None:
    rows = "".join(r"\trowd\cellx1500\cellx3500\cellx9000 " + "".join(rf"\pard\intbl {c}\cell " for c in row)
                   + r"\row " for row in ROWS)
    path = tmp_path / "blank.rtf"
    path.write_text(r"{\rtf1\ansi " + rows + r"\pard\par}", encoding="latin-1")
    assert _turns(path) == EXPECTED
