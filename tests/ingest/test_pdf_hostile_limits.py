"""Hostile PDFs under the size limits: decoded bytes, text assembly and nested forms are bounded.

Was wrong: the PDF bomb check found streams with a regex (``stream\\r?\\n``) and counted only raw zlib data, so
a ``stream`` keyword ending in a lone CR, a ``[/ASCIIHexDecode /FlateDecode]`` chain or RC4 encryption with an
empty user password let a stream inflate to gigabytes; a long run of letters made the hyphen regexes of text
assembly backtrack quadratically; form XObjects calling each other multiplied the work per page without bound.
True now: every stream the PDF parser reaches is decoded through the parser's own filters and decryption with
a capped decoder (E038 naming the file past ``max_file_mb``/``max_archive_mb``); the hyphen patterns cannot start
a match inside a word; form XObjects past a depth or a count per page are skipped with W131.
"""

from __future__ import annotations

import binascii
import hashlib
import struct
import zlib

import pytest

from ingest.pdfgen import assemble
from thematic._limits import SizeLimits, check_pdf
from thematic.errors import InputError

TEXT = b"BT /F1 12 Tf 72 720 Td (Ash: hello there.) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
LIMITS = SizeLimits(max_file_mb=1, max_archive_mb=2)


def _bomb(mb: float) -> bytes:
    return zlib.compress(TEXT + b" " * int(mb * 1024 * 1024), 9)


def _pdf(content: bytes, encrypt: bytes | None = None, trailer: bytes = b"") -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>", FONT, content] + ([encrypt] if encrypt else [])
    data = assemble(objs)
    return data.replace(b"/Root 1 0 R", b"/Root 1 0 R " + trailer) if trailer else data


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 255
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(len(data)), 0, 0
    for n, b in enumerate(data):
        i = (i + 1) & 255
        j = (j + s[i]) & 255
        s[i], s[j] = s[j], s[i]
        out[n] = b ^ s[(s[i] + s[j]) & 255]
    return bytes(out)


