"""Choose a reader by content first and extension second (a WebVTT saved as .txt is WebVTT)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePath

from ..errors import Errors, TranscriptParseError
from .normalise import looks_binary

#: Formats thematic reads; the value is what ``Document.format`` says.
FORMATS = ("text", "docx", "vtt", "srt", "csv", "xlsx", "pdf", "odt", "rtf")

_SRT_START = re.compile(rb"\A\s*\d+[ \t]*\r?\n[ \t]*\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
_OLD_OFFICE = ("Old Word/Excel (.doc/.xls)", "Open it and save it as .docx or .xlsx.")
_NOT_SUPPORTED = ((b"\xd0\xcf\x11\xe0", *_OLD_OFFICE),)
#: Extensions of kinds thematic knows but does not read, whatever the bytes hold (unless they are a readable
#: format: an RTF or a WebVTT saved as .doc is read): E103 with the conversion advice.
_NOT_SUPPORTED_SUFFIXES = {
    ".doc": _OLD_OFFICE, ".dot": _OLD_OFFICE, ".xls": _OLD_OFFICE, ".xlt": _OLD_OFFICE,
    ".ods": ("OpenDocument spreadsheet/presentation", "Save it as .xlsx (or .docx)."),
    ".odp": ("OpenDocument spreadsheet/presentation", "Save it as .xlsx (or .docx)."),
}


def _strip_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            if bom != b"\xef\xbb\xbf":  # UTF-16: look at every other byte
                head = head[1::2] if bom == b"\xfe\xff" else head[0::2]
            break
    return head


def _odt_mimetype(data: bytes, path: str) -> bool:
    """True for an OpenDocument text (its ``mimetype`` member, stored first, says so); E104 when it is damaged."""
    from .readers.odt import ODT_MIMETYPES

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            kind = zf.read("mimetype")[:100].decode("ascii", "replace").strip()
        except KeyError:
            return False
        except (zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
            raise TranscriptParseError(Errors.E104.format(path=path, kind="odt", detail=exc)) from None
    return kind in ODT_MIMETYPES


def _zip_format(data: bytes, path: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        kind = PurePath(path).suffix.lstrip(".").lower() or "zip"
        raise TranscriptParseError(Errors.E104.format(path=path, kind=kind, detail=exc)) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and _odt_mimetype(data, path):
        return "odt"
    if "content.xml" in names:
        raise TranscriptParseError(Errors.E103.format(
            path=path, kind="OpenDocument spreadsheet/presentation", fix="Save it as .xlsx (or .docx)."))
    suffix = PurePath(path).suffix.lower()
    if suffix in {".docx", ".xlsx"}:
        expected, kind = ("word/document.xml", "Word") if suffix == ".docx" else ("xl/workbook.xml", "Excel")
        shown = ", ".join(sorted(names)[:5]) + (" …" if len(names) > 5 else "") if names else "nothing"
        raise TranscriptParseError(Errors.E041.format(path=path, suffix=suffix, expected=expected, kind=kind,
                                                      names=shown))
    raise TranscriptParseError(Errors.E102.format(path=path, suffix=PurePath(path).suffix or "zip archive"))


def sniff_format(data: bytes, path: str) -> str:
    """The format of a file's bytes: one of ``FORMATS``.

    Raises:
        TranscriptParseError: [E100] empty, [E101] binary, [E102] unknown, [E103] unsupported kind,
            [E104] damaged archive.
    """
    suffix = PurePath(path).suffix.lower()
    if not data.strip():
        raise TranscriptParseError(Errors.E100.format(path=path, detail=""))
    if data.startswith(b"PK\x03\x04") or (suffix in {".docx", ".xlsx"} and data.startswith(b"PK")):
        return _zip_format(data, path)
    if data[:64].lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]):
        return "pdf"
    for magic, kind, fix in _NOT_SUPPORTED:
        if data.startswith(magic):
            raise TranscriptParseError(Errors.E103.format(path=path, kind=kind, fix=fix))
    if suffix in {".docx", ".xlsx"}:
        raise TranscriptParseError(Errors.E104.format(path=path, kind=suffix[1:], detail="not a zip archive"))
    if looks_binary(data):
        raise TranscriptParseError(Errors.E101.format(path=path, detail="it contains NUL bytes"))
    head = _strip_bom(data[:4096]).lstrip()
    if head.startswith(b"WEBVTT"):
        return "vtt"
    if _SRT_START.match(head):
        return "srt"
    if suffix in {".csv", ".tsv"}:
        return "csv"
    if suffix == ".vtt":
        return "vtt"
    if suffix == ".srt":
        return "srt"
    if suffix in _TEXT_SUFFIXES:
        return "text"
    if suffix in _NOT_SUPPORTED_SUFFIXES:
        kind, fix = _NOT_SUPPORTED_SUFFIXES[suffix]
        raise TranscriptParseError(Errors.E103.format(path=path, kind=kind, fix=fix))
    raise TranscriptParseError(Errors.E102.format(path=path, suffix=suffix))
