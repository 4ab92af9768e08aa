"""The ``model`` suggester: a scikit-learn model trained on the study's manual and accepted codings.

Two views, averaged (see ``_train``): word (1-2) and character (3-5) n-gram TF-IDF with per-code
logistic regressions (``_classify.PerCodeLogistic``), and, when the embeddings extra is installed,
logistic regression on sentence embeddings. Both see the segment's context (survey question,
document kind; ``use_context``), and each code's label, definition, examples and include criteria
are extra positive rows (``use_codebook``). How many codes to suggest per segment is learnt from the
human rate on document-grouped out-of-fold probabilities (``_decide``; ``decision="f1"`` keeps the
old per-code F1 thresholds). Codes with fewer than ``min_examples`` positive rows are skipped and
listed in ``skipped_codes_``; ``features_`` says which features were used.

A fitted model is saved as data (arrays and JSON in a ``.npz``, see ``_persist``; never a pickle,
since a study folder may come from someone else) under ``model_dir`` (``data/coded/models/`` in a
study), named by a hash of its parameters, codebook version and training data, so an unchanged
training set is loaded instead of retrained; the embedding view and the
decision are saved beside it as arrays (``parts-*.npz``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...codebook import Codebook
from ...errors import Errors, InputError, Warnings
from ._labels import decided_segments, label_matrix, labelled_segments, segment_codes
from .base import SCORES, Suggester, check_is_fitted, check_segments, require_codebook, suggesters
from ... import schemas

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

    from ._decide import RateDecision
    from ._train import Parts, TrainingSet

#: How many fitted models to keep in ``model_dir`` (newest first).
KEEP_MODELS = 5


@suggesters.register("thematic.model.v1")
class ModelSuggester(Suggester):
    """Suggest codes with a classifier trained on human codings (multi-label, calibrated, per-code thresholds).

    Its embedding view reads ``encoder`` ("auto", "minilm", "mpnet" or a folder, as for similarity).

    Example:
        >>> s = ModelSuggester(min_examples=5).fit(segments, codings, codebook)
        >>> s.skipped_codes_          # codes with too few examples: {code_id: n_examples}
        >>> s.suggest(new_segments)
    """

    name = "thematic.model.v1"
    needs_codings = True
    runtime_params = frozenset({"model_dir", "cache_dir"})

    @property  # type: ignore[override]
    def forkable(self) -> bool:
        """True when no sentence embeddings are used: torch's threads do not survive a fork (a runner would hang)."""
        from ._dense import embeddings_installed

        return self.use_embeddings is False or (self.use_embeddings is None and not embeddings_installed())
    warm_modules = ("sklearn",)
    reported_attributes = ("training_hash_", "skipped_codes_", "n_training_segments_", "features_", "encoder_")

    def __init__(self, *, min_examples: int = 5, min_segments: int = 20, cv: int = 5, calibrate_min: int = 15,
                 C: float = 4.0, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] | None = (3, 5),
                 max_features: int | None = 100_000, top_k: int = 3, uncoded_as_negative: bool = True,
                 random_state: int = 0, model_dir: str | None = None, use_context: bool = True,
                 use_codebook: bool = True, use_embeddings: bool | None = None, dense_C: float = 1.0,
                 decision: str = "rate", calibration_folds: int = 3, max_rate_ratio: float = 1.25,
                 min_precision: float = 0.3, use_ngrams: bool = True, codebook_prior: bool = False,
                 encoder: str = "auto", cache_dir: str | None = None) -> None:
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
        self.use_context = use_context
        self.use_codebook = use_codebook
        self.use_embeddings = use_embeddings
        self.dense_C = dense_C
        self.decision = decision
        self.calibration_folds = calibration_folds
        self.max_rate_ratio = max_rate_ratio
        self.min_precision = min_precision
        self.use_ngrams = use_ngrams
        self.codebook_prior = codebook_prior
        self.encoder = encoder
        self.cache_dir = cache_dir

    # -- training data ---------------------------------------------------------------------------
    def training_set(self, segments: pd.DataFrame, codings: pd.DataFrame | None,
                     codebook: Codebook) -> tuple["TrainingSet", dict[str, int]]:
        """Human-coded segments (with context and document) plus codebook rows; skipped codes with their counts."""
        from ._context import context_tokens
        from ._train import CODEBOOK_GROUP, TrainingSet, codebook_rows

        segs = check_segments(segments)
        cods = codings if codings is not None else schemas.empty_frame(schemas.CODINGS)
        ids = labelled_segments(segs, cods, uncoded_as_negative=self.uncoded_as_negative)
        labels = segment_codes(segs, cods)
        all_codes = [c.id for c in codebook.codable()]
        y_all = label_matrix(ids, labels, all_codes)
        cb_texts, cb_y = codebook_rows(codebook, all_codes) if self.use_codebook else ([], y_all[:0])
        pos = y_all.sum(axis=0) + cb_y.sum(axis=0)
        neg = len(ids) - y_all.sum(axis=0)
        keep = [j for j, c in enumerate(all_codes) if pos[j] >= self.min_examples and neg[j] >= 2]
        skipped = {c: int(y_all[:, j].sum()) for j, c in enumerate(all_codes) if j not in set(keep)}
        row_of = {sid: i for i, sid in enumerate(segs["segment_id"].astype(str))}
        rows = segs.iloc[[row_of[i] for i in ids]]
        group_col = "group" if "group" in rows else "document_id"
        groups = rows[group_col].astype("string").fillna("").astype(str).tolist()
        context = context_tokens(rows) if self.use_context else [""] * len(rows)
        extra = [i for i, r in enumerate(cb_y[:, keep]) if r.any()]
        ts = TrainingSet(texts=[*rows["text"].astype(str).tolist(), *(cb_texts[i] for i in extra)],
                         context=[*context, *([""] * len(extra))],
                         groups=[*groups, *([CODEBOOK_GROUP] * len(extra))],
                         y=np.vstack([y_all[:, keep], cb_y[extra][:, keep]]).astype(np.int8),
                         codes=[all_codes[j] for j in keep], n_human=len(ids),
                         n_decided=len(decided_segments(segs, cods)))
        return ts, skipped

    def training_data(self, segments: pd.DataFrame, codings: pd.DataFrame | None,
                      codebook: Codebook) -> tuple[list[str], np.ndarray, list[str], dict[str, int]]:
        """(texts, 0/1 labels, trainable codes, skipped codes with their counts) of the human-coded segments."""
        ts, skipped = self.training_set(segments, codings, codebook)
        return ts.texts[:ts.n_human], ts.y[:ts.n_human], ts.codes, skipped

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
    def environment(self) -> dict[str, Any]:
        """Whether the embeddings extra is installed, where that decides if the embedding view is used, and its encoder."""
        from ._embed import encoder_environment

        return encoder_environment(self.use_embeddings, self.encoder)

    def run_notes(self) -> list[str]:
        """W524 when the embedding view was left out because the embeddings extra is not installed."""
        features = getattr(self, "features_", None)
        missing = self.use_embeddings is None and features is not None and "sentence embeddings" not in features
        return [Warnings.W524] if missing else []

    def warm_up(self) -> None:
        """Import scikit-learn's pieces a saved model needs (the slow part of loading one)."""
        import sklearn.calibration  # noqa: F401
        import sklearn.pipeline  # noqa: F401

        from . import _classify, _features  # noqa: F401

    def fit(self, segments: pd.DataFrame, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "ModelSuggester":
        """Train (or load the saved model for the same training data); InputError E376 if too little data."""
        from ._train import fit_parts

        cb = require_codebook(codebook, "know which codes to learn")
        if self.decision not in ("rate", "f1"):
            raise InputError(Errors.E379.format(name=self.name, param="decision", value=self.decision,
                                                allowed="rate or f1"))
        ts, skipped = self.training_set(segments, codings, cb)
        reason = self.insufficient(ts.n_human if ts.n_decided is None else ts.n_decided, ts.codes)
        if reason:
            raise InputError(Errors.E376.format(reason=reason, min_examples=self.min_examples))
        from ._dense import embeddings_installed
        from ._embed import resolve_model

        used = self.use_embeddings is True or (self.use_embeddings is None and embeddings_installed())
        self.encoder_: str | None = resolve_model(self.encoder) if used else None
        emb = self._embeddings(ts.texts)
        if not self.use_ngrams and emb is None:
            raise InputError(Errors.E379.format(name=self.name, param="use_ngrams", value=False,
                                                allowed="True unless sentence embeddings are used"))
        key = self._hash([f"{t}\x1d{c}\x1d{g}" for t, c, g in zip(ts.texts, ts.context, ts.groups)], ts.y, ts.codes,
                         f"{cb.version}|emb={emb is not None}")
        pipeline = self._load(key) if self.use_ngrams else None
        extra = self._load_parts(key) if pipeline is not None else None
        if pipeline is None or extra is None:
            parts = fit_parts(ts, np.arange(len(ts.texts)), ngram_pipeline=self._pipeline(len(ts.texts)),
                              embeddings=emb, dense_C=self.dense_C, prior=self.codebook_prior)
            decision = self._fit_decision(ts, emb)
            if parts.ngram is not None:
                self._save(key, parts.ngram)
                self._save_parts(key, parts, decision)
        else:
            parts, decision = extra
            parts.ngram = pipeline
        self.pipeline_ = parts.ngram
        self.parts_ = parts
        self.decision_ = decision
        self.codes_ = ts.codes
        self.thresholds_ = (dict(zip(ts.codes, self.pipeline_.named_steps["classify"].thresholds_.tolist()))
                            if self.pipeline_ is not None else {c: 0.5 for c in ts.codes})
        self.skipped_codes_ = skipped
        self.training_hash_ = key
        self.n_training_segments_ = ts.n_human
        self.codebook_version_ = cb.version
        self.features_ = [*(["word n-grams"] if self.use_ngrams else []),
                          *(["character n-grams"] if self.char_ngrams and self.use_ngrams else []),
                          *(["context"] if self.use_context else []),
                          *(["codebook text"] if self.use_codebook else []),
                          *(["sentence embeddings"] if parts.dense is not None else []),
                          *(["codebook prior"] if parts.prior is not None else [])]
        return self

    def _embeddings(self, texts: list[str]) -> np.ndarray | None:
        from ._dense import embeddings_installed, encode

        if self.use_embeddings is False or (self.use_embeddings is None and not embeddings_installed()):
            return None
        if not embeddings_installed():
            from ...errors import OptionalDependencyError

            raise OptionalDependencyError(Errors.E372.format(detail="use_embeddings=True"))
        from ._embed import resolve_model

        return encode(texts, self.cache_dir, getattr(self, "encoder_", None) or resolve_model(self.encoder))

    def _fit_decision(self, ts: "TrainingSet", emb: np.ndarray | None) -> "RateDecision | None":
        """The rate-learnt decision on out-of-fold probabilities (None with ``decision="f1"``)."""
        from ._decide import RateDecision
        from ._train import out_of_fold

        if self.decision != "rate":
            return None
        p, y = out_of_fold(ts, folds=self.calibration_folds, make_pipeline=self._pipeline, embeddings=emb,
                           dense_C=self.dense_C, seed=self.random_state, prior=self.codebook_prior)
        return RateDecision(max_rate_ratio=self.max_rate_ratio, min_precision=self.min_precision).fit(p, y)

    def _pipeline(self, n: int) -> "Pipeline | None":
        from sklearn.pipeline import Pipeline

        if not self.use_ngrams:
            return None

        from ._classify import PerCodeLogistic
        from ._features import text_features

        min_df = 2 if n >= 50 else 1
        return Pipeline([
            ("features", text_features(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams, min_df=min_df,
                                       max_features=self.max_features)),
            ("classify", PerCodeLogistic(C=self.C, cv=self.cv, calibrate_min=self.calibrate_min,
                                         random_state=self.random_state, tune_thresholds=self.decision == "f1")),
        ])

    def _views(self, segs: pd.DataFrame) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        from ._context import context_tokens
        from ._train import parts_proba

        texts = segs["text"].astype(str).tolist()
        context = context_tokens(segs) if self.use_context else [""] * len(texts)
        emb = self._embeddings(texts) if self.parts_.dense is not None else None
        return parts_proba(self.parts_, texts, context, emb)

    def predict_proba(self, segments: pd.DataFrame) -> np.ndarray:
        """Probabilities, segments x ``codes_``: the average of the n-gram and (when used) embedding views."""
        check_is_fitted(self)
        return self._views(check_segments(segments))[0]

    def bars(self, proba: np.ndarray) -> np.ndarray:
        """The threshold each (segment, code) probability must reach to be suggested."""
        if self.decision_ is not None:
            return self.decision_.thresholds(proba)
        return np.broadcast_to(np.array([self.thresholds_[c] for c in self.codes_]), proba.shape)

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """For each segment, every code at or above its bar plus the ``top_k`` most probable."""
        check_is_fitted(self)
        segs = check_segments(segments)
        if segs.empty or not self.codes_:
            return schemas.empty_frame(SCORES)
        proba, views = self._views(segs)
        thr = self.bars(proba)
        from ._decide import kept_scores

        df, keep_i, keep_j = kept_scores(segs["segment_id"].to_numpy(), self.codes_, proba, thr, self.top_k)
        parts = [", ".join(f"{k} {v[i, j]:.2f}" for k, v in views.items()) if len(views) > 1 else ""
                 for i, j in zip(keep_i, keep_j)]
        df["evidence"] = [f"p={a:.2f}" + (f" ({v})" if v else "") + f", threshold {b:.2f}"
                          for a, v, b in zip(df["score"], parts, df["threshold"])]
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
            stale.with_name("parts-" + stale.name[len("model-"):]).unlink(missing_ok=True)

    def _parts_path(self, key: str) -> Path | None:
        return Path(self.model_dir) / f"parts-{key[:20]}.npz" if self.model_dir else None

    def _save_parts(self, key: str, parts: "Parts", decision: "RateDecision | None") -> None:
        """The embedding view and the decision as arrays and JSON in an .npz (no pickles)."""
        path = self._parts_path(key)
        if path is None:
            return
        meta = {"hash": key, "context_vocab": parts.context_vocab, "dense": parts.dense is not None,
                "prior": parts.prior is not None,
                "decision": decision.to_data() if decision is not None else None}
        arrays = {**(parts.dense.to_data() if parts.dense is not None else {}),
                  **(parts.prior.to_data() if parts.prior is not None else {})}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)
        tmp.replace(path)

    def _load_parts(self, key: str) -> "tuple[Parts, RateDecision | None] | None":
        from ._decide import RateDecision
        from ._dense import CodebookPrior, DenseLogistic
        from ._train import Parts

        path = self._parts_path(key)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(data["meta"].tobytes().decode())
                dense = DenseLogistic.from_data(data) if meta["dense"] else None
                prior = CodebookPrior.from_data(data) if meta.get("prior") else None
        except (OSError, ValueError, KeyError):
            return None
        if meta.get("hash") != key:
            return None
        decision = RateDecision.from_data(meta["decision"]) if meta.get("decision") else None
        return Parts(None, dense, list(meta["context_vocab"]), prior), decision

    def describe(self) -> dict[str, Any]:
        """What was learned: codes, thresholds, skipped codes, training size (for reports)."""
        check_is_fitted(self)
        return {"codes": list(self.codes_), "thresholds": dict(self.thresholds_), "features": list(self.features_),
                "decision": self.decision_.to_data() if self.decision_ is not None else None,
                "skipped_codes": dict(self.skipped_codes_), "n_training_segments": self.n_training_segments_,
                "training_hash": self.training_hash_}
