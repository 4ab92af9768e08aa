"""Review order for suggestions: the most uncertain first (uncertainty sampling, i.e. active learning)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

#: The decision boundary assumed for a suggestion whose provenance records no threshold.
DEFAULT_THRESHOLD = 0.5


def _threshold(params: object, default: float) -> float:
    """The ``threshold`` a suggester recorded in a coding's provenance params (JSON), else ``default``."""
    if not isinstance(params, str) or not params:
        return default
    try:
        value = json.loads(params).get("threshold")
    except (ValueError, AttributeError):
        return default
    return float(value) if isinstance(value, (int, float)) and np.isfinite(value) else default


def uncertainty_order(codings: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Codings sorted so the suggestions closest to their decision boundary come first.

    The distance is ``|confidence - threshold|``, where ``threshold`` is the cut-off the suggester
    applied to that suggestion (every built-in suggester records it in the coding's provenance
    ``params``, e.g. a model's per-code threshold), else ``threshold`` (default 0.5). Reviewing
    these first is uncertainty sampling: the human's answers there teach the model the most.
    Rows without a confidence (manual codings) go last; ties keep their order.

    Args:
        codings: A frame with ``confidence`` and, optionally, ``params`` columns (``schemas.CODINGS``).
        threshold: The boundary for suggestions that record none.

    Returns:
        The same rows, reordered, with a fresh index.

    Example:
        >>> queue = uncertainty_order(store.codings(status="suggested"))
    """
    if codings.empty:
        return codings.reset_index(drop=True)
    conf = pd.to_numeric(codings["confidence"], errors="coerce").astype(float).to_numpy()
    params = codings["params"] if "params" in codings else pd.Series([None] * len(codings), index=codings.index)
    bounds = np.array([_threshold(p, threshold) for p in params], dtype=float)
    distance = np.abs(conf - bounds)
    distance = np.where(np.isnan(distance), np.inf, distance)
    order = np.argsort(distance, kind="stable")
    return codings.iloc[order].reset_index(drop=True)
