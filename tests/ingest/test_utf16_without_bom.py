"""UTF-16 text saved without a byte-order mark (a NUL every other byte) is read as UTF-16-LE or -BE, by where the
NULs are, with warning W004; it is not called "a binary file" with the advice to "save it as .txt".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest.normalise import decode
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

TEXT = "Interview\r\n\r\nResearcher 1: Q?\r\n\r\nP01: Café answer, “quoted”.\r\n"


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, f"data/raw/{path.name}", path.name, path.stem, {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey()).document


@pytest.mark.parametrize(("encoding", "name"), [("utf-16-le", "UTF-16-LE"), ("utf-16-be", "UTF-16-BE")])
def test_utf16_without_bom_is_read_with_w004(tmp_path: Path, encoding: str, name: str) -> None:
    path = tmp_path / "interview-01.txt"
    path.write_bytes(TEXT.encode(encoding))
    doc = _read(path)
    assert doc.text == TEXT.replace("\r\n", "\n")
    assert [s.speaker for s in doc.segments] == ["Researcher 1", "P01"]
    [warning] = [w for w in doc.warnings if w.startswith("[W004]")]
    assert warning.startswith(f"[W004] data/raw/interview-01.txt: read as {name} text without a byte-order mark")
    assert "binary" not in warning


def test_utf16_survey_csv_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes("respondent_id,what_helped\r\nR1,The café on Tuesdays\r\nR2,Nothing much\r\n".encode("utf-16-le"))
    doc = _read(path, text_columns=["what_helped"])
    assert [s.text for s in doc.segments] == ["The café on Tuesdays", "Nothing much"]
    assert any(w.startswith("[W004]") for w in doc.warnings)


def test_truncated_utf16_without_bom_names_the_byte(tmp_path: Path) -> None:
    data = TEXT.encode("utf-16-le") + b"A"  # an odd number of bytes: cut in the middle of a character
    with pytest.raises(TranscriptParseError, match=r"^\[E104\] x.txt: the UTF-16-LE text \(no byte-order mark\) file"):
        decode(data, "x.txt")


def test_binary_with_nul_bytes_is_still_e101() -> None:
    blob = bytes(range(256)) * 8  # NUL bytes at even and odd positions alike: not UTF-16 text
    with pytest.raises(TranscriptParseError, match=r"^\[E101\] blob.txt"):
        decode(blob, "blob.txt")
    with pytest.raises(TranscriptParseError, match=r"^\[E101\] blob.txt"):
        decode(b"abc\x00\x01\x02def", "blob.txt")
