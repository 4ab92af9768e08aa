"""Saving a fitted model suggester as data (arrays + JSON in one ``.npz``), never as a pickle.

A study folder may come from someone else, so nothing read from it may run code: the learned
vocabularies, idf weights, word-to-n-gram matrix and each code's linear model are written as plain
arrays (``numpy.savez``, read back with ``allow_pickle=False``) and the estimators are rebuilt from
them. Anything unexpected in the file (wrong hash, shapes, types, sizes) means "retrain", not an error.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
import scipy.sparse as sp

#: Format tag written into every saved model; bump when the layout changes.
FORMAT = "thematic.model-arrays.v1"
#: A saved model larger than this (uncompressed) is ignored and the model retrained.
MAX_MODEL_BYTES = 2 * 1024**3


class LinearProbability:
    """One code's fitted model as ``p = 1 / (1 + exp(a * (X @ coef + intercept) + b))``.

    A plain logistic regression is ``a = -1, b = 0``; a sigmoid-calibrated one has Platt's ``a, b``.
    """

    def __init__(self, coef: np.ndarray, intercept: float, a: float, b: float) -> None:
        self.coef = np.asarray(coef, dtype=np.float64).ravel()
        self.intercept = float(intercept)
        self.a = float(a)
        self.b = float(b)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Two columns, P(not code) and P(code), like a scikit-learn classifier."""
        from scipy.special import expit

        d = np.asarray(X @ self.coef).ravel() + self.intercept
        p = expit(-(self.a * d + self.b))
        return np.column_stack([1.0 - p, p])


def linear_parts(est: Any) -> tuple[np.ndarray, float, float, float]:
    """(coef, intercept, a, b) of a fitted LogisticRegression, sigmoid CalibratedClassifierCV or LinearProbability."""
    if isinstance(est, LinearProbability):
        return est.coef, est.intercept, est.a, est.b
    if hasattr(est, "calibrated_classifiers_"):
        (cc,) = est.calibrated_classifiers_
        (cal,) = cc.calibrators
        lr = cc.estimator
        return np.asarray(lr.coef_).ravel(), float(lr.intercept_[0]), float(cal.a_), float(cal.b_)
    return np.asarray(est.coef_).ravel(), float(est.intercept_[0]), -1.0, 0.0


def _names(mapping: dict[str, int]) -> list[str]:
    return sorted(mapping, key=mapping.__getitem__)


def save_pipeline(path: Path, pipeline: Any, meta: dict[str, Any]) -> None:
    """Write the fitted pipeline's learned state to ``path`` (atomically) as arrays and JSON."""
    feats = dict(pipeline.named_steps["features"].transformer_list)
    classify = pipeline.named_steps["classify"]
    word = feats["word"]
    info: dict[str, Any] = {**meta, "format": FORMAT, "word_vocabulary": _names(word.vocabulary_)}
    arrays: dict[str, np.ndarray] = {"word_idf": np.asarray(word.idf_, dtype=np.float64)}
    char = feats.get("char")
    if char is not None:
        info["char_vocabulary"] = _names(char.vocabulary_)
        info["char_words"] = _names(char.word_index_)
        grams = char.word_grams_.tocsr()
        arrays.update(char_idf=np.asarray(char.tfidf_.idf_, dtype=np.float64),
                      char_data=grams.data.astype(np.float64), char_indices=grams.indices.astype(np.int64),
                      char_indptr=grams.indptr.astype(np.int64), char_shape=np.asarray(grams.shape, dtype=np.int64))
    parts = [linear_parts(e) for e in classify.estimators_]
    n_features = sum(len(x) for x in [info["word_vocabulary"], info.get("char_vocabulary", [])])
    arrays["coef"] = (np.vstack([p[0] for p in parts]) if parts else np.zeros((0, n_features)))
    arrays["linear"] = np.asarray([p[1:] for p in parts], dtype=np.float64).reshape(len(parts), 3)
    arrays["thresholds"] = np.asarray(classify.thresholds_, dtype=np.float64)
    arrays["meta"] = np.frombuffer(json.dumps(info).encode("utf-8"), dtype=np.uint8)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(path) as zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_MODEL_BYTES:
            raise ValueError("saved model too large")
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def load_pipeline(path: Path, key: str, build: Callable[[], Any]) -> Any | None:
    """The pipeline saved at ``path`` for training hash ``key`` (rebuilt by ``build()``), or None."""
    from ._classify import PerCodeLogistic

    if not path.is_file():
        return None
    try:
        arrays = _read(path)
        info = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if not isinstance(info, dict) or info.get("format") != FORMAT or info.get("hash") != key:
            return None
        pipeline = build()
        feats = dict(pipeline.named_steps["features"].transformer_list)
        word = feats["word"]
        word.vocabulary_ = {str(w): i for i, w in enumerate(info["word_vocabulary"])}
        word.idf_ = arrays["word_idf"].astype(np.float64)
        n_features = len(word.vocabulary_)
        char = feats.get("char")
        if (char is None) != ("char_vocabulary" not in info):
            return None
        if char is not None:
            _restore_char(char, info, arrays)
            n_features += len(char.vocabulary_)
        coef, linear = arrays["coef"].astype(np.float64), arrays["linear"].astype(np.float64)
        thresholds = arrays["thresholds"].astype(np.float64)
        if coef.shape != (len(linear), n_features) or linear.shape[1:] != (3,) or thresholds.shape != (len(linear),):
            return None
        classify: PerCodeLogistic = pipeline.named_steps["classify"]
        classify.estimators_ = [LinearProbability(c, *row) for c, row in zip(coef, linear.tolist())]
        classify.thresholds_ = thresholds
        classify.calibrated_ = linear[:, 0] != -1.0
        return pipeline
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile, UnicodeDecodeError, EOFError):
        return None  # damaged, foreign or hostile: retrain instead


def _restore_char(char: Any, info: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    from sklearn.feature_extraction.text import TfidfTransformer

    char.vocabulary_ = {str(g): i for i, g in enumerate(info["char_vocabulary"])}
    char.word_index_ = {str(w): i for i, w in enumerate(info["char_words"])}
    shape = tuple(int(x) for x in arrays["char_shape"])
    if shape != (len(char.word_index_), len(char.vocabulary_)):
        raise ValueError("char n-gram matrix does not match its vocabularies")
    char.word_grams_ = sp.csr_matrix((arrays["char_data"], arrays["char_indices"], arrays["char_indptr"]),
                                     shape=shape)
    char.word_grams_.check_format(full_check=True)
    idf = arrays["char_idf"].astype(np.float64)
    if idf.shape != (shape[1],):
        raise ValueError("char idf does not match its vocabulary")
    char.tfidf_ = TfidfTransformer(sublinear_tf=char.sublinear_tf)
    char.tfidf_.idf_ = idf
