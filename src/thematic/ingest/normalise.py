"""Decode and normalise text once (DESIGN.md §2): UTF-8 (cp1252 fallback), no BOM, LF, NFC.

Every offset thematic stores is a code-point offset into the text this module returns.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

from ..errors import Errors, TranscriptParseError, Warnings

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# C0 controls other than tab and newline (and DEL) carry nothing a reader needs; they break XML exports.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def content_hash(data: bytes) -> str:
    """The sha256 hex digest of a file's original bytes (detects changed inputs on re-ingest)."""
    return hashlib.sha256(data).hexdigest()


def looks_binary(data: bytes) -> bool:
    """True when the first 8 KB hold NUL bytes and the file is not UTF-16 with a BOM."""
    return b"\x00" in data[:8192] and not data.startswith(_UTF16_BOMS)


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM removed; UTF-16 with a BOM too), else cp1252 with warning W001.

    Raises:
        TranscriptParseError: [E101] for binary content.
    """
    warnings: list[str] = []
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise TranscriptParseError(Errors.E104.format(path=path, kind="UTF-16 text", detail=exc)) from None
    if looks_binary(data):
        raise TranscriptParseError(Errors.E101.format(path=path, detail="it contains NUL bytes"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append(Warnings.W001.format(path=path))
    return text, warnings


def normalise_text(text: str) -> str:
    """CRLF/CR and other line separators to LF, control characters dropped, Unicode NFC."""
    text = text.removeprefix("\ufeff")
    text = _NEWLINES.sub("\n", text)
    text = _CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def read_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode and normalise file bytes; returns the text and any warnings."""
    text, warnings = decode(data, path)
    return normalise_text(text), warnings
