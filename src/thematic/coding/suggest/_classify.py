"""One-vs-rest logistic regression with per-code calibration and per-code thresholds tuned by CV.

Each code gets its own binary ``LogisticRegression`` (liblinear). Where a code has enough positive
and negative examples (``calibrate_min`` each) it is wrapped in ``CalibratedClassifierCV`` (sigmoid,
3 folds, one final model) so its probability means what it says; otherwise the plain model's
probability is used. Each code's threshold is the one that maximises F1 on out-of-fold
probabilities (stratified k-fold), clipped to [0.05, 0.9].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

THRESHOLD_RANGE = (0.05, 0.9)


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut-off (``p >= t``) that maximises F1 of ``p`` against 0/1 labels ``y``."""
    if y.sum() == 0 or len(y) == 0:
        return THRESHOLD_RANGE[1]
    order = np.argsort(-p, kind="stable")
    ys, ps = y[order], p[order]
    tp = np.cumsum(ys)
    k = np.arange(1, len(ys) + 1)
    f1 = 2 * tp / (k + ys.sum())
    distinct = np.r_[ps[1:] != ps[:-1], True]  # a cut can only fall between different scores
    f1 = np.where(distinct, f1, -1.0)
    i = int(np.argmax(f1))
    t = (ps[i] + ps[i + 1]) / 2 if i + 1 < len(ps) else ps[i]
    return float(np.clip(t, *THRESHOLD_RANGE))


class PerCodeLogistic(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Multi-label classifier: one calibrated (when possible) logistic regression per column of ``Y``."""

    def __init__(self, *, C: float = 4.0, cv: int = 5, calibrate_min: int = 15, random_state: int = 0,
                 tune_thresholds: bool = True) -> None:
        self.C = C
        self.cv = cv
        self.calibrate_min = calibrate_min
        self.random_state = random_state
        self.tune_thresholds = tune_thresholds

    def _estimator(self, n_pos: int, n_neg: int) -> Any:
        base = LogisticRegression(solver="liblinear", dual=True, C=self.C, random_state=self.random_state,
                                  class_weight=None if min(n_pos, n_neg) >= self.calibrate_min else "balanced")
        if min(n_pos, n_neg) >= self.calibrate_min:
            return CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
        return base

    def _threshold(self, est: Any, X: Any, y: np.ndarray) -> float:
        folds = min(self.cv, int(y.sum()), int(len(y) - y.sum()))
        if folds < 2 or not self.tune_thresholds:
            return 0.5
        split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        oof = cross_val_predict(clone(est), X, y, cv=split, method="predict_proba")[:, 1]
        return best_f1_threshold(y, oof)

    def fit(self, X: Any, Y: np.ndarray) -> "PerCodeLogistic":
        """Fit one model per column of the 0/1 matrix ``Y`` and tune its threshold."""
        Y = np.asarray(Y)
        self.estimators_: list[Any] = []
        thresholds = []
        for j in range(Y.shape[1]):
            y = Y[:, j].astype(int)
            if y.min() == y.max():  # one class only (a fold without this code): a constant probability
                thresholds.append(THRESHOLD_RANGE[1])
                self.estimators_.append(float(y[0]))
                continue
            est = self._estimator(int(y.sum()), int(len(y) - y.sum()))
            thresholds.append(self._threshold(est, X, y))
            self.estimators_.append(est.fit(X, y))
        self.thresholds_ = np.asarray(thresholds, dtype=float)
        self.calibrated_ = np.array([isinstance(e, CalibratedClassifierCV) for e in self.estimators_])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities, samples x codes."""
        if not self.estimators_:
            return np.zeros((X.shape[0], 0))
        n = X.shape[0]
        return np.column_stack([np.full(n, e) if isinstance(e, float) else e.predict_proba(X)[:, 1]
                                for e in self.estimators_])

    def predict(self, X: Any) -> np.ndarray:
        """0/1 decisions with the per-code thresholds."""
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
