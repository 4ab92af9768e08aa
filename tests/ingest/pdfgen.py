"""A minimal PDF writer for tests: text lines placed at given positions (Helvetica / Helvetica-Bold).

Real PDF syntax read back by the real PDF reader; lets tests shape layouts LibreOffice would not
(one-page files, bare page numbers, hyphenated compounds at line ends) without LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

#: One line: x, y (from the bottom, in points), text, bold. Several runs may share a y.
Run = tuple[float, float, str, bool]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[list[Run]], *, size: float = 11.0, height: float = 842.0) -> Path:
    """Write ``pages`` (each a list of runs) as an A4 PDF with a text layer."""
    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(f'{i} 0 R' for i in page_ids)}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for i, runs in enumerate(pages):
        ops = "".join(f"BT /{'F2' if bold else 'F1'} {size} Tf {x} {y} Td ({_escape(t)}) Tj ET\n"
                      for x, y, t, bold in runs).encode("cp1252")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 {height}] /Contents {page_ids[i] + 1} 0 R "
                       "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"endstream")
    path.write_bytes(assemble(objects))
    return path


def assemble(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalog) with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def lines(texts: list[str], *, top: float = 780.0, step: float = 14.0, x: float = 72.0) -> list[Run]:
    """Plain lines one under the other (an empty string leaves a blank line: a paragraph gap)."""
    return [(x, top - i * step, t, False) for i, t in enumerate(texts) if t]
