"""Size limits on what a study's files may expand to, so a small hostile file cannot exhaust memory.

A 2 MB .docx can hold an 800 MB document.xml; a .qdpx under a compression-ratio cap can still
decompress to gigabytes. Before anything is parsed, the uncompressed size of each file and of
each archive member (read from the zip directory, which zipfile enforces while reading) and of
the whole archive is checked against ``[limits]`` in thematic.toml. A PDF's Flate-compressed
streams are inflated once in bounded steps (nothing kept) and counted the same way, because the
PDF parser inflates each stream whole into memory.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._files import file_kind
from .errors import Errors, InputError

MiB = 1024 * 1024
#: Excel's last row: a row number past it is not from a spreadsheet program.
MAX_SHEET_ROWS = 1_048_576
#: Cells read from one sheet, the empty ones padding each row to its last cell included (~160 MB of references).
MAX_SHEET_CELLS = 20_000_000


@dataclass(frozen=True, slots=True)
class SizeLimits:
    """``[limits]`` in thematic.toml: uncompressed megabytes per file or archive member, and per archive."""

    max_file_mb: float = 64.0
    max_archive_mb: float = 500.0

    @property
    def max_file_bytes(self) -> int:
        """``max_file_mb`` in bytes."""
        return int(self.max_file_mb * MiB)

    @property
    def max_archive_bytes(self) -> int:
        """``max_archive_mb`` in bytes."""
        return int(self.max_archive_mb * MiB)


DEFAULT_SIZE_LIMITS = SizeLimits()


def _mb(n: int) -> str:
    return f"{n / MiB:,.1f} MB"


def too_big(path: str, what: str, size: int, limit: int, key: str, template: str = Errors.E038) -> InputError:
    """E038 naming the file, the part, its size and the limit (and the setting that raises it); ``template``
    E415 for a workbook sent back, whose limit no setting raises."""
    return InputError(template.format(path=path, what=what, size=_mb(size), limit=_mb(limit), key=key))


def check_regular(path: Path, display: str) -> None:
    """E059 when ``path`` is a pipe, device or socket (reading one can block forever); a missing file passes."""
    try:
        kind = file_kind(path.stat().st_mode)
    except OSError:
        return  # the reader reports a missing or unreadable file with its own message
    if kind:
        raise InputError(Errors.E059.format(path=display, kind=kind))


def check_file(path: Path, display: str, limits: SizeLimits = DEFAULT_SIZE_LIMITS,
               template: str = Errors.E038) -> None:
    """E038 when the file on disk is larger than ``max_file_mb`` (checked before it is read)."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise too_big(display, "the file", size, limits.max_file_bytes, "max_file_mb", template)


def check_workbook(path: Path, display: str, limits: SizeLimits = DEFAULT_SIZE_LIMITS) -> None:
    """E415 when a workbook someone sent (a coding sheet, a decision workbook) is too large on disk or unzipped
    (the default limits: the study's ``[limits]`` do not apply to it); E059 when it is a pipe or device."""
    check_regular(path, display)
    try:
        check_file(path, display, limits, Errors.E415)
        data = path.read_bytes()
    except OSError:
        return  # the reader reports a missing or unreadable file with its own message
    check_archive(data, display, limits, Errors.E415)


def sheet_rows(ws: Any, display: str) -> list[tuple[Any, ...]]:
    """The value rows of a read-only openpyxl sheet, its ``<dimension>`` tag ignored (a file can claim
    A1:XFD1048576 and have openpyxl pad every row to 16,384 cells); each row ends at its own last cell.

    Raises:
        InputError: [E058] a row past Excel's last row, or more cells than ``MAX_SHEET_CELLS`` between real ones.
    """
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows: list[tuple[Any, ...]] = []
    cells = 0
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > MAX_SHEET_ROWS:
            raise InputError(Errors.E058.format(path=display, sheet=ws.title, detail=(
                f"has a row past Excel's last row ({MAX_SHEET_ROWS:,})")))
        cells += max(len(row), 1)
        if cells > MAX_SHEET_CELLS:
            raise InputError(Errors.E058.format(path=display, sheet=ws.title, detail=(
                f"spans more than {MAX_SHEET_CELLS:,} cells by row {n:,} (counting the empty cells between "
                "the filled ones)")))
        rows.append(tuple(row))
    return rows


def check_archive(data: bytes, display: str, limits: SizeLimits = DEFAULT_SIZE_LIMITS,
                  template: str = Errors.E038) -> None:
    """E038 when a zip (.docx, .xlsx, .qdpx) expands past the limits; no-op for other data or a broken zip."""
    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader reports the damage with its own message
    total = 0
    for info in infos:
        if info.file_size > limits.max_file_bytes:
            raise too_big(display, f"member {info.filename!r}", info.file_size, limits.max_file_bytes, "max_file_mb",
                          template)
        total += info.file_size
    if total > limits.max_archive_bytes:
        raise too_big(display, "the archive", total, limits.max_archive_bytes, "max_archive_mb", template)


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_STEP = 1 << 20


def _inflated(data: memoryview, start: int, cap: int) -> int:
    """Bytes the Flate stream at ``start`` inflates to, counted in 1 MiB steps; stops once past ``cap``."""
    d = zlib.decompressobj()
    total, pending = 0, data[start:]
    try:
        while pending and not d.eof and total <= cap:
            total += len(d.decompress(pending, _STEP))
            pending = d.unconsumed_tail
    except zlib.error:
        return total if total else 0  # not Flate (an image, another filter), or cut short: the parser reports it
    return total


def check_pdf(data: bytes, display: str, limits: SizeLimits = DEFAULT_SIZE_LIMITS) -> None:
    """E038 when a PDF's compressed streams inflate past ``max_file_mb`` each or ``max_archive_mb`` together."""
    if not data[:1024].lstrip().startswith(b"%PDF"):
        return
    view, total = memoryview(data), 0
    for m in _STREAM.finditer(data):
        size = _inflated(view, m.end(), limits.max_file_bytes)
        if size > limits.max_file_bytes:
            raise too_big(display, f"the compressed stream at byte {m.end()}", size, limits.max_file_bytes,
                          "max_file_mb")
        total += size
        if total > limits.max_archive_bytes:
            raise too_big(display, "the PDF's compressed streams", total, limits.max_archive_bytes, "max_archive_mb")
