"""Logistic regression per code on sentence-embedding vectors (plus context one-hot columns).

Saved as plain arrays (coefficients, intercepts), never as a pickle. The vectors come from the
``embeddings`` extra's cached encoder; ``encode`` returns None when the extra is not installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np


def embeddings_installed() -> bool:
    """True when sentence embeddings can be computed here."""
    try:
        from ._embed import embeddings_available
    except ImportError:  # pragma: no cover - the module always exists, its extra may not
        return False
    return bool(embeddings_available())


_CACHES: dict[tuple[str, str], Any] = {}


def encode(texts: Sequence[str], cache_dir: str | Path | None = None) -> np.ndarray | None:
    """Normalised sentence vectors for ``texts`` (cached in memory and under ``cache_dir``), or None without the extra."""
    if not embeddings_installed():
        return None
    from ._embed import DEFAULT_MODEL, EmbeddingCache

    key = (str(cache_dir or ""), DEFAULT_MODEL)
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = EmbeddingCache(cache_dir, DEFAULT_MODEL)
    return np.asarray(cache.encode(list(texts)), dtype=np.float32)


class DenseLogistic:
    """One L2 logistic regression per column of ``Y`` on dense features (balanced classes)."""

    def __init__(self, *, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None) -> "DenseLogistic":
        """Fit every code; a code with one class only gets a constant."""
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y)
        self.coef_ = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float64)
        self.intercept_ = np.zeros(Y.shape[1], dtype=np.float64)
        for j in range(Y.shape[1]):
            y = Y[:, j].astype(int)
            if y.min() == y.max():
                self.intercept_[j] = 10.0 if y[0] else -10.0
                continue
            lr = LogisticRegression(C=self.C, class_weight="balanced", max_iter=500)
            lr.fit(X, y, sample_weight=sample_weight)
            self.coef_[j], self.intercept_[j] = lr.coef_[0], lr.intercept_[0]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities, samples x codes."""
        z = np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_data(self) -> dict[str, np.ndarray]:
        """The fitted arrays."""
        return {"coef": self.coef_, "intercept": self.intercept_}

    @classmethod
    def from_data(cls, data: Any) -> "DenseLogistic":
        """A fitted model from ``to_data``'s arrays."""
        out = cls()
        out.coef_, out.intercept_ = np.asarray(data["coef"]), np.asarray(data["intercept"])
        return out
