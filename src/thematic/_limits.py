"""Size limits on what a study's files may expand to, so a small hostile file cannot exhaust memory.

A 2 MB .docx can hold an 800 MB document.xml; a .qdpx under a compression-ratio cap can still
decompress to gigabytes. Before anything is parsed, the uncompressed size of each file and of
each archive member (as its zip directory declares it, then as it really unpacks, measured in
bounded steps: a directory can lie, and the readers inflate a member whole) and of the whole archive is checked against ``[limits]`` in thematic.toml. A PDF's streams are
decoded once by the PDF parser itself, its decoders capped at the limit (nothing kept), and counted
the same way, because the parser decodes each stream whole into memory.
"""

from __future__ import annotations

import copy
import io
import zipfile
import zlib
from contextvars import ContextVar
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
    """E038 when a zip (.docx, .xlsx, .odt, .qdpx) expands past the limits, by the sizes its directory declares and
    then by what each member really unpacks to (measured in bounded steps, nothing kept: a directory can lie, and
    the readers inflate a member whole); no-op for other data or a broken zip."""
    if not (data.startswith(b"PK\x03\x04") or b"PK\x05\x06" in data[-(1 << 16) - 22:]):
        return  # a zip's end record is in its last 64 KiB, whatever comes before it
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
    total = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in infos:
            size = unpacked_size(zf, info, limits.max_file_bytes)
            if size > limits.max_file_bytes:
                raise InputError(template.format(
                    path=display, what=f"member {info.filename!r} (declared as {info.file_size:,} bytes)",
                    size=f"more than {_mb(limits.max_file_bytes)}", limit=_mb(limits.max_file_bytes),
                    key="max_file_mb"))
            total += size
            if total > limits.max_archive_bytes:
                raise InputError(template.format(
                    path=display, what="the archive", size=f"more than {_mb(limits.max_archive_bytes)}",
                    limit=_mb(limits.max_archive_bytes), key="max_archive_mb"))


_UNZIP_STEP = 1 << 20


