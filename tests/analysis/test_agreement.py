"""Agreement statistics against reference implementations and published worked examples."""

from __future__ import annotations

import warnings
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from thematic.analysis.agreement import (
    UndefinedStatisticWarning,
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_ratings,
    krippendorff_alpha,
    percent_agreement,
)

nan = np.nan

#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12 units,
#: nominal alpha = 0.743 with missing values.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

#: Fleiss' kappa worked example (Wikipedia, "Fleiss' kappa"): 10 subjects, 14 raters, 5 categories.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def _fleiss_reference(table: list[list[int]]) -> Fraction:
    """Fleiss' kappa by the textbook formula in exact arithmetic."""
    n = sum(table[0])
    N = len(table)
    p_j = [Fraction(sum(row[j] for row in table), N * n) for j in range(len(table[0]))]
    P_i = [Fraction(sum(x * x for x in row) - n, n * (n - 1)) for row in table]
    P_bar = sum(P_i) / N
    P_e = sum(p * p for p in p_j)
    return (P_bar - P_e) / (1 - P_e)


def test_krippendorff_alpha_reproduces_published_nominal_example():
    alpha = krippendorff_alpha(KRIPPENDORFF_2011)
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(krippendorff.alpha(reliability_data=KRIPPENDORFF_2011,
                                                     level_of_measurement="nominal"), abs=1e-9)


def test_fleiss_kappa_reproduces_wikipedia_example():
    kappa = fleiss_kappa(FLEISS_WIKIPEDIA)
    assert round(kappa, 3) == 0.210
    assert kappa == pytest.approx(float(_fleiss_reference(FLEISS_WIKIPEDIA)), abs=1e-12)


@pytest.mark.parametrize("seed", range(12))
def test_cohen_kappa_equals_sklearn_on_random_data(seed):
    rng = np.random.default_rng(seed)
    n, k = rng.integers(5, 200), rng.integers(2, 5)
    a = rng.integers(0, k, n)
    b = np.where(rng.random(n) < 0.6, a, rng.integers(0, k, n))
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-9)


@pytest.mark.parametrize("seed", range(12))
def test_krippendorff_alpha_equals_package_on_random_data_with_missing(seed):
    rng = np.random.default_rng(100 + seed)
    coders, units, k = rng.integers(2, 6), rng.integers(5, 120), rng.integers(2, 5)
    truth = rng.integers(0, k, units)
    data = np.where(rng.random((coders, units)) < 0.7, truth, rng.integers(0, k, (coders, units))).astype(float)
    data[rng.random((coders, units)) < 0.2] = np.nan
    ref = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(ref, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_fleiss_kappa_equals_exact_reference_on_random_complete_data(seed):
    rng = np.random.default_rng(200 + seed)
    raters, units, k = int(rng.integers(2, 7)), int(rng.integers(3, 60)), int(rng.integers(2, 5))
    data = rng.integers(0, k, (raters, units))
    table = [[int((data[:, u] == c).sum()) for c in range(k)] for u in range(units)]
    assert fleiss_kappa_ratings(data) == pytest.approx(float(_fleiss_reference(table)), abs=1e-9)


def test_two_coder_fleiss_and_alpha_relation_to_scott_pi():
    # For two coders and complete data Fleiss' kappa is Scott's pi, and alpha = pi adjusted for sample size.
    a = [1, 1, 0, 0, 1, 0, 1, 1]
    b = [1, 0, 0, 0, 1, 0, 1, 0]
    pi = fleiss_kappa_ratings([a, b])
    n = 2 * len(a)
    assert krippendorff_alpha([a, b]) == pytest.approx(1 - (n - 1) / n * (1 - pi), abs=1e-12)


def test_all_agree_gives_one_everywhere():
    data = [[0, 1, 1, 0, 1], [0, 1, 1, 0, 1]]
    assert cohen_kappa(*data) == pytest.approx(cohen_kappa_score(*data)) == 1.0
    assert krippendorff_alpha(data) == pytest.approx(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")) == 1.0
    assert fleiss_kappa_ratings(data) == 1.0 and percent_agreement(data) == 1.0


def test_all_one_category_is_nan_with_reason():
    data = [[1, 1, 1, 1], [1, 1, 1, 1]]
    with pytest.warns(UndefinedStatisticWarning, match=r"\[W401\] Cohen's kappa.*one and the same category"):
        assert np.isnan(cohen_kappa(*data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert np.isnan(cohen_kappa_score(*data))  # sklearn agrees it is undefined
    with pytest.warns(UndefinedStatisticWarning, match="no expected disagreement"):
        assert np.isnan(krippendorff_alpha(data))
    with pytest.raises(ValueError):  # the package refuses; we return NaN with a reason instead
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    with pytest.warns(UndefinedStatisticWarning):
        assert np.isnan(fleiss_kappa_ratings(data))
    assert percent_agreement(data) == 1.0


def test_missing_everywhere_is_nan_not_a_crash():
    data = [[1, nan, nan], [nan, 0, nan]]
    with pytest.warns(UndefinedStatisticWarning, match="two or more coders"):
        assert np.isnan(krippendorff_alpha(data))
    with pytest.warns(UndefinedStatisticWarning, match="both coders"):
        assert np.isnan(cohen_kappa(*data))
    with pytest.warns(UndefinedStatisticWarning, match="every coder"):
        assert np.isnan(percent_agreement(data))


def test_cohen_kappa_drops_units_missing_for_either_coder():
    a = [1, 0, 1, nan, 0, 1]
    b = [1, 0, 0, 1, nan, 1]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score([1, 0, 1, 1], [1, 0, 0, 1]), abs=1e-12)


def test_string_categories_are_nominal():
    a = ["yes", "no", "yes", "maybe", None]
    b = ["yes", "no", "no", "maybe", "no"]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a[:4], b[:4]), abs=1e-12)
    assert percent_agreement([a[:4], b[:4]]) == pytest.approx(0.75)


def test_fleiss_kappa_rejects_unequal_rater_counts():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[1, 1], [2, 1]])
