"""The similarity suggester's second view: closeness in wording to each code's own text, z-normalised per code.

Sentence embeddings read meaning but blur the words a codebook is written in ("vetting",
"licence conditions", "lived experience"). This view compares a segment with each code's text
(label, definition, include criteria and examples, joined) as TF-IDF vectors of character 4-5-grams
within words, so "vetted", "vetting" and "vets" share most of their pieces without a lemmatiser.
Each code's cosines are turned into z-scores against a background (the study's segments, or the
other codes' texts when there are none), like the embedding view, so the two can be added. A code's
spread is at least half the spread of all codes' scores together: a code whose words the background never uses would
otherwise get a huge z-score from one shared word piece.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


class WordingView:
    """TF-IDF of character n-grams within words; ``z`` gives segments x codes z-scores against the background."""

    def __init__(self, *, ngram_range: tuple[int, int] = (4, 5)) -> None:
        self.ngram_range = ngram_range

    def fit(self, prototypes: Sequence[str], owners: Sequence[int], n_codes: int,
            background: Sequence[str]) -> "WordingView":
        """Learn the vocabulary and each code's vector from ``prototypes`` (code index in ``owners``) and background.

        With fewer than two background texts, a code's mean and spread come from the other codes' prototypes.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        owner = np.asarray(owners, dtype=np.int64)
        docs = [" ".join(t for t, o in zip(prototypes, owner) if o == j) for j in range(n_codes)]
        self.vectorizer_ = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, sublinear_tf=True,
                                           lowercase=True, dtype=np.float32)
        self.vectorizer_.fit([*background, *docs])
        self.codes_matrix_ = self.vectorizer_.transform(docs)
        self.center_ = np.zeros(n_codes, dtype=np.float64)
        self.scale_ = np.ones(n_codes, dtype=np.float64)
        if len(background) >= 2:
            raw = self.raw(background)
            self.center_, self.scale_ = raw.mean(axis=0), raw.std(axis=0)
        else:
            raw = self.raw(list(prototypes))
            for j in range(n_codes):
                others = raw[owner != j, j]
                if len(others) >= 2:
                    self.center_[j], self.scale_[j] = float(others.mean()), float(others.std())
        self.scale_ = np.maximum(self.scale_, max(0.5 * float(raw.std()), 1e-3))
        return self

    def raw(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine of each text's vector to each code's, texts x codes."""
        if not len(texts):
            return np.zeros((0, self.codes_matrix_.shape[0]), dtype=np.float64)
        return np.asarray((self.vectorizer_.transform(list(texts)) @ self.codes_matrix_.T).toarray(), dtype=np.float64)

    def z(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's closeness in wording to each code, in standard deviations above the background's mean."""
        return self.standardise(self.raw(texts))

    def standardise(self, raw: np.ndarray) -> np.ndarray:
        """``raw`` cosines (texts x codes) as z-scores against the background."""
        return (raw - self.center_) / self.scale_
