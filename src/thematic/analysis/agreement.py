"""Inter-coder agreement statistics: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

One implementation of each formula. The ``*_from_*`` helpers work on sufficient statistics with any
leading batch dimensions, so the per-code tables and their bootstrap resamples (``intercoder.py``)
use the very same arithmetic as the scalar functions here. An undefined statistic is ``NaN`` with a
stated reason (and warning ``W401`` from the scalar functions), never an exception.

Conventions: ratings are nominal; ``reliability_data`` is coders x units with ``NaN`` for a missing
rating (the layout of the ``krippendorff`` package).
"""

from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .._kappa import kappa_from_confusion
from ..errors import Errors, InputError, Warnings

FloatArray = NDArray[np.float64]


class UndefinedStatisticWarning(UserWarning):
    """A statistic cannot be computed for this data (e.g. every rating is in one category)."""


# -- formulas on sufficient statistics (batched over leading dimensions) --------------------------
def fleiss_from_sums(sum_p: ArrayLike, n_units: ArrayLike, category_totals: ArrayLike, raters: int) -> FloatArray:
    """Fleiss' kappa from sums over complete units.

    Args:
        sum_p: Sum over units of P_i = (sum_c n_ic^2 - m) / (m (m - 1)).
        n_units: Number of units (each rated by all ``raters``).
        category_totals: ``[..., C]`` sum over units of n_ic.
        raters: m, raters per unit (at least 2).
    """
    n = np.asarray(n_units, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_bar = np.asarray(sum_p, dtype=float) / n
        p_c = np.asarray(category_totals, dtype=float) / (n[..., None] * raters)
        p_e = (p_c**2).sum(axis=-1)
        kappa = (p_bar - p_e) / (1.0 - p_e)
    return np.where((n > 0) & ~np.isclose(p_e, 1.0, rtol=0, atol=1e-12), kappa, np.nan)


def alpha_from_coincidence(coincidence: ArrayLike) -> FloatArray:
    """Krippendorff's alpha (nominal) from coincidence matrices ``[..., C, C]``."""
    o = np.asarray(coincidence, dtype=float)
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    observed = o.sum(axis=(-2, -1)) - np.trace(o, axis1=-2, axis2=-1)
    expected = n**2 - (n_c**2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * observed / expected
    return np.where((n > 1) & (expected > 1e-12), alpha, np.nan)


# -- scalar statistics ------------------------------------------------------------------------------
def _undefined(statistic: str, reason: str) -> float:
    warnings.warn(Warnings.W401.format(statistic=statistic, reason=reason), UndefinedStatisticWarning, stacklevel=3)
    return float("nan")


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Map values (any hashable, NaN for missing) to category indices (-1 for missing)."""
    flat = values.ravel()
    missing = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in flat])
    cats = sorted({v for v, m in zip(flat, missing) if not m}, key=lambda v: (str(type(v)), v))
    index = {v: i for i, v in enumerate(cats)}
    out = np.array([-1 if m else index[v] for v, m in zip(flat, missing)], dtype=int)
    return out.reshape(values.shape), len(cats)


def _is_row(value: object) -> bool:
    return np.iterable(value) and not isinstance(value, (str, bytes))


def reliability_matrix(reliability_data: ArrayLike, function: str = "agreement") -> np.ndarray:
    """Coders x units ratings as a 2-D object array; E043 (an InputError) says what is wrong with anything else."""
    fix = "Pass one list of ratings per coder, all of the same length (one rating per unit; None where not rated)."
    data = reliability_data.to_numpy(dtype=object) if hasattr(reliability_data, "to_numpy") else reliability_data
    if not _is_row(data):
        raise InputError(Errors.E043.format(function=function, argument=f"{type(data).__name__} {data!r:.40}",
                                            detail="the ratings must be coders x units", fix=fix))
    rows = [list(r) if _is_row(r) else None for r in data]
    if not rows or any(r is None for r in rows):
        raise InputError(Errors.E043.format(function=function, argument="the ratings",
                                            detail="they are not coders x units (a list of lists)", fix=fix))
    lengths = sorted({len(r) for r in rows if r is not None})
    if len(lengths) > 1:
        raise InputError(Errors.E043.format(function=function, argument="the ratings",
                                            detail=f"the coders rated different numbers of units ({', '.join(map(str, lengths))})",
                                            fix=fix))
    out = np.empty((len(rows), lengths[0]), dtype=object)
    for i, r in enumerate(rows):
        out[i, :] = r  # type: ignore[index]
    return out


def value_counts_matrix(reliability_data: ArrayLike) -> tuple[np.ndarray, int]:
    """Units x categories counts of ratings from coders x units data (missing = NaN or None)."""
    data = reliability_matrix(reliability_data)
    idx, n_cat = _codes(data)
    counts = np.zeros((data.shape[1], max(n_cat, 1)), dtype=float)
    for c in range(data.shape[0]):
        ok = idx[c] >= 0
        np.add.at(counts, (np.flatnonzero(ok), idx[c][ok]), 1.0)
    return counts, n_cat


def coincidence_matrix(value_counts: ArrayLike) -> FloatArray:
    """Krippendorff's coincidence matrix from units x categories value counts (pairable units only)."""
    counts = np.asarray(value_counts, dtype=float)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    outer = counts[:, :, None] * counts[:, None, :]
    outer -= counts[:, :, None] * np.eye(counts.shape[1])[None]
    return (outer / (m - 1.0)[:, None, None]).sum(axis=0)


def krippendorff_alpha(reliability_data: ArrayLike) -> float:
    """Krippendorff's alpha for nominal data, any number of coders, missing ratings allowed.

    Args:
        reliability_data: coders x units; ``NaN``/``None`` where a coder did not rate a unit.

    Returns:
        Alpha, or NaN (warning W401) when fewer than two pairable values exist or all are equal.

    Example:
        >>> round(krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]]), 3)
        0.533
    """
    counts, n_cat = value_counts_matrix(reliability_matrix(reliability_data, "krippendorff_alpha"))
    if (counts.sum(axis=1) >= 2).sum() == 0:
        return _undefined("Krippendorff's alpha", "no unit has ratings from two or more coders")
    value = float(alpha_from_coincidence(coincidence_matrix(counts)))
    if np.isnan(value):
        return _undefined("Krippendorff's alpha", "every pairable rating is in one category (no expected disagreement)")
    return value


def cohen_kappa(rater_a: Sequence[object], rater_b: Sequence[object]) -> float:
    """Cohen's kappa for two coders over the units both rated (missing = NaN/None is dropped)."""
    if not (_is_row(rater_a) and _is_row(rater_b)) or len(list(rater_a)) != len(list(rater_b)):
        sizes = [len(list(r)) if _is_row(r) else type(r).__name__ for r in (rater_a, rater_b)]
        raise InputError(Errors.E043.format(
            function="cohen_kappa", argument="these two raters", detail=f"they are not two lists of the same length "
            f"({sizes[0]} and {sizes[1]})", fix="Pass each coder's ratings of the same units, in the same order "
            "(None where a coder did not rate a unit)."))
    data = reliability_matrix([list(rater_a), list(rater_b)], "cohen_kappa")
    idx, n_cat = _codes(data)
    both = (idx[0] >= 0) & (idx[1] >= 0)
    if not both.any():
        return _undefined("Cohen's kappa", "no unit was rated by both coders")
    conf = np.zeros((max(n_cat, 1), max(n_cat, 1)))
    np.add.at(conf, (idx[0][both], idx[1][both]), 1.0)
    value = float(kappa_from_confusion(conf))
    if np.isnan(value):
        return _undefined("Cohen's kappa", "both coders used one and the same category throughout (chance agreement is 1)")
    return value


def fleiss_kappa(value_counts: ArrayLike) -> float:
    """Fleiss' kappa from units x categories counts; every unit must have the same number of ratings.

    Example (the classic 10 subjects x 14 raters table gives 0.210):
        >>> round(fleiss_kappa([[0, 0, 0, 0, 14], [0, 14, 0, 0, 0]]), 3)
        1.0
    """
    counts = np.asarray(value_counts, dtype=float)
    if counts.ndim != 2 or counts.shape[0] == 0:
        return _undefined("Fleiss' kappa", "no units")
    m = counts.sum(axis=1)
    if not np.allclose(m, m[0]) or m[0] < 2:
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of ratings for every unit")
    raters = int(round(m[0]))
    sum_p = ((counts**2).sum(axis=1) - raters).sum() / (raters * (raters - 1))
    value = float(fleiss_from_sums(sum_p, counts.shape[0], counts.sum(axis=0), raters))
    if np.isnan(value):
        return _undefined("Fleiss' kappa", "every rating is in one category (chance agreement is 1)")
    return value


def fleiss_kappa_ratings(reliability_data: ArrayLike) -> float:
    """Fleiss' kappa from coders x units data, over the units every coder rated."""
    data = reliability_matrix(reliability_data, "fleiss_kappa_ratings")
    counts, _ = value_counts_matrix(data)
    n_coders = data.shape[0]
    complete = counts[counts.sum(axis=1) == n_coders]
    if complete.shape[0] == 0:
        return _undefined("Fleiss' kappa", "no unit was rated by every coder")
    return fleiss_kappa(complete)


def percent_agreement(reliability_data: ArrayLike) -> float:
    """Share (0-1) of the units rated by every coder on which all coders gave the same rating."""
    data = reliability_matrix(reliability_data, "percent_agreement")
    counts, _ = value_counts_matrix(data)
    n_coders = data.shape[0]
    complete = counts[counts.sum(axis=1) == n_coders]
    if complete.shape[0] == 0:
        return _undefined("Percent agreement", "no unit was rated by every coder")
    return float((complete.max(axis=1) == n_coders).mean())
