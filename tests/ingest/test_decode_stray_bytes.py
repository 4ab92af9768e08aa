"""A UTF-8 file with a few stray non-UTF-8 bytes keeps its UTF-8 characters; only those bytes are read as
Windows-1252, and the warning names them by byte offset and line (W003). A file with no UTF-8 at all is still
read as cp1252 (W001, naming its first non-ASCII byte); bytes cp1252 leaves undefined are named, never silent.

Before, one stray byte made the whole file cp1252: "Renée" became "RenÃ©e", the label was lost and the
participant's words were merged into the interviewer's turn; W001 named no byte.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file
from thematic.refi.text import decode_source

RENEE = "Interview\n\nResearcher 1: How was it?\n\nRenée: The café was “fine”, déjà vu. It cost 5\u00a0euros.\n"


def _read(path: Path):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, f"data/raw/{path.name}", path.name, path.stem)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey()).document


def _renee(tmp_path: Path) -> tuple[Path, int]:
    """RENEE in UTF-8 but for one Latin-1 no-break space byte (0xA0); the file and that byte's offset."""
    data = RENEE.encode().replace(b"5\xc2\xa0", b"5\xa0")
    path = tmp_path / "renee.txt"
    path.write_bytes(data)
    return path, data.index(b"5\xa0") + 1


def test_one_stray_byte_keeps_the_utf8_characters_and_the_speaker(tmp_path: Path) -> None:
    path, offset = _renee(tmp_path)
    doc = _read(path)
    assert doc.text == RENEE  # 0xA0 read as cp1252 is the no-break space it was meant to be
    speakers = [s.speaker for s in doc.segments]
    assert speakers == ["Researcher 1", "Renée"]
    for seg in doc.segments:  # offsets index the stored text
        assert doc.text[seg.start:seg.end] == seg.text
    assert "“fine”, déjà vu" in doc.segments[1].text
    [warning] = [w for w in doc.warnings if w.startswith("[W0")]
    assert warning.startswith("[W003] data/raw/renee.txt: 1 byte(s)")
    assert f"line 5, byte {offset} (0xA0)" in warning
    assert "save" in warning and "UTF-8" in warning


def test_several_stray_bytes_are_counted_and_the_first_ones_listed(tmp_path: Path) -> None:
    body = "Researcher 1: Q?\n\nAna: naïve café\n"
    lines = [f"Ana: line {i} with a curly \x92quote\x92 and é, à, ü\n" for i in range(12)]
    data = body.encode() + "".join(lines).encode("utf-8").replace(b"\xc2\x92", b"\x92")
    path = tmp_path / "ana.txt"
    path.write_bytes(data)
    doc = _read(path)
    assert "naïve café" in doc.text and doc.text.count("\u2019quote\u2019") == 12 and doc.text.count(" é, à, ü\n") == 12
    [warning] = [w for w in doc.warnings if w.startswith("[W003]")]
    assert "24 byte(s)" in warning
    first = data.index(b"\x92")
    assert f"line 4, byte {first} (0x92)" in warning
    assert "…" in warning  # only the first ones are listed


def test_a_file_without_utf8_is_still_cp1252_and_w001_names_the_first_byte(tmp_path: Path) -> None:
    text = "Researcher 1: Q?\n\nBo: the caf\u00e9 was \u201cfine\u201d\n"
    path = tmp_path / "bo.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = _read(path)
    assert doc.text == text
    [warning] = [w for w in doc.warnings if w.startswith("[W0")]
    offset = text.encode("cp1252").index(b"\xe9")
    assert warning.startswith(f"[W001] data/raw/bo.txt (its first non-ASCII byte is 0xE9, at line 3, byte {offset})")
    assert "Windows-1252" in warning


def test_a_cp1252_file_with_a_chance_utf8_pair_is_still_cp1252(tmp_path: Path) -> None:
    # "ß“" in cp1252 is DF 93, a valid UTF-8 sequence by chance; the file's other accents are not UTF-8
    text = "Researcher 1: Q?\n\nBo: Für mich war es „Spaß“, ähnlich wie früher, schön.\n"
    path = tmp_path / "bo.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = _read(path)
    assert doc.text == text
    assert [w[:6] for w in doc.warnings if w.startswith("[W0")] == ["[W001]"]


def test_bytes_undefined_in_cp1252_are_named_with_their_offsets(tmp_path: Path) -> None:
    data = b"Researcher 1: Q?\n\nBo: caf\xe9 x\x81\x8d\x9d end\n"
    path = tmp_path / "bo.txt"
    path.write_bytes(data)
    doc = _read(path)
    assert "café x" in doc.text
    undefined = [w for w in doc.warnings if "no character in Windows-1252" in w]
    assert len(undefined) == 1, doc.warnings
    for byte in (0x81, 0x8D, 0x9D):
        assert f"byte {data.index(bytes([byte]))} (0x{byte:02X})" in undefined[0]
    assert "3 byte(s)" in undefined[0] and "U+FFFD" in undefined[0]


def test_an_undefined_stray_byte_in_a_utf8_file_is_named_too(tmp_path: Path) -> None:
    data = "Researcher 1: Q?\n\nAna: café ".encode() + b"\x81" + " déjà vu\n".encode()
    path = tmp_path / "ana.txt"
    path.write_bytes(data)
    doc = _read(path)
    assert "café \ufffd déjà vu" in doc.text
    [warning] = [w for w in doc.warnings if w.startswith("[W003]")]
    offset = data.index(b"\x81")
    assert f"byte {offset} (0x81)" in warning and "no character in Windows-1252" in warning


def test_refi_source_text_is_decoded_the_same_way(tmp_path: Path) -> None:
    path, _ = _renee(tmp_path)
    text, cp1252 = decode_source(path.read_bytes())
    assert text == RENEE and cp1252  # the REFI importer still says W001 when any byte was read as cp1252
    assert decode_source(RENEE.encode()) == (RENEE, False)
