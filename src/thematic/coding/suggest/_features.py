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
    def _type_counts(texts: Iterable[str], index: dict[str, int]) -> tuple[sp.csr_matrix, list[str]]:
        """Documents x word-type counts; new types are appended to ``index`` (and returned)."""
        from collections import defaultdict

        ids: defaultdict[str, int] = defaultdict(None, index)
        ids.default_factory = ids.__len__  # a new word type gets the next index
        n_before = len(ids)
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            indices.extend(map(ids.__getitem__, text.lower().split()))
            indptr.append(len(indices))
        new = list(ids)[n_before:]
        index.update((w, ids[w]) for w in new)
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
        counts_by_type, words = self._type_counts(X, index)
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
        counts_by_type, new_words = self._type_counts(X, index)
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


def _plain_word_vectorizer(vec: Any) -> bool:
    """True for a fitted TfidfVectorizer whose analysis ``word_counts`` reproduces exactly."""
    return (type(vec) is TfidfVectorizer and vec.analyzer == "word" and vec.lowercase and vec.preprocessor is None
            and vec.tokenizer is None and vec.stop_words is None and vec.strip_accents is None
            and vec.input == "content" and not vec.binary and tuple(vec.ngram_range) in {(1, 1), (1, 2)}
            and hasattr(vec, "vocabulary_") and hasattr(vec, "_tfidf"))


def word_counts(vec: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """``CountVectorizer.transform(texts)`` of a fitted word 1-2-gram vectorizer, with array operations.

    Each text's tokens (the vectorizer's regex on the lowercased text) become integer token types;
    a bigram's vocabulary entry is looked up once per distinct pair of types instead of once per
    occurrence. Same matrix as scikit-learn's (tested): counts, sorted column indices.
    """
    import re
    from collections import defaultdict

    findall = re.compile(vec.token_pattern).findall
    vocab = vec.vocabulary_
    types: defaultdict[str, int] = defaultdict()
    types.default_factory = types.__len__  # a new token type gets the next id
    tokens: list[int] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = findall(text.lower())
        lengths[i] = len(found)
        tokens.extend(map(types.__getitem__, found))
    tok = np.asarray(tokens, dtype=np.int64)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    names = list(types)
    type_feature = np.array([vocab.get(t, -1) for t in names], dtype=np.int64)
    rows, cols = [doc], [type_feature[tok] if len(tok) else tok]
    if tuple(vec.ngram_range) == (1, 2) and len(tok) > 1:
        same = doc[1:] == doc[:-1]
        pairs = tok[:-1][same] * len(names) + tok[1:][same]
        rows.append(doc[:-1][same])
        cols.append(_pair_features(pairs, names, vocab))
    row, col = np.concatenate(rows), np.concatenate(cols)
    keep = col >= 0
    counts = sp.csr_matrix((np.ones(int(keep.sum()), dtype=vec.dtype), (row[keep], col[keep])),
                           shape=(len(texts), len(vocab)))
    counts.sum_duplicates()
    return counts


def _pair_features(pairs: np.ndarray, names: list[str], vocab: dict[str, int]) -> np.ndarray:
    """The vocabulary column of each bigram (-1 if none), given as ``first type * n_types + second type``."""
    n = len(names)
    if n * n <= 1 << 20:  # few types (up to 1,024): a lookup table over every possible pair
        present = np.flatnonzero(np.bincount(pairs, minlength=n * n))
        table = np.full(n * n, -1, dtype=np.int64)
        first, second = np.divmod(present, n)
        table[present] = [vocab.get(names[a] + " " + names[b], -1) for a, b in zip(first.tolist(), second.tolist())]
        return table[pairs]
    unique, inverse = np.unique(pairs, return_inverse=True)
    first, second = np.divmod(unique, n)
    found = np.array([vocab.get(names[a] + " " + names[b], -1) for a, b in zip(first.tolist(), second.tolist())],
                     dtype=np.int64)
    return found[inverse.ravel()]


def union_transform(features: FeatureUnion, texts: Sequence[str]) -> Any:
    """``features.transform(texts)`` for ``text_features``' union, the word part by ``word_counts`` when it can."""
    parts = list(features.transformer_list)
    word = dict(parts).get("word")
    if features.transformer_weights is not None or word is None or not _plain_word_vectorizer(word):
        return features.transform(texts)
    out = []
    for name, trans in parts:
        if trans == "drop":
            continue
        out.append(word._tfidf.transform(word_counts(word, texts), copy=False) if name == "word"
                   else trans.transform(texts))
    return sp.hstack(out).tocsr() if any(sp.issparse(x) for x in out) else np.hstack(out)
