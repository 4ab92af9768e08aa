"""Inside an .odt table cell, comments (office:annotation), footnotes and endnotes (text:note) and frames or
text boxes (draw:frame) were read as the speaker's words, and a table nested in a cell was read twice (once in
the cell, once as rows of the outer table). A cell now drops exactly what an ordinary paragraph drops, and a
nested table is read once, into its cell, a row a line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')
COMMENT = '<office:annotation><dc:creator>HT</dc:creator><text:p>COMMENT check with PI</text:p></office:annotation>'
NOTE = ('<text:note text:id="n1" text:note-class="{cls}"><text:note-citation>1</text:note-citation>'
        '<text:note-body><text:p>NOTE transcriber unsure</text:p></text:note-body></text:note>')
FRAME = ('<draw:frame draw:name="Box"><draw:text-box><text:p>FRAME sidebar text</text:p></draw:text-box>'
         '</draw:frame>')


def _odt(path: Path, body: str) -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3">'
               f"<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", content)
    return path


def _row(*cells: str) -> str:
    return "<table:table-row>" + "".join(
        f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in cells) + "</table:table-row>"


def test_comments_notes_and_frames_in_cells_are_dropped(tmp_path: Path) -> None:
    rows = [_row("Interviewer", "Can you tell me about your first year on the ward and what it was like?"),
            _row("Maria", f"It was hard{COMMENT} but I learned a great deal from the senior nurses there."),
            _row("Interviewer", f"What did they teach you{NOTE.format(cls='footnote')} in those months, "
                                "would you say?"),
            _row("Maria", f"Mostly patience{NOTE.format(cls='endnote')}, and how to talk to families "
                          f"when things{FRAME} go badly wrong."),
            "<table:table-header-rows>" + _row("Interviewer", "And the second year on the ward, how did that "
                                               "one compare with the first?") + "</table:table-header-rows>"]
    doc = read_transcript(_odt(tmp_path / "cells.odt", f"<table:table>{''.join(rows)}</table:table>"),
                          settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Can you tell me about your first year on the ward and what it was like?"),
        ("Maria", "It was hard but I learned a great deal from the senior nurses there."),
        ("Interviewer", "What did they teach you in those months, would you say?"),
        ("Maria", "Mostly patience, and how to talk to families when things go badly wrong."),
        ("Interviewer", "And the second year on the ward, how did that one compare with the first?")]
    for dropped in ("COMMENT", "NOTE", "FRAME"):
        assert dropped not in doc.text


def test_a_table_nested_in_a_cell_is_read_once(tmp_path: Path) -> None:
    inner = f"<table:table>{_row('INNER A', 'INNER B')}{_row('INNER C', 'INNER D')}</table:table>"
    body = ("<table:table><table:table-row><table:table-cell><text:p>Site</text:p></table:table-cell>"
            f"<table:table-cell><text:p>Leeds</text:p>{inner}</table:table-cell></table:table-row></table:table>"
            "<text:p>Interviewer: Hello.</text:p><text:p>Maria: Hi.</text:p>")
    doc = read_transcript(_odt(tmp_path / "nested.odt", body), settings=PLAIN)
    for word in ("INNER A", "INNER B", "INNER C", "INNER D"):
        assert doc.text.count(word) == 1, doc.text
    assert "Leeds\nINNER A\tINNER B\nINNER C\tINNER D" in doc.text
    assert [(s.speaker, s.text) for s in doc.segments] == [("Interviewer", "Hello."), ("Maria", "Hi.")]