def _encrypted(z: bytes) -> bytes:
    """``z`` as the Flate content stream of an RC4 (40-bit) PDF whose user password is empty."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    id0, p = b"0123456789abcdef", -4
    o = _rc4(hashlib.md5(pad).digest()[:5], pad)
    key = hashlib.md5(pad + o + struct.pack("<i", p) + id0).digest()[:5]
    u = _rc4(key, pad)
    enc = _rc4(hashlib.md5(key + struct.pack("<i", 5)[:3] + b"\x00\x00").digest()[:10], z)
    return _pdf(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(enc) + enc + b"\nendstream",
                encrypt=b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
                    o.hex().encode(), u.hex().encode(), p),
                trailer=b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (id0.hex().encode(), id0.hex().encode()))


def _variants(z: bytes) -> dict[str, bytes]:
    h = binascii.hexlify(z) + b">"
    return {
        "lone_cr.pdf": _pdf(b"<< /Length %d /Filter /FlateDecode >>\nstream\r" % len(z) + z + b"\nendstream"),
        "hex.pdf": _pdf(b"<< /Length %d /Filter [/ASCIIHexDecode /FlateDecode] >>\nstream\n" % len(h) + h
                        + b"\nendstream"),
        "encrypted.pdf": _encrypted(z),
    }


@pytest.mark.parametrize("name", ["lone_cr.pdf", "hex.pdf", "encrypted.pdf"])
def test_stream_that_inflates_past_the_limit_is_refused_whatever_its_framing(name: str) -> None:
    data = _variants(_bomb(3))[name]
    assert len(data) < 64 * 1024
    with pytest.raises(InputError) as info:
        check_pdf(data, f"data/raw/{name}", LIMITS)
    msg = str(info.value)
    assert msg.startswith("[E038]") and f"data/raw/{name}" in msg and "max_file_mb" in msg


@pytest.mark.parametrize("name", ["lone_cr.pdf", "hex.pdf", "encrypted.pdf"])
def test_the_same_framings_under_the_limit_pass_and_are_read(name: str) -> None:
    from thematic.ingest.readers.pdf import pdf_text

    data = _variants(_bomb(0.25))[name]
    check_pdf(data, name, LIMITS)
    text, _, _ = pdf_text(data, name)
    assert "Ash: hello there." in text


def test_streams_together_past_max_archive_mb_are_refused() -> None:
    z = _bomb(0.75)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents [5 0 R 6 0 R 7 0 R] >>", FONT]
    objs += [b"<< /Length %d /Filter /FlateDecode >>\nstream\r" % len(z) + z + b"\nendstream"] * 3
    with pytest.raises(InputError) as info:
        check_pdf(assemble(objs), "many.pdf", LIMITS)
    assert str(info.value).startswith("[E038] many.pdf") and "max_archive_mb" in str(info.value)


def test_hyphen_patterns_cannot_start_inside_a_word() -> None:
    """A match attempt may begin only where a word begins, so a run of n letters is scanned O(n) times, not O(n²)."""
    from thematic.ingest.readers.pdf import _HYPHENATED, _LINE_END_HYPHEN

    assert _HYPHENATED.match("abcdef-gh", 1) is None
    assert _HYPHENATED.search("x well-known y").group(0) == "well-known"
    assert _LINE_END_HYPHEN.match("abcdef-", 1) is None
    assert _LINE_END_HYPHEN.search("it was well-").group(1) == "well"


def test_long_run_of_letters_assembles_and_hyphen_joins_still_work() -> None:
    from thematic.ingest.readers.pdf import _assemble, _Paragraph

    run = "a" * 20_000
    para = _Paragraph("Ash", [(run, 0), ("some-", 0), ("thing here", 0), ("well-", 0), ("known " + run, 0)])
    text, _ = _assemble([para, _Paragraph(None, [("a well-known fact", 0)])], 1)
    assert text.startswith(f"Ash: {run} something here well-known {run}")


def _forms(levels: int, fan: int) -> bytes:
    extras = []
    for k in range(levels):
        last = k == levels - 1
        data = b"BT /F1 1 Tf 72 700 Td (" + b"abcdefghij" * 2 + b") Tj ET\n" if last else b"/X Do\n" * fan
        res = b"<< /Font << /F1 4 0 R >> >>" if last else b"<< /Font << /F1 4 0 R >> /XObject << /X %d 0 R >> >>" % (
            7 + k)
        extras.append(b"<< /Length %d /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources %s >>\nstream\n"
                      % (len(data), res) + data + b"\nendstream")
    content = TEXT + b"/X Do\n" * fan
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> "
                     b"/XObject << /X 6 0 R >> >> /Contents 5 0 R >>", FONT,
                     b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream", *extras])


def test_forms_that_call_each_other_are_bounded_per_page_with_a_warning() -> None:
    from thematic.ingest.readers import pdf

    text, _, warnings = pdf.pdf_text(_forms(4, 12), "data/raw/forms.pdf")  # 12 + 144 + 1,728 + 20,736 calls
    assert [w[:6] for w in warnings] == ["[W131]"] and "data/raw/forms.pdf" in warnings[0] and "page 1" in warnings[0]
    assert text.count("j") <= 2 * pdf.MAX_FORMS_PER_PAGE and "Ash: hello there." in text


def test_forms_nested_past_the_depth_limit_are_skipped_with_a_warning() -> None:
    from thematic.ingest.readers import pdf

    text, _, warnings = pdf.pdf_text(_forms(pdf.MAX_FORM_DEPTH + 3, 1), "deep.pdf")
    assert [w[:6] for w in warnings] == ["[W131]"] and "deep.pdf" in warnings[0]
    assert "j" not in text and "Ash: hello there." in text


def test_a_few_forms_are_read_without_a_warning() -> None:
    from thematic.ingest.readers import pdf

    text, _, warnings = pdf.pdf_text(_forms(2, 2), "ok.pdf")
    assert warnings == [] and text.count("j") == 2 * 2 * 2  # every one of the 4 renders of the leaf text
