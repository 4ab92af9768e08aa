"""Decoding and normalising once: BOM, line ends, NFC, cp1252 fallback, UTF-16, binary."""

from __future__ import annotations

import codecs
import unicodedata

import pytest

from thematic.errors import TranscriptParseError
from thematic.ingest.normalise import content_hash, decode, normalise_text, read_text


def test_normalise_removes_bom_and_turns_crlf_and_cr_into_lf() -> None:
    text, warnings = read_text(codecs.BOM_UTF8 + b"A: one\r\nB: two\rC: three\r\n", "x.txt")
    assert text == "A: one\nB: two\nC: three\n"
    assert warnings == []


def test_normalise_composes_to_nfc() -> None:
    decomposed = "Zoe\u0308 went to Sa\u0303o Paulo"
    out = normalise_text(decomposed)
    assert out == unicodedata.normalize("NFC", decomposed)
    assert "\u0308" not in out and len(out) == len(decomposed) - 2


def test_normalise_drops_control_characters_but_keeps_tabs() -> None:
    assert normalise_text("a\x07b\tc\x1bd") == "ab\tcd"


def test_normalise_falls_back_to_cp1252_with_warning_w001() -> None:
    text, warnings = decode("caf\u00e9 \u2019quoted\u2019".encode("cp1252"), "notes.txt")
    assert text == "caf\u00e9 \u2019quoted\u2019"
    assert len(warnings) == 1 and warnings[0].startswith("[W001] notes.txt")


def test_normalise_reads_utf16_with_bom() -> None:
    data = "Interviewer: hello\r\nAmir: hi".encode("utf-16")
    text, _ = read_text(data, "notepad.txt")
    assert text == "Interviewer: hello\nAmir: hi"


def test_normalise_rejects_binary_with_e101() -> None:
    with pytest.raises(TranscriptParseError, match=r"^\[E101\] blob.txt"):
        decode(b"abc\x00\x01\x02def", "blob.txt")


def test_normalise_hash_is_sha256_of_bytes() -> None:
    assert content_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
