"""A .qdpx text source that is UTF-8 except for one stray Windows-1252 byte: the import keeps every valid UTF-8
character, reads only that byte as cp1252, and its note names the byte by line and offset (W003), as ingest does;
before, the note was a bare W001 ("not valid UTF-8; decoded as Windows-1252") that named neither.
"""

from __future__ import annotations

from pathlib import Path

from thematic.refi import import_refi

from refi.test_importer import project, selection, source


def test_stray_byte_in_a_source_is_named(tmp_path: Path, qdpx) -> None:
    data = "Ana: The café was fine.\nAna: Déjà vu, said Renée.\n".encode("utf-8").replace(b"fine", b"fine\xa0ok")
    text = data.decode("utf-8", errors="replace").replace("\ufffd", "\u00a0")
    quote = "Déjà vu, said Renée."
    start = text.index(quote)
    xml = project(source("internal://a.txt", selection(start, start + len(quote), 3, name=quote)))
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": data}), tmp_path / "s")
    notes = [n for n in report.notes if n.startswith(("[W001]", "[W003]"))]
    assert len(notes) == 1 and notes[0].startswith("[W003]"), report.notes
    assert "a.txt" in notes[0] and "line 1" in notes[0] and "0xA0" in notes[0]
    assert report.verified == 1
