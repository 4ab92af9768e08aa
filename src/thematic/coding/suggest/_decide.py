"""How many codes to suggest per segment, learnt from how many the humans gave (not a fixed F1 cut-off).

Per-code thresholds tuned for F1 sink to the floor for rare codes and over-suggest three to five
times on unseen documents. Instead, on out-of-fold probabilities: the segment's best code is
suggested when its probability reaches ``top_bar``; any other code when it reaches ``other_bar``;
the two bars maximise micro-F1 among the choices whose suggestions per segment stay within
``max_rate_ratio`` times the human rate. A code whose out-of-fold precision under that rule stays
below ``min_precision`` gets its own higher bar (or is only ranked, never suggested).
"""

from __future__ import annotations

from typing import Any

import numpy as np

NEVER = 1.01  # a bar no probability reaches


def _ranks(p: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(-p, axis=1, kind="stable"), axis=1, kind="stable")


def kept_scores(segment_ids: np.ndarray, codes: list[str], score: np.ndarray, thr: np.ndarray,
                top_k: int) -> tuple[Any, np.ndarray, np.ndarray]:
    """The (segment, code) scores a suggester reports: over its bar or among the segment's ``top_k``.

    Returns the frame (segment_id, code_id, score, threshold) and the kept row and column indices.
    """
    import pandas as pd

    keep_i, keep_j = np.nonzero((score >= thr) | (_ranks(score) < top_k))
    df = pd.DataFrame({
        "segment_id": np.asarray(segment_ids)[keep_i],
        "code_id": np.asarray(codes, dtype=object)[keep_j],
        "score": np.round(score[keep_i, keep_j], 4),
        "threshold": np.round(np.minimum(thr[keep_i, keep_j], NEVER), 4),
    })
    return df, keep_i, keep_j


def _grid(p: np.ndarray, n: int = 40) -> np.ndarray:
    values = np.quantile(p.ravel(), np.linspace(0.5, 0.999, n)) if p.size else np.array([0.5])
    return np.unique(np.r_[values, 0.5])


class RateDecision:
    """Top code above one bar, others above a second bar, per-code floors for precision (fitted on OOF probabilities)."""

    def __init__(self, *, max_rate_ratio: float = 1.25, min_precision: float = 0.3, min_support: int = 3) -> None:
        self.max_rate_ratio = max_rate_ratio
        self.min_precision = min_precision
        self.min_support = min_support

    def fit(self, p: np.ndarray, y: np.ndarray) -> "RateDecision":
        """Choose the bars on out-of-fold probabilities ``p`` against 0/1 labels ``y`` (segments x codes)."""
        y = np.asarray(y, dtype=bool)
        n = max(1, len(p))
        self.human_rate_ = float(y.sum() / n)
        self.code_bars_ = np.zeros(p.shape[1])
        rank0 = _ranks(p) == 0 if p.size else np.zeros_like(y)
        best = (-1.0, 0.5, NEVER)
        grid = _grid(p)
        cap = self.max_rate_ratio * max(self.human_rate_, 1.0 / n)
        for top in grid:
            first = rank0 & (p >= top)
            for other in grid[grid >= top]:
                pred = first | (p >= other)
                k = pred.sum()
                if k / n > cap:
                    continue
                tp = (pred & y).sum()
                f1 = 2 * tp / (k + y.sum()) if k + y.sum() else 0.0
                if f1 > best[0]:
                    best = (f1, float(top), float(other))
        self.oof_f1_, self.top_bar_, self.other_bar_ = best
        pred = (rank0 & (p >= self.top_bar_)) | (p >= self.other_bar_)
        for j in range(p.shape[1]):
            self.code_bars_[j] = self._floor(p[:, j], pred[:, j], y[:, j])
        return self

    def _floor(self, p: np.ndarray, pred: np.ndarray, y: np.ndarray) -> float:
        """The lowest extra bar for one code that lifts its precision to ``min_precision`` (0 when it is there)."""
        k = int(pred.sum())
        if k < self.min_support or (pred & y).sum() / k >= self.min_precision:
            return 0.0
        order = np.argsort(-p[pred], kind="stable")
        hits = np.cumsum(y[pred][order])
        prec = hits / np.arange(1, k + 1)
        ok = np.flatnonzero((prec >= self.min_precision) & (np.arange(1, k + 1) >= self.min_support))
        return float(p[pred][order][ok.max()]) if ok.size else NEVER

    def thresholds(self, p: np.ndarray) -> np.ndarray:
        """The bar each (segment, code) must reach: top or other bar, raised to the code's floor."""
        bars = np.where(_ranks(p) == 0, self.top_bar_, self.other_bar_)
        return np.maximum(bars, self.code_bars_[None, :]) if p.size else bars

    def to_data(self) -> dict[str, Any]:
        """The fitted bars as plain data (for saving without pickles)."""
        return {"top_bar": self.top_bar_, "other_bar": self.other_bar_, "code_bars": self.code_bars_.tolist(),
                "human_rate": self.human_rate_, "oof_f1": self.oof_f1_}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "RateDecision":
        """A fitted decision from ``to_data``'s output."""
        out = cls()
        out.top_bar_, out.other_bar_ = float(data["top_bar"]), float(data["other_bar"])
        out.code_bars_ = np.asarray(data["code_bars"], dtype=float)
        out.human_rate_, out.oof_f1_ = float(data["human_rate"]), float(data["oof_f1"])
        return out
