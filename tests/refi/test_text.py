"""Source text: decoding, normalisation and the map from vendors' offsets onto thematic's."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematic.refi.text import TextMap, decode_source, paragraph_segments, quote_check, slugify, unique


@pytest.mark.parametrize(("data", "text", "cp1252"), [
    (b"\xef\xbb\xbfcaf\xc3\xa9", "café", False),
    ("café".encode("utf-16-le").join([b"\xff\xfe", b""]), "café", False),
    (b"caf\xe9", "café", True),
])
def test_text_decode_source_boms_and_fallback(data: bytes, text: str, cp1252: bool) -> None:
    assert decode_source(data) == (text, cp1252)


def test_text_map_counts_crlf_as_one_or_two() -> None:
    raw = "ab\r\ncd\r\nef"
    one, two = TextMap(raw, crlf_as_two=False), TextMap(raw, crlf_as_two=True)
    assert one.text == two.text == "ab\ncd\nef"
    assert one.to_norm(3) == 3 and two.to_norm(4) == 3  # 'c'
    assert one.vendor_length == 8 and two.vendor_length == 10
    assert two.to_norm(3) == 2 and two.text[2] == "\n"  # between CR and LF: the LF


def test_text_map_nfc_composition_shifts_offsets() -> None:
    raw = "cafe\u0301 ok"  # decomposed é: 8 code points in the vendor's text, 7 in thematic's
    m = TextMap(raw, crlf_as_two=False)
    assert m.text == "café ok" and m.to_norm(6) == 5 and m.text[m.to_norm(6):m.to_norm(8)] == "ok"


@given(st.lists(st.sampled_from(["a", "é", "e\u0301", "\r\n", "\n", " ", "😀"]), max_size=30), st.booleans())
def test_text_map_property_slices_agree_with_normalised_pieces(pieces: list[str], two: bool) -> None:
    raw = "".join(pieces)
    m = TextMap(raw, crlf_as_two=two)
    assert m.to_norm(m.vendor_length) == len(m.text)
    prefix_len = vendor = 0
    for piece in pieces:  # every piece boundary maps onto the length of the normalised pieces before it
        vendor += len(piece) if two or piece != "\r\n" else 1
        prefix_len += len(unicodedata.normalize("NFC", piece.replace("\r\n", "\n")))
        assert m.to_norm(vendor) == prefix_len


@pytest.mark.parametrize(("name", "found", "expected"), [
    ("The vetting was slow", "The vetting  was\nslow", True),
    ("favoritos. Dificultad: Media…", "favoritos. Dificultad: Media Tiempo", True),
    ("Quotation 6:1", "anything at all here", False),
    ("Quotation", "something", None),
    ("", "text", None),
    ("granola", "granola", True),
    ("A long quote that is not what the text says", "Something quite different is here", False),
])
def test_text_quote_check(name: str, found: str, expected: bool | None) -> None:
    assert quote_check(name, found) is expected


def test_text_paragraph_segments_trim_and_skip_blank_lines() -> None:
    text = "  First line.\n\n\tSecond line  \n"
    segs = paragraph_segments("d", text, participant_id="P1")
    assert [(s.start, s.end, s.text) for s in segs] == [(2, 13, "First line."), (16, 27, "Second line")]
    assert all(text[s.start:s.end] == s.text and s.participant_id == "P1" for s in segs)


def test_text_slugify_and_unique() -> None:
    assert slugify("Mabêl 2ième") == "mabel_2ieme" and slugify("1960s ad") == "item_1960s_ad"
    assert slugify("&quot;rushed&quot;".replace("&quot;", '"'), fallback="code") == "rushed"
    taken = {"a"}
    assert unique("a", taken) == "a_2" and unique("a", taken) == "a_3"


@given(st.lists(st.sampled_from([*"ab é\r\n\t\x0b\x0c\x00\x1f\x7f\u2028\x85\ufeff", "e\u0301"])).map("".join))
def test_text_normalisation_matches_ingest(raw: str) -> None:
    from thematic.ingest.normalise import normalise_text as ingest_normalise

    assert TextMap(raw, crlf_as_two=False).text == ingest_normalise(raw)
    assert TextMap(raw, crlf_as_two=True).text == ingest_normalise(raw)


def test_text_map_skips_dropped_control_characters() -> None:
    raw = "a\x00b\r\ncd"
    m = TextMap(raw, crlf_as_two=True)
    assert m.text == "ab\ncd" and m.text[m.to_norm(5):m.to_norm(7)] == "cd"
