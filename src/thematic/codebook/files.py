"""Reading a codebook file's text safely: a regular file, size-checked before it is read, UTF-8, BOM and line endings kept."""

from __future__ import annotations

from glob import escape as glob_escape
from pathlib import Path

from .._files import file_kind
from ..errors import CodebookError, Errors

#: The largest codebook file read (bytes): a hand-written codebook is a few hundred kilobytes at most, and
#: a hostile one could otherwise take minutes and gigabytes to parse. Checked before the file is read.
MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
BOM = "\ufeff"
#: The folder beside the working codebook that holds the frozen copy of each released version.
VERSIONS_DIR = ".versions"


def read_codebook_raw(path: str | Path) -> str:
    """The exact text of a codebook file: a BOM (as U+FEFF) and CRLF line endings kept, so it can be written back.

    Raises a coded CodebookError when the file is unreadable, not a regular file (E047: a device or FIFO could
    be endless), larger than a codebook can be (E211, checked before it is read), or not UTF-8 (E048, its line).
    """
    p = Path(path)
    try:
        st = p.stat()
        kind = file_kind(st.st_mode)
        if kind:
            raise CodebookError(Errors.E047.format(path=p, kind=kind))
        if st.st_size > MAX_CODEBOOK_BYTES:
            raise _too_big(p, st.st_size)
        with p.open("rb") as f:
            data = f.read(MAX_CODEBOOK_BYTES + 1)  # bounded even if the file grows while it is read
        if len(data) > MAX_CODEBOOK_BYTES:
            raise _too_big(p, len(data))
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodebookError(_not_utf8(p, data, exc)) from None
    except OSError as exc:
        raise CodebookError(Errors.E021.format(path=p, detail=exc)) from None


def _too_big(p: Path, size: int) -> CodebookError:
    return CodebookError(Errors.E211.format(path=p, size=f"{size / 2**20:,.1f} MB",
                                            limit=f"{MAX_CODEBOOK_BYTES / 2**20:,.0f} MB"))


def _not_utf8(p: Path, data: bytes, exc: UnicodeDecodeError) -> str:
    """E048 with the line of the first byte that is not UTF-8 (and the encoding it looks like, if known)."""
    line = data.count(b"\n", 0, exc.start) + 1
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        detail = "it is UTF-16"
    else:
        detail = f"byte 0x{data[exc.start]:02x} cannot start a UTF-8 character; perhaps Latin-1 or Windows-1252"
    return Errors.E048.format(path=p, line=line, detail=detail)


def read_codebook_text(path: str | Path) -> str:
    """The text of a codebook file (UTF-8; a BOM is dropped, line endings are kept); a coded error when unreadable."""
    return read_codebook_raw(path).removeprefix(BOM)


def frozen_copies(codebook_path: str | Path, stem: str) -> dict[str, Path]:
    """``{version: file}`` for each ``<stem>-<version>.yaml`` in the versions folder beside ``codebook_path``.

    The version is whatever follows the stem (the caller checks that it is semver).
    """
    folder = Path(codebook_path).parent / VERSIONS_DIR
    if not folder.is_dir():
        return {}
    return {p.name[len(stem) + 1:-5]: p for p in folder.glob(f"{glob_escape(stem)}-*.yaml")}


__all__ = ["BOM", "MAX_CODEBOOK_BYTES", "VERSIONS_DIR", "frozen_copies", "read_codebook_raw", "read_codebook_text"]
