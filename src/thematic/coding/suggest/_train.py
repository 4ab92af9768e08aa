"""What the model suggester trains: human-coded segments plus the codebook's own text, in up to two views.

- **Training rows**: every segment a human decided on, and (``use_codebook``) each code's
  "label. definition", examples and include criteria as extra positive rows for that code, so a
  code with few human examples still has a model.
- **Views**: word + character n-gram TF-IDF with per-code logistic regression (``_classify``), and,
  when the embeddings extra is installed, logistic regression on sentence embeddings (``_dense``).
  Both see the segment's context (``_context``). Their probabilities are averaged: neither view
  wins alone on real studies, the average is best or near best.
- **Decision**: how many codes to suggest is learnt from the human rate (``_decide``), on
  out-of-fold probabilities from folds that keep each document together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ...codebook import Codebook
from ._context import context_onehot, context_vocabulary, with_context

#: The group of codebook rows in a ``TrainingSet``.
CODEBOOK_GROUP = "__codebook__"


@dataclass
class TrainingSet:
    """Rows to learn from: the first ``n_human`` are human-labelled segments, the rest codebook text.

    ``n_decided`` of the human rows are segments a person decided on (coded, reviewed or seen); the
    others are uncoded turns of coded documents, negatives that do not count towards ``min_segments``.
    """

    texts: list[str]
    context: list[str]
    groups: list[str]
    y: np.ndarray
    codes: list[str]
    n_human: int
    n_decided: int | None = None


@dataclass
class Parts:
    """The fitted views (n-gram pipeline; embedding model with its context columns, or None)."""

    ngram: Any
    dense: Any | None
    context_vocab: list[str] = field(default_factory=list)
    prior: Any | None = None


def codebook_rows(cb: Codebook, codes: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Each code's label + definition, examples and include criteria, labelled with that code alone."""
    texts, rows = [], []
    col = {c: j for j, c in enumerate(codes)}
    for code in cb.codable():
        j = col.get(code.id)
        if j is None:
            continue
        items = [f"{code.label}. {code.definition or ''}".strip(), *code.examples, *code.include]
        for t in items:
            if t and t.strip():
                texts.append(t.strip())
                rows.append(j)
    y = np.zeros((len(texts), len(codes)), dtype=np.int8)
    if rows:
        y[np.arange(len(rows)), rows] = 1
    return texts, y


def fit_parts(ts: TrainingSet, rows: np.ndarray, *, ngram_pipeline: Any, embeddings: np.ndarray | None,
              dense_C: float, prior: bool = False) -> Parts:
    """Fit the views on the training rows ``rows`` of ``ts`` (``embeddings``: one vector per row of ``ts``, or None)."""
    texts = with_context([ts.texts[i] for i in rows], [ts.context[i] for i in rows])
    y = ts.y[rows]
    ngram = ngram_pipeline.fit(texts, y) if ngram_pipeline is not None else None
    dense = None
    vocab = context_vocabulary([ts.context[i] for i in rows])
    if embeddings is not None:
        from ._dense import DenseLogistic

        X = np.hstack([embeddings[rows], context_onehot([ts.context[i] for i in rows], vocab)])
        dense = DenseLogistic(C=dense_C).fit(X, y)
    cb_prior = None
    if embeddings is not None and prior:
        from ._dense import CodebookPrior

        is_cb = np.asarray([ts.groups[i] == CODEBOOK_GROUP for i in rows])
        cb_prior = CodebookPrior().fit(embeddings[rows], y, is_cb)
    return Parts(ngram, dense, vocab, cb_prior)


def ngram_proba(ngram: Any, texts: Sequence[str], context: Sequence[str]) -> np.ndarray:
    """The n-gram view's probabilities (its word counts computed the fast way)."""
    from ._features import union_transform

    full = with_context(texts, context)
    steps = getattr(ngram, "named_steps", {})
    if list(steps) != ["features", "classify"]:
        return np.asarray(ngram.predict_proba(full))
    return np.asarray(steps["classify"].predict_proba(union_transform(steps["features"], full)))


def parts_proba(parts: Parts, texts: Sequence[str], context: Sequence[str],
                embeddings: np.ndarray | None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The averaged probabilities (segments x codes) and each view's own."""
    views = {"n-grams": ngram_proba(parts.ngram, texts, context)} if parts.ngram is not None else {}
    if parts.dense is not None and embeddings is not None:
        X = np.hstack([embeddings, context_onehot(context, parts.context_vocab)])
        views["embeddings"] = parts.dense.predict_proba(X)
    if parts.prior is not None and embeddings is not None:
        views["codebook prior"] = parts.prior.predict_proba(embeddings)
    return np.mean(list(views.values()), axis=0), views


def out_of_fold(ts: TrainingSet, *, folds: int, make_pipeline: Any, embeddings: np.ndarray | None, dense_C: float,
                seed: int, prior: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Averaged probabilities of the human rows, each from a model that did not see its document; and their labels."""
    from ..folds import grouped_folds

    import pandas as pd

    human = np.arange(ts.n_human)
    extra = np.arange(ts.n_human, len(ts.texts))
    units = pd.DataFrame({"document_id": [ts.groups[i] for i in human]})
    split = grouped_folds(units, folds, seed=seed)
    p = np.zeros((ts.n_human, len(ts.codes)))
    done = np.zeros(ts.n_human, dtype=bool)
    for train, test in split.splits:
        rows = np.r_[human[train], extra]
        if ts.y[human[train]].sum() == 0:
            continue
        parts = fit_parts(ts, rows, ngram_pipeline=make_pipeline(len(rows)), embeddings=embeddings, dense_C=dense_C,
                          prior=prior)
        emb = embeddings[human[test]] if embeddings is not None else None
        p[test], _ = parts_proba(parts, [ts.texts[i] for i in test], [ts.context[i] for i in test], emb)
        done[test] = True
    return p[done], ts.y[:ts.n_human][done]
