"""An .odt whose ``mimetype`` member is damaged (its bytes no longer match their checksum) is E104, not E114.

Format sniffing read that member without catching the zip module's error, so such a file stopped ingest's row
with "[E114] unexpected error ... please report" instead of saying the file is damaged. Now it is E104,
naming the file, like any other damaged archive.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript

MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _damaged_odt(path: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)  # stored, as ODF requires
        zf.writestr("content.xml", "<office:document-content/>")
    data = bytearray(buf.getvalue())
    at = data.index(MIMETYPE)
    data[at] ^= 0x20  # one flipped bit: the member's CRC no longer matches
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_odt_mimetype_is_named_damaged(tmp_path: Path) -> None:
    path = _damaged_odt(tmp_path / "talk.odt")
    with pytest.raises(TranscriptParseError, match=r"\[E104\].*talk\.odt"):
        read_transcript(path)
