"""``Store.add_codings_bulk`` (the suggestion writer): the rows and event payloads ``add_codings`` writes."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from coding.assisted_support import interview
from thematic.models import Coding, Provenance
from thematic.store import Store
from thematic.store._sql import CODING_COLS, to_json

DOC = interview("int-01", ["The vetting took months.", "Funding \u2014 \"none\"\n\tat all \u2028 \u00e9\u00e8 \x01."])


def _coding(i: int = 1, code: str = "funding", **changes) -> Coding:  # noqa: ANN003
    seg = DOC.segments[i]
    c = Coding(DOC.id, seg.start, seg.end, code, "thematic.rules.v1", status="suggested", text=seg.text,
               segment_id=seg.id, confidence=0.55, codebook_version="2.0.0",
               provenance=Provenance("suggester", "thematic.rules.v1", {"threshold": 0.3, "w": [1, 2]}),
               memo="keyword 'funding'")
    return replace(c, **changes)


def test_bulk_payload_is_the_json_of_the_row_for_ordinary_and_odd_values() -> None:
    encode = Store._bulk_encoder("suggest-1", "2024-05-01T10:00:00+00:00")
    odd = [
        _coding(),
        _coding(confidence=None, memo=None, segment_id=None, codebook_version=None),
        _coding(confidence=float("nan")),
        _coding(confidence=True),  # not a float: json's own rules
        _coding(confidence=np.float64(0.25), start=np.int64(DOC.segments[1].start)),
        _coding(provenance=Provenance("suggester", None, {"n": np.int64(3), "nested": {"b": 1, "a": None}})),
    ]
    for c in odd:
        row, payload = encode(c)
        assert payload == to_json(dict(zip(CODING_COLS, row)))
        assert json.loads(payload)["text"] == c.text


def test_bulk_skips_a_stored_id_even_under_another_coder(tmp_path) -> None:  # noqa: ANN001
    with Store(tmp_path / "s.db") as st:
        st.save_document(DOC)
        first = _coding()
        st.add_codings([replace(first, coder="AB", status="manual", id="")])
        clash = replace(_coding(code="security_vetting"), id=st.codings()["coding_id"].iloc[0])
        assert st.add_codings_bulk([clash, first, first], batch_id=None) == (1, 2)
        events = st.events()
        assert len(events) == 2 and json.loads(events["payload"].iloc[1])["coding_id"] == first.id
