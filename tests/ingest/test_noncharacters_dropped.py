"""U+FFFE and U+FFFF (noncharacters no XML file may hold) are dropped at ingest like the C0 controls, in
ingest's normalisation and in the REFI importer's; before, one such character crashed every xlsx and Word export
of the study with a traceback.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.normalise import normalise_text
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file
from thematic.refi.text import TextMap
from thematic.refi.text import normalise_text as refi_normalise_text


def _read(path: Path):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, f"data/raw/{path.name}", path.name, path.stem)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey()).document


def test_normalise_drops_ufffe_and_uffff() -> None:
    assert normalise_text("odd \uffff char\ufffe here\x07") == "odd  char here"
    assert refi_normalise_text("odd \uffff char\ufffe here\x07") == "odd  char here"


def test_a_transcript_with_uffff_is_stored_without_it(tmp_path: Path) -> None:
    path = tmp_path / "ana.txt"
    path.write_bytes(b"Interview\n\nResearcher 1: Q?\n\nAna: odd \xef\xbf\xbf char \xef\xbf\xbe in a transcript.\n")
    doc = _read(path)
    assert "\uffff" not in doc.text and "\ufffe" not in doc.text
    assert doc.segments[-1].text == "odd  char  in a transcript."
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == seg.text


def test_refi_offsets_skip_the_dropped_noncharacter() -> None:
    m = TextMap("ab\uffffcd", crlf_as_two=False)
    assert m.text == "abcd"
    assert m.text[m.to_norm(3):m.to_norm(5)] == "cd"
