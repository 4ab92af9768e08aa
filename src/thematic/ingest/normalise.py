"""Decode and normalise text once (DESIGN.md §2): UTF-8 (stray bytes and non-UTF-8 files read as cp1252; UTF-16
with or without a BOM), no BOM, LF, NFC.

Every offset thematic stores is a code-point offset into the text this module returns; each byte read as
cp1252 becomes exactly one character, so nothing shifts.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass

from ..errors import Errors, TranscriptParseError, Warnings

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")
#: C0 controls other than tab and newline (and DEL) carry nothing a reader needs; they, and the noncharacters
#: U+FFFE and U+FFFF, cannot be written to XML (xlsx, docx), so they are dropped (refi.text drops the same).
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Each byte's Windows-1252 character; the five bytes cp1252 leaves undefined become U+FFFD (and are reported).
_CP1252 = tuple(bytes([b]).decode("cp1252", errors="replace") for b in range(256))
_UNDEFINED_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_HIGH = bytes(range(0x80, 0x100))
#: How many bad bytes a warning lists by line and offset.
_SHOWN = 5
#: Appended to W001/W003 when some of the bytes read as cp1252 have no character there.
UNDEFINED_NOTE = " {n} byte(s) have no character in Windows-1252 and show as U+FFFD (\ufffd): {where}."

_FOUND: ContextVar[list[int]] = ContextVar("thematic_cp1252_bytes")


def _as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    """codecs error handler: each byte that is not UTF-8 is read as its Windows-1252 character (offsets noted)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _FOUND.get().extend(range(exc.start, exc.end))
    return "".join(_CP1252[b] for b in exc.object[exc.start:exc.end]), exc.end


codecs.register_error("thematic.cp1252", _as_cp1252)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded bytes: the text, how (``utf-8``, ``utf-8+cp1252`` for stray bytes, ``cp1252``), the offsets of the
    bytes read as cp1252 inside UTF-8, and of those cp1252 leaves undefined (now U+FFFD)."""

    text: str
    encoding: str
    stray: tuple[int, ...] = ()
    undefined: tuple[int, ...] = ()


def decode_8bit(data: bytes) -> Decoded:
    """UTF-8 (BOM removed); bytes that are not UTF-8 read as cp1252 one by one, or the whole file as cp1252 when
    it has fewer valid multi-byte UTF-8 characters than such bytes (none at all: a cp1252 file)."""
    try:
        return Decoded(data.decode("utf-8").removeprefix("\ufeff"), "utf-8")
    except UnicodeDecodeError:
        pass
    token = _FOUND.set([])
    try:
        mixed = data.decode("utf-8", errors="thematic.cp1252")
        stray = tuple(_FOUND.get())
    finally:
        _FOUND.reset(token)
    high = len(data) - len(data.translate(None, _HIGH))
    multibyte = len(mixed) - (len(data) - high) - len(stray)  # characters from valid UTF-8 sequences
    if multibyte >= len(stray) or data.startswith(codecs.BOM_UTF8):
        undefined = tuple(i for i in stray if _UNDEFINED_CP1252.match(data, i))
        return Decoded(mixed.removeprefix("\ufeff"), "utf-8+cp1252", stray, undefined)
    undefined = tuple(m.start() for m in _UNDEFINED_CP1252.finditer(data))
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", (), undefined)


def _line(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _places(data: bytes, offsets: tuple[int, ...]) -> str:
    """'line 5, byte 92 (0xA0); …' for the first offsets (byte offsets count from 0)."""
    shown = "; ".join(f"line {_line(data, i)}, byte {i} (0x{data[i]:02X})" for i in offsets[:_SHOWN])
    return shown + ("; …" if len(offsets) > _SHOWN else "")


def cp1252_warnings(data: bytes, decoded: Decoded, path: str) -> list[str]:
    """W001 (the whole file read as cp1252) or W003 (stray bytes read as cp1252), each naming the bytes by line
    and offset, and the bytes cp1252 leaves undefined."""
    note = UNDEFINED_NOTE.format(n=len(decoded.undefined), where=_places(data, decoded.undefined)) \
        if decoded.undefined else ""
    if decoded.encoding == "cp1252":
        first = re.search(rb"[\x80-\xff]", data)
        where = f" (its first non-ASCII byte is 0x{data[first.start()]:02X}, at line {_line(data, first.start())}, " \
                f"byte {first.start()})" if first else ""
        return [Warnings.W001.format(path=f"{path}{where}") + note]
    if decoded.encoding == "utf-8+cp1252":
        return [Warnings.W003.format(path=path, n=len(decoded.stray), where=_places(data, decoded.stray), note=note)]
    return []


def content_hash(data: bytes) -> str:
    """The sha256 hex digest of a file's original bytes (detects changed inputs on re-ingest)."""
    return hashlib.sha256(data).hexdigest()


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes are UTF-16 text without a byte-order mark: in the first 8 KB
    a NUL in at least 3 of 10 characters' high bytes (mostly ASCII text) and next to none in their low bytes."""
    head = data[:8192]
    head = head[:len(head) - len(head) % 2]
    pairs = len(head) // 2
    if pairs < 2 or data.startswith(_UTF16_BOMS):
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    nul, other = max(even, odd), min(even, odd)
    if nul * 10 < pairs * 3 or other * 20 > nul:
        return None
    sample = head.decode(encoding, errors="replace")
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\n\r\x0b\x0c")
    return encoding if controls * 100 <= len(sample) else None


def looks_binary(data: bytes) -> bool:
    """True when the first 8 KB hold NUL bytes and the file is not UTF-16 text (with a BOM or without)."""
    return b"\x00" in data[:8192] and not data.startswith(_UTF16_BOMS) and utf16_without_bom(data) is None


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM removed; UTF-16 with a BOM too, and without one with W004); bytes that are not
    UTF-8 as cp1252 (W003), or the whole file as cp1252 when it is not UTF-8 at all (W001).

    Raises:
        TranscriptParseError: [E101] for binary content, [E104] damaged UTF-16.
    """
    warnings: list[str] = []
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise TranscriptParseError(Errors.E104.format(path=path, kind="UTF-16 text", detail=exc)) from None
    utf16 = utf16_without_bom(data) if b"\x00" in data[:8192] else None
    if utf16:
        name = utf16.upper()
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise TranscriptParseError(Errors.E104.format(
                path=path, kind=f"{name} text (no byte-order mark)", detail=exc)) from None
        return text, [Warnings.W004.format(path=path, encoding=name)]
    if looks_binary(data):
        raise TranscriptParseError(Errors.E101.format(path=path, detail="it contains NUL bytes"))
    decoded = decode_8bit(data)
    return decoded.text, cp1252_warnings(data, decoded, path)


def normalise_text(text: str) -> str:
    """CRLF/CR and other line separators to LF, control characters and U+FFFE/U+FFFF dropped, Unicode NFC."""
    text = text.removeprefix("\ufeff")
    text = _NEWLINES.sub("\n", text)
    text = CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text)


def read_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """Decode and normalise file bytes; returns the text and any warnings."""
    text, warnings = decode(data, path)
    return normalise_text(text), warnings
