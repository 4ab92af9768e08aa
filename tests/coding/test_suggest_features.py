"""The model's fast feature paths give exactly scikit-learn's matrices and probabilities."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from coding.assisted_support import TURNS, codebook, segments_frame, training_frames
from thematic.coding.suggest import ModelSuggester
from thematic.coding.suggest._features import text_features, union_transform, word_counts

TRAIN = [t for ts in TURNS.values() for t in ts]
NEW = ["The vetting took months, the VETTING panel said no.", "", "a b c", "Funding, funding and no funding!",
       "Brand-new words nobody trained on: zyzzyva quokka.", "them and us them and us"]


def _same(a: sp.spmatrix, b: sp.spmatrix) -> bool:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data, b.data))


def test_word_counts_equal_scikit_learn_counts() -> None:
    for ngrams in [(1, 1), (1, 2)]:
        vec = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True).fit(TRAIN)
        assert _same(word_counts(vec, NEW + TRAIN), CountVectorizer.transform(vec, NEW + TRAIN))


def test_word_counts_equal_with_many_word_types() -> None:
    """Over 1,024 token types the bigrams are looked up through np.unique instead of a table."""
    texts = [" ".join(f"w{(i * 40 + j) % 9000:04d}" for j in range(40)) for i in range(300)]
    assert len({w for t in texts for w in t.split()}) > 1024
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=1).fit(texts[:200])
    assert _same(word_counts(vec, texts), CountVectorizer.transform(vec, texts))


def test_union_transform_and_model_probabilities_equal_the_pipeline() -> None:
    features = text_features(min_df=1).fit(TRAIN)
    assert _same(union_transform(features, NEW), features.transform(NEW))
    segs, cods = training_frames()
    model = ModelSuggester(cv=3, use_embeddings=False).fit(segs, cods, codebook())  # the n-gram view alone
    new = segments_frame({f"n{i}": t for i, t in enumerate(NEW)})
    assert np.array_equal(model.predict_proba(new), model.pipeline_.predict_proba(new["text"].astype(str).tolist()))
