"""Cohen's kappa from confusion matrices: one formula shared by agreement (analysis) and scoring (coding)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def kappa_from_confusion(confusion: ArrayLike) -> FloatArray:
    """Cohen's kappa from confusion matrices ``[..., C, C]`` (rows: coder A, columns: coder B)."""
    conf = np.asarray(confusion, dtype=float)
    total = conf.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_o = np.trace(conf, axis1=-2, axis2=-1) / total
        p_e = (conf.sum(axis=-1) * conf.sum(axis=-2)).sum(axis=-1) / total**2
        kappa = (p_o - p_e) / (1.0 - p_e)
    return np.where((total > 0) & ~np.isclose(p_e, 1.0, rtol=0, atol=1e-12), kappa, np.nan)