def unpacked_size(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> int:
    """Bytes a zip member really unpacks to, whatever its directory declares: read in 1 MiB steps, nothing kept,
    stopping once past ``cap``; a damaged or encrypted member counts what was read (its reader reports it)."""
    probe = copy.copy(info)
    probe.file_size = cap + 2 * _UNZIP_STEP  # zipfile stops a member at its declared size: let it run past the cap
    del probe.CRC  # a wrong checksum is the reader's to report; here it would hide the last step's count
    total = 0
    try:
        with zf.open(probe) as fh:
            while total <= cap and (chunk := fh.read(_UNZIP_STEP)):
                total += len(chunk)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        pass
    return total


def text_too_long(display: str, where: str, max_chars: int) -> InputError:
    """E063: the text read from a file ran past ``max_chars`` (``max_file_mb``, a character a byte) at ``where``;
    cells sharing one long string, or titles repeated per respondent, can make far more text than the file's bytes."""
    return InputError(Errors.E063.format(path=display, limit=f"{max_chars:,}", where=where))


class _PdfBudget:
    """Bytes decoded from one PDF's streams so far, against ``max_file_mb`` per stream and ``max_archive_mb`` in all."""

    def __init__(self, display: str, limits: SizeLimits) -> None:
        self.display, self.limits, self.total = display, limits, 0
        self.stream = "a compressed stream"
        self.error: InputError | None = None

    @property
    def cap(self) -> int:
        """The most bytes one decoding step may yield before it is refused."""
        return self.limits.max_file_bytes

    def add(self, size: int) -> None:
        """Count ``size`` decoded bytes; E038 (kept, in case the parser swallows it) once past a limit."""
        if size > self.limits.max_file_bytes:
            self.error = self.error or too_big(self.display, self.stream, size, self.limits.max_file_bytes,
                                               "max_file_mb")
        elif self.total + size > self.limits.max_archive_bytes:
            self.error = self.error or too_big(self.display, "the PDF's compressed streams", self.total + size,
                                               self.limits.max_archive_bytes, "max_archive_mb")
        self.total += size
        if self.error:
            raise self.error


_PDF_BUDGET: ContextVar[_PdfBudget | None] = ContextVar("thematic_pdf_budget", default=None)


def _inflate(data: bytes) -> bytes:
    """``zlib.decompress`` yielding at most the budget's cap (one byte more is the proof it is over)."""
    budget = _PDF_BUDGET.get()
    if budget is None:
        return zlib.decompress(data)
    d = zlib.decompressobj()
    out = d.decompress(data, budget.cap + 1)
    if len(out) <= budget.cap and not d.eof:
        raise zlib.error("incomplete or truncated stream")  # as zlib.decompress: the parser then tries harder
    budget.add(len(out))
    return out


def _inflate_corrupted(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (inflate byte by byte, ignoring a bad checksum) within the budget."""
    budget = _PDF_BUDGET.get()
    d, out, i = zlib.decompressobj(), bytearray(), 0
    try:
        for i in range(len(data)):
            out += d.decompress(data[i:i + 1])
            if budget is not None and len(out) > budget.cap:
                budget.add(len(out))
    except zlib.error:
        if i < len(data) - 3:
            raise
    if budget is not None:
        budget.add(len(out))
    return bytes(out)


def _capped(decode: Any, bound: Any = None) -> Any:
    """``decode`` within the budget: refused before decoding when ``bound(data)`` (an upper bound of the output)
    is past the cap, and counted after."""
    def run(data: bytes, *args: Any) -> bytes:
        budget = _PDF_BUDGET.get()
        if budget is not None and bound is not None and bound(data, *args) > budget.cap:
            budget.add(bound(data, *args))
        out = decode(data, *args)
        if budget is not None:
            budget.add(len(out))
        return out
    return run


def _lzw(data: bytes) -> bytes:
    """LZW decoded in the decoder's own chunks, stopping once past the budget's cap."""
    from pdfminer.lzw import LZWDecoder

    budget, out = _PDF_BUDGET.get(), bytearray()
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out += chunk
        if budget is not None and len(out) > budget.cap:
            budget.add(len(out))
    return bytes(out)


def _rl_size(data: bytes) -> int:
    """Bytes a RunLength stream decodes to, read from its length bytes without decoding it."""
    size, i = 0, 0
    while i < len(data) and data[i] != 128:
        n = data[i]
        size, i = (size + n + 1, i + n + 2) if n < 128 else (size + 257 - n, i + 2)
    return size


def _a85_size(data: bytes) -> int:
    return len(data) + 4 * data.count(b"z") + 4


def _ccitt_size(data: bytes, params: Any) -> int:
    """An upper bound of a CCITT stream's output: a row of ``Columns`` bits for each input bit."""
    try:
        cols = int(params.get("Columns", 1728))
    except (TypeError, ValueError, AttributeError):
        return 0
    return max(cols, 1) + 8 * len(data) * ((max(cols, 1) + 7) // 8)


def _install_pdf_caps() -> None:
    """Route pdfminer's stream decoders through the capped ones above (inert while no budget is set)."""
    from pdfminer import pdftypes

    if getattr(pdftypes, "_thematic_capped", False):
        return

    class _Zlib:
        decompress = staticmethod(_inflate)

        def __getattr__(self, name: str) -> Any:
            return getattr(zlib, name)

    pdftypes.zlib = _Zlib()  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _inflate_corrupted
    pdftypes.lzwdecode = _lzw
    pdftypes.rldecode = _capped(pdftypes.rldecode, lambda d: _rl_size(d))
    pdftypes.ascii85decode = _capped(pdftypes.ascii85decode, _a85_size)
    pdftypes.asciihexdecode = _capped(pdftypes.asciihexdecode)
    pdftypes.ccittfaxdecode = _capped(pdftypes.ccittfaxdecode, _ccitt_size)
    pdftypes._thematic_capped = True  # type: ignore[attr-defined]


def _decode_all(data: bytes, budget: _PdfBudget) -> None:
    """Decode every stream the PDF parser reaches (xref and object streams, decrypted with an empty password,
    through its own filter chains) once, keeping nothing; a CCITT image is skipped: text extraction never
    decodes an image."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import LITERALS_CCITTFAX_DECODE, PDFStream

    doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    for objid in sorted({i for xref in doc.xrefs for i in xref.get_objids()}):
        budget.stream = f"the compressed stream of object {objid}"
        try:
            obj = doc.getobj(objid)
            if not isinstance(obj, PDFStream) or obj.rawdata is None:
                continue
            if "Image" in str(obj.get("Subtype")) and any(f in LITERALS_CCITTFAX_DECODE for f, _ in obj.get_filters()):
                continue
            obj.decode()
            obj.data = b""  # measured: the reader decodes it again, within the same limits
        except InputError:
            raise
        except Exception:  # noqa: BLE001  (a damaged object: the reader reports it with its own message)
            continue


def check_pdf(data: bytes, display: str, limits: SizeLimits = DEFAULT_SIZE_LIMITS) -> None:
    """E038 when a PDF's streams decode past ``max_file_mb`` each or ``max_archive_mb`` together.

    The streams are decoded by the PDF parser itself (whatever their framing, filter chain or empty-password
    encryption), its decoders capped so no step yields more than the limit; nothing decoded is kept.
    """
    if not data[:1024].lstrip().startswith(b"%PDF"):
        return
    _install_pdf_caps()
    budget = _PdfBudget(display, limits)
    token = _PDF_BUDGET.set(budget)
    try:
        _decode_all(data, budget)
    except InputError:
        raise
    except Exception:  # noqa: BLE001  (a damaged or password-protected file: the reader reports it)
        pass
    finally:
        _PDF_BUDGET.reset(token)
    if budget.error:
        raise budget.error
