"""Whose coding is it: an accepted suggestion is the coding of the person who accepted it.

The suggester stays in the coding's provenance (``suggested_by`` in frames, ``coder`` and
``suggester`` in the store), but every per-coder view (agreement, frequencies by coder, coding
sheets, the widget's ticks) counts it as the reviewer's coding.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from ..models import COUNTED_STATUSES
from ..store import Store

#: Column added to codings frames: who suggested an accepted coding (its ``coder`` is the accepter).
SUGGESTED_BY = "suggested_by"


def accepted_as_coding(codings: pd.DataFrame, *, keep_suggester: bool = False) -> pd.DataFrame:
    """``codings`` with ``coder`` set to the reviewer of each accepted suggestion (``suggested_by`` keeps
    the suggester); with ``keep_suggester`` the suggestion also stays the suggester's own row."""
    out = codings.copy()
    out[SUGGESTED_BY] = pd.Series(pd.NA, index=out.index, dtype="string")
    if "reviewer" not in out or out.empty:
        return out
    moved = ((out["status"] == "accepted") & out["reviewer"].notna() & (out["reviewer"] != out["coder"]))
    moved = moved.fillna(False).astype(bool)
    if not moved.any():
        return out
    originals = out.loc[moved].copy()
    out.loc[moved, SUGGESTED_BY] = out.loc[moved, "coder"]
    out.loc[moved, "coder"] = out.loc[moved, "reviewer"]
    return pd.concat([out, originals], ignore_index=True) if keep_suggester else out


def coder_codings(store: Store, coder: str, *, document: str | Iterable[str] | None = None) -> pd.DataFrame:
    """``coder``'s counted codings: their manual ones and every suggestion they accepted."""
    df = store.codings(status=COUNTED_STATUSES, document=document)
    df = df.loc[((df["coder"] == coder) | ((df["status"] == "accepted") & (df["reviewer"] == coder)))
                .fillna(False).astype(bool)]
    return df.reset_index(drop=True)


__all__ = ["SUGGESTED_BY", "accepted_as_coding", "coder_codings"]
