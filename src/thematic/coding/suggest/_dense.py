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


def encode(texts: Sequence[str], cache_dir: str | Path | None = None, model: str = "auto") -> np.ndarray | None:
    """Normalised vectors of ``model`` for ``texts`` (cached in memory and under ``cache_dir``), or None without the extra."""
    if not embeddings_installed():
        return None
    from ._embed import EmbeddingCache, resolve_model

    model = resolve_model(model)
    key = (str(cache_dir or ""), model)
    cache = _CACHES.get(key)
    if cache is None:
        cache = _CACHES[key] = EmbeddingCache(cache_dir, model)
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


class CodebookPrior:
    """Closeness to each code's own text: cosine to the centroid of its codebook rows, z-normalised per code
    against the study's segments (so long or generic codes do not dominate), then a per-code logistic fit."""

    def fit(self, X: np.ndarray, Y: np.ndarray, is_codebook: np.ndarray) -> "CodebookPrior":
        """``X``: normalised vectors of every training row; ``is_codebook``: which rows are codebook text."""
        from sklearn.linear_model import LogisticRegression

        Y = np.asarray(Y).astype(bool)
        cb, human = np.asarray(is_codebook, dtype=bool), ~np.asarray(is_codebook, dtype=bool)
        cent = np.zeros((Y.shape[1], X.shape[1]))
        for j in range(Y.shape[1]):
            rows = Y[:, j] & cb
            if not rows.any():
                rows = Y[:, j]
            if rows.any():
                v = X[rows].mean(axis=0)
                cent[j] = v / (np.linalg.norm(v) or 1.0)
        self.centroids_ = cent
        sim = X[human] @ cent.T if human.any() else np.zeros((1, Y.shape[1]))
        self.mean_, self.std_ = sim.mean(axis=0), sim.std(axis=0) + 1e-6
        z = (sim - self.mean_) / self.std_
        self.slope_, self.bias_ = np.full(Y.shape[1], 1.5), np.full(Y.shape[1], -3.0)
        yh = Y[human]
        for j in range(Y.shape[1]):
            if human.any() and 0 < yh[:, j].sum() < len(yh):
                lr = LogisticRegression(C=1.0, class_weight="balanced").fit(z[:, [j]], yh[:, j])
                self.slope_[j], self.bias_[j] = max(float(lr.coef_[0, 0]), 0.0), float(lr.intercept_[0])
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probabilities, samples x codes."""
        z = (np.asarray(X, dtype=np.float64) @ self.centroids_.T - self.mean_) / self.std_
        return 1.0 / (1.0 + np.exp(-np.clip(z * self.slope_ + self.bias_, -30, 30)))

    def to_data(self) -> dict[str, np.ndarray]:
        """The fitted arrays (prefixed, to share a file with ``DenseLogistic``)."""
        return {"prior_centroids": self.centroids_, "prior_mean": self.mean_, "prior_std": self.std_,
                "prior_slope": self.slope_, "prior_bias": self.bias_}

    @classmethod
    def from_data(cls, data: Any) -> "CodebookPrior":
        """A fitted prior from ``to_data``'s arrays."""
        out = cls()
        out.centroids_, out.mean_, out.std_ = (np.asarray(data[k]) for k in ("prior_centroids", "prior_mean",
                                                                             "prior_std"))
        out.slope_, out.bias_ = np.asarray(data["prior_slope"]), np.asarray(data["prior_bias"])
        return out
