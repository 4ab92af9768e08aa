"""A missing memo (pd.NA, NaN, None) given to ``code`` means no memo.

A coding without a memo has ``memo`` = ``pd.NA`` in the codings frame (string dtype). Passing that back to
``code`` (copying one coder's codings to another in a notebook) failed as "[E034] the store could not be
written ... free disk space", which pointed at the disk. Now any missing value is no memo (a coding coded
again keeps its memo), and a memo that is neither text nor missing is refused as E524, naming ``memo``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coding.manual_support import codebook, fill_store
from thematic.coding.manual import code, codings
from thematic.errors import InputError


@pytest.fixture
def filled(store):
    fill_store(store)
    code(store, "int-01:1", "funding", coder="HT", codebook=codebook())
    code(store, "int-01:3", "funding", coder="HT", codebook=codebook(), memo="grant ran out")
    return store


def test_codings_copied_from_the_frame_keep_their_memos_or_none(filled) -> None:
    ht = codings(filled, coder="HT")
    assert ht["memo"].isna().sum() == 1
    for r in ht.itertuples():
        code(filled, r.segment_id, r.code_id, coder="SO", codebook=codebook(), memo=r.memo)
    so = codings(filled, coder="SO")
    got = dict(zip(so["segment_id"], so["memo"]))
    assert got["int-01:3"] == "grant ran out" and pd.isna(got["int-01:1"])


@pytest.mark.parametrize("missing", [pd.NA, np.nan, None, float("nan")])
def test_a_missing_memo_keeps_the_stored_one(filled, missing) -> None:
    code(filled, "int-01:3", "funding", coder="HT", codebook=codebook(), memo=missing)
    ht = codings(filled, coder="HT")
    assert ht.loc[ht["segment_id"] == "int-01:3", "memo"].iloc[0] == "grant ran out"


def test_a_memo_that_is_not_text_is_refused_naming_memo(filled) -> None:
    with pytest.raises(InputError, match=r"\[E524\].*memo"):
        code(filled, "int-02:1", "funding", coder="HT", codebook=codebook(), memo=["a", "list"])
    assert "int-02:1" not in set(codings(filled, coder="HT")["segment_id"])
