"""The ``model`` suggester: a scikit-learn model trained on the study's manual and accepted codings.

A ``Pipeline`` of word (1-2) and character (3-5, within words) n-gram TF-IDF features and a
one-vs-rest set of logistic regressions (``_classify.PerCodeLogistic``: calibrated where a code has
enough examples, a threshold per code tuned by cross-validation to maximise F1). Training segments
are those a human decided on (see ``_labels.labelled_segments``). Codes with fewer than
``min_examples`` positive segments are skipped and listed in ``skipped_codes_``.

A fitted model is saved as data (arrays and JSON in a ``.npz``, see ``_persist``; never a pickle,
since a study folder may come from someone else) under ``model_dir`` (``data/coded/models/`` in a
study), named by a hash of its parameters, codebook version and training data, so an unchanged
training set is loaded instead of retrained.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...errors import Errors, InputError
from ._labels import label_matrix, labelled_segments, segment_codes
from .base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters
from ... import schemas

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

#: How many fitted models to keep in ``model_dir`` (newest first).
KEEP_MODELS = 5


@suggesters.register("thematic.model.v1")
class ModelSuggester(Suggester):
    """Suggest codes with a classifier trained on human codings (multi-label, calibrated, per-code thresholds).

    Example:
        >>> s = ModelSuggester(min_examples=5).fit(segments, codings, codebook)
        >>> s.skipped_codes_          # codes with too few examples: {code_id: n_examples}
        >>> s.suggest(new_segments)
    """

    name = "thematic.model.v1"
    needs_codings = True
    runtime_params = frozenset({"model_dir"})
    forkable = True
    warm_modules = ("sklearn",)
    reported_attributes = ("training_hash_", "skipped_codes_", "n_training_segments_")

    def __init__(self, *, min_examples: int = 5, min_segments: int = 20, cv: int = 5, calibrate_min: int = 15,
                 C: float = 4.0, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] | None = (3, 5),
                 max_features: int | None = 100_000, top_k: int = 3, uncoded_as_negative: bool = True,
                 random_state: int = 0, model_dir: str | None = None) -> None:
        self.min_examples = min_examples
        self.min_segments = min_segments
        self.cv = cv
        self.calibrate_min = calibrate_min
        self.C = C
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.max_features = max_features
        self.top_k = top_k
        self.uncoded_as_negative = uncoded_as_negative
        self.random_state = random_state
        self.model_dir = model_dir

    # -- training data ---------------------------------------------------------------------------
    def training_data(self, segments: pd.DataFrame, codings: pd.DataFrame | None,
                      codebook: Codebook) -> tuple[list[str], np.ndarray, list[str], dict[str, int]]:
        """(texts, 0/1 labels, trainable codes, skipped codes with their counts) from human codings."""
        segs = check_segments(segments)
        cods = codings if codings is not None else schemas.empty_frame(schemas.CODINGS)
        ids = labelled_segments(segs, cods, uncoded_as_negative=self.uncoded_as_negative)
        labels = segment_codes(segs, cods)
        all_codes = [c.id for c in codebook.codable()]
        y_all = label_matrix(ids, labels, all_codes)
        pos = y_all.sum(axis=0)
        neg = len(ids) - pos
        keep = [j for j, c in enumerate(all_codes) if pos[j] >= self.min_examples and neg[j] >= 2]
        skipped = {c: int(pos[j]) for j, c in enumerate(all_codes) if j not in set(keep)}
        text_of = dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))
        return [text_of[i] for i in ids], y_all[:, keep], [all_codes[j] for j in keep], skipped

    def insufficient(self, n_segments: int, codes: list[str]) -> str | None:
        """Why there is too little training data (None when there is enough)."""
        if n_segments < self.min_segments:
            return f"only {n_segments} coded segment(s); it needs at least {self.min_segments}"
        if not codes:
            return f"no code has {self.min_examples} or more coded segments"
        return None

    def _hash(self, texts: list[str], y: np.ndarray, codes: list[str], version: str) -> str:
        h = hashlib.sha256(json.dumps([self.fingerprint(), version, codes], default=str).encode())
        for text, row in zip(texts, y):
            h.update(text.encode("utf-8", "surrogatepass") + b"\x1f" + row.tobytes() + b"\x1e")
        return h.hexdigest()

    # -- fit / score ------------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Import scikit-learn's pieces a saved model needs (the slow part of loading one)."""
        import sklearn.calibration  # noqa: F401
        import sklearn.pipeline  # noqa: F401

        from . import _classify, _features  # noqa: F401

    def fit(self, segments: pd.DataFrame, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "ModelSuggester":
        """Train (or load the saved model for the same training data); InputError E376 if too little data."""
        cb = require_codebook(codebook, "know which codes to learn")
        texts, y, codes, skipped = self.training_data(segments, codings, cb)
        reason = self.insufficient(len(texts), codes)
        if reason:
            raise InputError(Errors.E376.format(reason=reason, min_examples=self.min_examples))
        key = self._hash(texts, y, codes, cb.version)
        pipeline = self._load(key)
        if pipeline is None:
            pipeline = self._pipeline(len(texts)).fit(texts, y)
            self._save(key, pipeline)
        self.pipeline_ = pipeline
        self.codes_ = codes
        self.thresholds_ = dict(zip(codes, pipeline.named_steps["classify"].thresholds_.tolist()))
        self.skipped_codes_ = skipped
        self.training_hash_ = key
        self.n_training_segments_ = len(texts)
        self.codebook_version_ = cb.version
        return self

    def _pipeline(self, n: int) -> "Pipeline":
        from sklearn.pipeline import Pipeline

        from ._classify import PerCodeLogistic
        from ._features import text_features

        min_df = 2 if n >= 50 else 1
        return Pipeline([
            ("features", text_features(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams, min_df=min_df,
                                       max_features=self.max_features)),
            ("classify", PerCodeLogistic(C=self.C, cv=self.cv, calibrate_min=self.calibrate_min,
                                         random_state=self.random_state)),
        ])

    def predict_proba(self, segments: pd.DataFrame) -> np.ndarray:
        """Probabilities, segments x ``codes_`` (the pipeline's, with its word counts made faster)."""
        from ._features import union_transform

        check_is_fitted(self)
        texts = check_segments(segments)["text"].astype(str).tolist()
        steps = self.pipeline_.named_steps
        if list(steps) != ["features", "classify"]:
            return self.pipeline_.predict_proba(texts)
        return steps["classify"].predict_proba(union_transform(steps["features"], texts))

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """For each segment, every code at or above its threshold plus the ``top_k`` most probable."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty or not self.codes_:
            return schemas.empty_frame(SCORES)
        proba = self.predict_proba(segs)
        thr = np.array([self.thresholds_[c] for c in self.codes_])
        rank = np.argsort(np.argsort(-proba, axis=1, kind="stable"), axis=1, kind="stable")
        keep_i, keep_j = np.nonzero((proba >= thr) | (rank < self.top_k))
        p = proba[keep_i, keep_j]
        df = pd.DataFrame({
            "segment_id": segs["segment_id"].to_numpy()[keep_i],
            "code_id": np.asarray(self.codes_, dtype=object)[keep_j],
            "score": np.round(p, 4),
            "threshold": np.round(thr[keep_j], 4),
        })
        df["evidence"] = [f"p={a:.2f}, threshold {b:.2f}" for a, b in zip(df["score"], df["threshold"])]
        return schemas.coerce_frame(df, SCORES)

    # -- persistence -----------------------------------------------------------------------------
    def _path(self, key: str) -> Path | None:
        return Path(self.model_dir) / f"model-{key[:20]}.npz" if self.model_dir else None

    def _load(self, key: str) -> "Pipeline | None":
        from ._persist import load_pipeline

        path = self._path(key)
        return None if path is None else load_pipeline(path, key, lambda: self._pipeline(0))

    def _save(self, key: str, pipeline: "Pipeline") -> None:
        from ._persist import save_pipeline

        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        save_pipeline(path, pipeline, {"hash": key, "name": self.name, "params": self.get_params()})
        old = sorted(path.parent.glob("model-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP_MODELS:]:
            stale.unlink(missing_ok=True)

    def describe(self) -> dict[str, Any]:
        """What was learned: codes, thresholds, skipped codes, training size (for reports)."""
        check_is_fitted(self)
        return {"codes": list(self.codes_), "thresholds": dict(self.thresholds_),
                "skipped_codes": dict(self.skipped_codes_), "n_training_segments": self.n_training_segments_,
                "training_hash": self.training_hash_}
