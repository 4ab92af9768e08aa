"""Co-occurrence of codes: in the same segment, the same participant or the same document.

Counts how many units carry both codes, and the Jaccard index (both / either) that corrects for
how common each code is. Themes can be crossed too (``level="theme"``; a theme is its codes' union).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from .frequency import entry_units
from .selection import filter_documents, filter_entries, select_codings

COOCCURRENCE_COLUMNS = ["code_a", "label_a", "code_b", "label_b", "n_a", "n_b", "n_both", "jaccard"]


def _incidence(
    codings: pd.DataFrame, segments: pd.DataFrame, codebook: Codebook | None, unit: str, level: str,
    coder: str | Iterable[str] | None, include_suggested: bool, documents: str | Iterable[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    if unit not in ("segment", "participant", "document"):
        raise InputError(Errors.E403.format(option="unit", value=unit, allowed="segment, participant, document"))
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested, strict=True)
    entries, units = entry_units(sel, filter_documents(segments, documents), codebook)
    entries = filter_entries(entries, level)
    col = f"{unit}_id"
    units = units.dropna(subset=[col]).drop_duplicates(["entry_id", col])
    inc = pd.crosstab(units[col], units["entry_id"]).clip(upper=1)
    return inc.reindex(columns=entries["code_id"], fill_value=0), entries


def nested_pairs(codebook: Codebook | None, codes: Iterable[str]) -> set[tuple[str, str]]:
    """(ancestor, descendant) pairs among ``codes``: a parent code trivially co-occurs with its sub-codes."""
    codes = list(codes)
    if codebook is None:
        return set()
    present = set(codes)
    return {(a, d.id) for a in codes if a in codebook for d in codebook.descendants(a) if d.id in present}


def cooccurrence_matrix(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    unit: str = "segment",
    level: str = "code",
    value: str = "n_both",
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    documents: str | Iterable[str] | None = None,
    include_nested: bool = False,
) -> pd.DataFrame:
    """Square code x code matrix: units carrying both (``n_both``, diagonal = units with the code)
    or the Jaccard index (``jaccard``, diagonal 1 for codes that occur, NaN for codes that never do).

    As in ``cooccurrence``, a code and its own sub-codes (or a theme and its codes) are not paired:
    their cells are blank (NA) unless ``include_nested``.
    """
    if value not in ("n_both", "jaccard"):
        raise InputError(Errors.E403.format(option="value", value=value, allowed="n_both, jaccard"))
    inc, entries = _incidence(codings, segments, codebook, unit, level, coder, include_suggested, documents)
    x = inc.to_numpy(dtype=float)
    both = x.T @ x
    if value == "jaccard":
        n = np.diag(both)
        with np.errstate(divide="ignore", invalid="ignore"):
            both = both / (n[:, None] + n[None, :] - both)
    out = pd.DataFrame(both, index=inc.columns, columns=inc.columns)
    if value == "n_both":
        out = out.astype("Int64")
    if not include_nested:
        for a, b in nested_pairs(codebook, inc.columns):
            out.loc[a, b] = out.loc[b, a] = pd.NA if value == "n_both" else np.nan
    out.index.name, out.columns.name = "code_id", "code_id"
    return out


def cooccurrence(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    unit: str = "segment",
    level: str = "code",
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    min_count: int = 0,
    documents: str | Iterable[str] | None = None,
    include_nested: bool = False,
) -> pd.DataFrame:
    """Every pair of codes (in codebook order) with units carrying each, both, and Jaccard.

    Args:
        unit: ``segment`` (coded in the same passage), ``participant`` or ``document``.
        level: ``code``, ``theme`` or ``all``.
        min_count: Keep pairs with at least this many shared units.
        documents: Only these documents (id patterns such as ``interviews-*``).
        include_nested: Also pair a code with its own sub-codes (and a theme with its codes).

    Returns:
        Columns ``COOCCURRENCE_COLUMNS``, sorted by n_both (descending), then codebook order. Pairs
        of a code and one of its own sub-codes (or a theme and its codes) are left out unless
        ``include_nested``.
    """
    inc, entries = _incidence(codings, segments, codebook, unit, level, coder, include_suggested, documents)
    x = inc.to_numpy(dtype=float)
    both = x.T @ x
    n = np.diag(both)
    ia, ib = np.triu_indices(len(n), k=1)
    labels = entries.set_index("code_id")["label"]
    codes = list(inc.columns)
    if not include_nested:  # a parent code trivially co-occurs with its own sub-codes
        nested = nested_pairs(codebook, codes)
        keep = np.array([(codes[i], codes[j]) not in nested and (codes[j], codes[i]) not in nested
                         for i, j in zip(ia, ib)], dtype=bool)
        ia, ib = ia[keep], ib[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = both[ia, ib] / (n[ia] + n[ib] - both[ia, ib])
    out = pd.DataFrame({
        "code_a": [codes[i] for i in ia], "label_a": [labels[codes[i]] for i in ia],
        "code_b": [codes[j] for j in ib], "label_b": [labels[codes[j]] for j in ib],
        "n_a": n[ia].astype(int), "n_b": n[ib].astype(int), "n_both": both[ia, ib].astype(int), "jaccard": jac,
    }, columns=COOCCURRENCE_COLUMNS)
    out = out.loc[out["n_both"] >= min_count]
    return out.sort_values("n_both", ascending=False, kind="stable").reset_index(drop=True)
