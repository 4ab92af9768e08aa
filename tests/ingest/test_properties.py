"""Property tests: offsets always slice the text, in order, without overlap; bad bytes only raise ours."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thematic.config import IngestSettings
from thematic.errors import ThematicError
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

FRAGMENTS = [
    "Interviewer: ", "Ann: ", "ANN LEE (AL): ", "Q: ", "A: ", "Researcher 1: ", "[Bo] ", "[id1] ", "**Kai:** ",
    "[00:01:02] ", "(12:03) ", "Dan  00:13\n", "WEBVTT\n", "NOTE x\n", "00:00:01.000 --> 00:00:02.000\n",
    "00:01.5 --> 00:0", "<v Lee, Ann>", "</v>", "1\n", "---\n", "participant: P01\n", "Participant: P02\n",
    "SUMMARY KEYWORDS\n", "Transcribed by https://otter.ai", "Date: ", "Note: ", "hello", "Ann", "Lee", "Dr. ",
    "well.", " ", "\n", "\n\n", "\r\n", "\t", "?!", "\"", "é", "e\u0301", "\ufeff", "\u2028", "日本語。", ",", ";", "=",
]
shaped_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=40).map("".join)
SETTINGS = [IngestSettings(), IngestSettings(pseudonymise=False), IngestSettings(terms=("ann", "x = [y]"))]


def _read(name: str, data: bytes, unit: str, cfg: IngestSettings):  # type: ignore[no-untyped-def]
    ctx = FileContext(Path(name), name, name, "doc", {}, {})
    return read_file(ctx, unit=unit, settings=cfg, roster=Roster(), key=PseudonymKey(), data=data).document


def _check(doc) -> None:  # type: ignore[no-untyped-def]
    previous_end = 0
    for i, s in enumerate(doc.segments):
        assert doc.text[s.start:s.end] == s.text
        assert previous_end <= s.start < s.end <= len(doc.text)
        assert s.index == i and s.text == s.text.strip()
        previous_end = s.end


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=shaped_text, ext=st.sampled_from([".txt", ".md", ".vtt", ".srt", ".csv"]),
       unit=st.sampled_from(["turn", "paragraph", "sentence"]), cfg=st.sampled_from(SETTINGS))
def test_properties_segments_slice_the_text_in_order(text: str, ext: str, unit: str, cfg: IngestSettings) -> None:
    try:
        doc = _read(f"f{ext}", text.encode("utf-8", "surrogatepass"), unit, cfg)
    except ThematicError:
        return
    _check(doc)


@settings(max_examples=150, deadline=None)
@given(text=st.text(min_size=1), unit=st.sampled_from(["turn", "paragraph", "sentence"]))
def test_properties_any_unicode_text_file(text: str, unit: str) -> None:
    try:
        doc = _read("any.txt", text.encode("utf-8", "surrogatepass"), unit, IngestSettings())
    except ThematicError:
        return
    _check(doc)


def _zip(member: str, payload: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, payload)
        zf.writestr("[Content_Types].xml", payload[:20])
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400) | shaped_text.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | st.binary(max_size=200).map(lambda b: _zip("word/document.xml", b))
       | st.binary(max_size=200).map(lambda b: _zip("xl/workbook.xml", b)),
       ext=st.sampled_from([".txt", ".vtt", ".srt", ".csv", ".tsv", ".docx", ".xlsx", ".md", ".bin"]))
def test_properties_arbitrary_bytes_raise_only_thematic_errors(data: bytes, ext: str) -> None:
    try:
        doc = _read(f"f{ext}", data, "turn", IngestSettings())
    except ThematicError:
        return
    _check(doc)
