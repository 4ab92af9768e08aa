"""NVivo-style character-level agreement on hand-computed examples."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic import schemas
from thematic.analysis import character_agreement
from thematic.errors import InputError


def _codings(rows):
    df = pd.DataFrame([{"coding_id": f"c{i}", "document_id": d, "start": s, "end": e, "code_id": code, "coder": who,
                        "status": "manual"} for i, (d, s, e, code, who) in enumerate(rows)])
    return schemas.coerce_frame(df, schemas.CODINGS)


def test_overlapping_halves_give_half_agreement_and_zero_kappa():
    c = _codings([("doc", 0, 50, "x", "A"), ("doc", 25, 75, "x", "B")])
    t = character_agreement(c, coders="A,B", doc_lengths={"doc": 100})
    row = t.iloc[0]
    assert (row.n_chars, row.chars_a, row.chars_b, row.chars_both) == (100, 50, 50, 25)
    assert row.percent_agreement == pytest.approx(0.5)
    assert row.kappa == pytest.approx(0.0)  # p_o = 0.5, p_e = (50*50 + 50*50) / 100^2


def test_kappa_by_hand_and_pooled_over_documents():
    c = _codings([("d1", 0, 20, "x", "A"), ("d1", 0, 10, "x", "B"), ("d1", 5, 8, "x", "B"),
                  ("d2", 0, 10, "x", "A"), ("d2", 0, 10, "x", "B")])
    t = character_agreement(c, coders=["A", "B"], doc_lengths={"d1": 40, "d2": 10})
    d1 = t.loc[t.document_id == "d1"].iloc[0]
    # both 10, A only 10, neither 20: p_o = 30/40; p_e = (20*10 + 20*30) / 40^2
    p_o, p_e = 30 / 40, (20 * 10 + 20 * 30) / 1600
    assert d1.kappa == pytest.approx((p_o - p_e) / (1 - p_e), abs=1e-12)
    d2 = t.loc[t.document_id == "d2"].iloc[0]
    assert d2.kappa == 1.0 and "NVivo reports kappa = 1" in d2.note
    pooled = t.loc[t.document_id == "(all documents)"].iloc[0]
    assert (pooled.n_chars, pooled.chars_a, pooled.chars_both) == (50, 30, 20)


def test_only_documents_both_coded_and_exactly_two_coders():
    c = _codings([("d1", 0, 5, "x", "A"), ("d2", 0, 5, "x", "B"), ("d3", 0, 5, "x", "A"), ("d3", 2, 5, "y", "B")])
    t = character_agreement(c, coders="A,B", doc_lengths={"d1": 10, "d2": 10, "d3": 10})
    assert set(t["document_id"]) == {"d3", "(all documents)"}
    with pytest.raises(InputError, match="E404"):
        character_agreement(c, coders="A,B,C", doc_lengths={})
