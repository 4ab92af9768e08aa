"""Reading a codebook file's text safely: size-checked before it is read, UTF-8, BOM and line endings kept."""

from __future__ import annotations

from pathlib import Path

from .._limits import check_file
from ..errors import CodebookError, Errors, InputError

#: The largest codebook file read (bytes): a hand-written codebook is a few hundred kilobytes at most, and
#: a hostile one could otherwise take minutes and gigabytes to parse. Checked before the file is read.
MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
BOM = "\ufeff"


def read_codebook_raw(path: str | Path) -> str:
    """The exact text of a codebook file: a BOM (as U+FEFF) and CRLF line endings kept, so it can be written back.

    Raises a coded CodebookError when the file is unreadable, not UTF-8, or larger than a codebook can be
    (E211, checked before it is read).
    """
    p = Path(path)
    try:
        check_file(p, str(p))
        size = p.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise CodebookError(Errors.E211.format(path=p, size=f"{size / 2**20:,.1f} MB",
                                                   limit=f"{MAX_CODEBOOK_BYTES / 2**20:,.0f} MB"))
        return p.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(Errors.E021.format(path=p, detail=exc)) from None
    except InputError as exc:
        raise CodebookError(str(exc)) from None


def read_codebook_text(path: str | Path) -> str:
    """The text of a codebook file (UTF-8; a BOM is dropped, line endings are kept); a coded error when unreadable."""
    return read_codebook_raw(path).removeprefix(BOM)


__all__ = ["BOM", "MAX_CODEBOOK_BYTES", "read_codebook_raw", "read_codebook_text"]
