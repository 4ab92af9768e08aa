"""Text features for the model suggester: word and character n-gram TF-IDF.

``CharNgramTfidf`` gives exactly scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` features,
but computes each word type's n-grams once and combines them per document with a sparse matrix
product (documents x word types) @ (word types x n-grams). char_wb n-grams never cross a word
boundary, so the sum is exact; on a million words it is about ten times faster than generating
every n-gram of every document in Python.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import FeatureUnion


class CharNgramTfidf(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """TF-IDF of within-word character n-grams (sklearn's ``char_wb``), computed per word type."""

    def __init__(self, *, ngram_range: tuple[int, int] = (3, 5), min_df: int = 1,
                 max_features: int | None = None, sublinear_tf: bool = True) -> None:
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def _analyzer(self) -> Any:
        return TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.ngram_range)).build_analyzer()

    @staticmethod
    def _type_counts(texts: Iterable[str], index: dict[str, int], grow: bool) -> tuple[sp.csr_matrix, list[str]]:
        """Documents x word-type counts; new types are appended to ``index`` (and returned) when ``grow``."""
        new: list[str] = []
        indices: list[int] = []
        indptr = [0]
        get = index.get
        for text in texts:
            for word in text.lower().split():
                i = get(word)
                if i is None:
                    if not grow:
                        continue
                    i = index[word] = len(index)
                    new.append(word)
                indices.append(i)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        mat = sp.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                            shape=(len(indptr) - 1, len(index)))
        mat.sum_duplicates()
        return mat, new

    def _type_ngrams(self, words: Sequence[str], vocab: dict[str, int] | None) -> tuple[sp.csr_matrix, dict[str, int]]:
        """Word types x n-gram counts; with ``vocab`` fixed, unknown n-grams are dropped."""
        analyzer = self._analyzer()
        grams = dict(vocab) if vocab is not None else {}
        rows, cols = [], []
        for r, word in enumerate(words):
            for g in analyzer(word):
                j = grams.get(g)
                if j is None:
                    if vocab is not None:
                        continue
                    j = grams[g] = len(grams)
                rows.append(r)
                cols.append(j)
        mat = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(words), len(grams)))
        return mat, grams

    def fit(self, X: Iterable[str], y: Any = None) -> "CharNgramTfidf":
        """Learn the n-gram vocabulary (min_df, max_features) and the idf weights."""
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Iterable[str], y: Any = None, **fit_params: Any) -> sp.csr_matrix:
        """Fit, and return the TF-IDF matrix of ``X``."""
        index: dict[str, int] = {}
        counts_by_type, words = self._type_counts(X, index, grow=True)
        type_grams, grams = self._type_ngrams(words, None)
        counts = (counts_by_type @ type_grams).tocsc()
        df = np.diff(counts.indptr) if counts.shape[1] else np.zeros(0, dtype=int)
        keep = np.flatnonzero(df >= self.min_df)
        if self.max_features is not None and len(keep) > self.max_features:
            totals = np.asarray(counts[:, keep].sum(axis=0)).ravel()
            keep = np.sort(keep[np.argsort(-totals, kind="stable")[: self.max_features]])
        names = np.array(sorted(grams, key=grams.__getitem__), dtype=object)[keep]
        self.vocabulary_ = {str(g): i for i, g in enumerate(names)}
        self.word_index_ = index
        self.word_grams_ = type_grams.tocsc()[:, keep].tocsr()
        self.tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        return self.tfidf_.fit_transform(counts[:, keep].tocsr())

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """TF-IDF of ``X``; words unseen in fit contribute their known n-grams."""
        index = dict(self.word_index_)
        counts_by_type, new_words = self._type_counts(X, index, grow=True)
        type_grams = self.word_grams_
        if new_words:
            extra, _ = self._type_ngrams(new_words, self.vocabulary_)
            type_grams = sp.vstack([type_grams, extra], format="csr")
        return self.tfidf_.transform(counts_by_type @ type_grams)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The n-grams, in column order."""
        return np.array(sorted(self.vocabulary_, key=self.vocabulary_.__getitem__), dtype=object)


def text_features(*, word_ngrams: tuple[int, int] = (1, 2), char_ngrams: tuple[int, int] | None = (3, 5),
                  min_df: int = 1, max_features: int | None = 100_000) -> FeatureUnion:
    """Word n-gram TF-IDF, plus char_wb n-gram TF-IDF unless ``char_ngrams`` is None."""
    parts: list[tuple[str, Any]] = [
        ("word", TfidfVectorizer(ngram_range=tuple(word_ngrams), min_df=min_df, sublinear_tf=True,
                                 max_features=max_features, dtype=np.float64)),
    ]
    if char_ngrams is not None:
        parts.append(("char", CharNgramTfidf(ngram_range=tuple(char_ngrams), min_df=min_df,
                                             max_features=max_features)))
    return FeatureUnion(parts)
