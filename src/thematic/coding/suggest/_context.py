"""The segment's context as model features: which survey question it answers and what kind of document it is in.

Codes often belong to one survey question or one kind of source (a focus group, an interview); a
model that only sees the words predicts them on every answer that shares vocabulary. Context is
given to the n-gram model as reserved tokens appended to the text (``ctxq<hash>``: a word no
transcript contains) and to the embedding model as one-hot columns.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np
import pandas as pd

#: Segment columns used as context (``speaker`` is left out: a name identifies a person, not a role).
CONTEXT_COLUMNS = ("question", "kind")


def _token(column: str, value: str) -> str:
    digest = hashlib.sha1(f"{column}\x1f{value.strip().lower()}".encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"ctx{column[0]}{digest}"


def context_tokens(segments: pd.DataFrame, repeat: int = 2) -> list[str]:
    """One string of context tokens per segment ('' when it has none); each token ``repeat`` times."""
    out = [""] * len(segments)
    for col in CONTEXT_COLUMNS:
        if col not in segments:
            continue
        values = segments[col].astype("string").fillna("").astype(str).tolist()
        for i, v in enumerate(values):
            if v.strip():
                out[i] = (out[i] + " " + " ".join([_token(col, v)] * repeat)).strip()
    return out


def with_context(texts: Sequence[str], tokens: Sequence[str]) -> list[str]:
    """Texts with their context tokens appended (on a new line)."""
    return [f"{t}\n{c}" if c else t for t, c in zip(texts, tokens)]


def context_onehot(tokens: Sequence[str], vocabulary: Sequence[str]) -> np.ndarray:
    """Segments x ``vocabulary`` 0/1 matrix of the context tokens each segment has."""
    col = {t: j for j, t in enumerate(vocabulary)}
    out = np.zeros((len(tokens), len(vocabulary)), dtype=np.float32)
    for i, t in enumerate(tokens):
        for tok in set(t.split()):
            j = col.get(tok)
            if j is not None:
                out[i, j] = 1.0
    return out


def context_vocabulary(tokens: Sequence[str]) -> list[str]:
    """The distinct context tokens, sorted."""
    return sorted({tok for t in tokens for tok in t.split()})
