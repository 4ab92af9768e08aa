"""The stronger model's methods: context features, the rate-learnt decision, n-grams without the embeddings extra."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thematic import schemas
from thematic.codebook import loads_codebook
from thematic.coding.suggest import ModelSuggester
from thematic.coding.suggest._decide import NEVER, RateDecision

SURVEY_CODEBOOK = """\
name: survey-fixture
version: 1.0.0
themes:
- id: survey
  label: Survey answers
  definition: Open-text answers.
codes:
- id: helped
  label: What helped
  parent: survey
  definition: What the respondent says helped them most.
- id: change
  label: One change
  parent: survey
  definition: The one change the respondent asks for.
"""

PHRASES = ["having a mentor who listened", "the peer group on a Tuesday", "someone to ring at night",
           "more time with my key worker", "being treated like a person", "help with housing forms",
           "a lift to appointments", "meeting people who had been inside", "less paperwork at probation",
           "a phone that worked"]
QUESTIONS = {"what_helped_most": "helped", "one_change": "change"}


def _survey(respondents: range) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Answers to two questions in the same words; the code depends only on the question."""
    segs, cods = [], []
    for r in respondents:
        for q, (question, code) in enumerate(QUESTIONS.items()):
            a, b = np.random.default_rng(1000 * r + q).choice(len(PHRASES), 2, replace=False)
            text = f"{PHRASES[a]} and {PHRASES[b]}"  # the same words whichever question it answers
            sid = f"R{r:03d}:{q}"
            segs.append({"segment_id": sid, "document_id": "survey", "index": 2 * r + q, "start": 0,
                         "end": len(text), "is_interviewer": False, "kind": "survey", "question": question,
                         "text": text})
            cods.append({"coding_id": f"c{sid}", "document_id": "survey", "segment_id": sid, "start": 0,
                         "end": len(text), "code_id": code, "coder": "AB", "status": "manual"})
    return (schemas.coerce_frame(pd.DataFrame(segs), schemas.SEGMENTS),
            schemas.coerce_frame(pd.DataFrame(cods), schemas.CODINGS))


def _top_accuracy(model: ModelSuggester, segs: pd.DataFrame) -> float:
    scored = model.scores(segs).sort_values(["segment_id", "score"], ascending=[True, False])
    top = scored.groupby("segment_id")["code_id"].first()
    want = dict(zip(segs["segment_id"], segs["question"].map(QUESTIONS)))
    return float(np.mean([top.get(s) == c for s, c in want.items()]))


@pytest.mark.parametrize("use_context", [True, False])
def test_question_specific_codes_are_learnt_only_with_the_question_feature(use_context: bool) -> None:
    train_segs, train_cods = _survey(range(0, 30))
    test_segs, _ = _survey(range(30, 45))
    cb = loads_codebook(SURVEY_CODEBOOK, path="survey.yaml")
    model = ModelSuggester(use_context=use_context, use_embeddings=False, use_codebook=False, cv=3).fit(
        train_segs, train_cods, cb)
    acc = _top_accuracy(model, test_segs)
    if use_context:
        assert acc >= 0.95 and "context" in model.features_
    else:
        assert acc <= 0.75  # the words cannot tell the two questions apart


def test_rate_decision_learns_one_code_per_segment_where_humans_give_one() -> None:
    rng = np.random.default_rng(0)
    n, k = 300, 6
    truth = rng.integers(0, k, n)
    y = np.zeros((n, k), dtype=int)
    y[np.arange(n), truth] = 1
    p = np.clip(rng.normal(0.35, 0.1, (n, k)), 0, 1)
    p[np.arange(n), truth] += 0.25  # the right code is usually, not always, the most probable
    d = RateDecision(max_rate_ratio=1.25).fit(p, y)
    chosen = p >= d.thresholds(p)
    assert abs(d.human_rate_ - 1.0) < 1e-9
    assert 0.6 <= chosen.sum() / n <= 1.25  # near the human rate, never above the cap
    f1_fixed = 2 * (y & (p >= 0.5)).sum() / ((p >= 0.5).sum() + y.sum())
    assert d.oof_f1_ > f1_fixed  # better than a fixed 0.5 cut-off


def test_rate_decision_silences_a_code_that_is_never_right() -> None:
    n = 100
    p = np.zeros((n, 2))
    y = np.zeros((n, 2), dtype=int)
    y[:, 0] = 1
    p[:, 0] = 0.9
    p[:, 1] = np.linspace(0.5, 0.95, n)  # high scores, never a human code
    d = RateDecision(max_rate_ratio=2.5, min_precision=0.3).fit(p, y)
    assert d.code_bars_[1] == NEVER and d.code_bars_[0] == 0.0
    restored = RateDecision.from_data(d.to_data())
    assert np.array_equal(restored.thresholds(p), d.thresholds(p))


def test_without_embeddings_the_model_uses_ngrams_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.suggest import _dense

    monkeypatch.setattr(_dense, "embeddings_installed", lambda: False)
    segs, cods = _survey(range(0, 20))
    cb = loads_codebook(SURVEY_CODEBOOK, path="survey.yaml")
    model = ModelSuggester(cv=3).fit(segs, cods, cb)
    assert "sentence embeddings" not in model.features_ and "word n-grams" in model.features_
    assert model.parts_.dense is None and not model.suggest(segs).empty


def test_model_parts_are_saved_as_data_and_reloaded(tmp_path) -> None:  # noqa: ANN001
    segs, cods = _survey(range(0, 20))
    cb = loads_codebook(SURVEY_CODEBOOK, path="survey.yaml")
    first = ModelSuggester(cv=3, use_embeddings=False, model_dir=str(tmp_path)).fit(segs, cods, cb)
    parts = list(tmp_path.glob("parts-*.npz"))
    assert len(parts) == 1
    with np.load(parts[0], allow_pickle=False) as data:  # plain arrays, no pickled objects
        assert "meta" in data.files
    second = ModelSuggester(cv=3, use_embeddings=False, model_dir=str(tmp_path)).fit(segs, cods, cb)
    assert second.decision_.to_data() == first.decision_.to_data()
    pd.testing.assert_frame_equal(first.suggest(segs), second.suggest(segs))


def test_codebook_prior_is_normalised_per_code_so_a_generic_code_does_not_dominate() -> None:
    from thematic.coding.suggest._dense import CodebookPrior

    rng = np.random.default_rng(0)
    d, n = 16, 200
    common = np.zeros(d)
    common[0] = 1.0  # every segment leans this way; the generic code's text too
    topic = np.zeros(d)
    topic[1] = 1.0
    segs = common * 0.8 + rng.normal(0, 0.3, (n, d))
    segs[:20] += topic * 1.5  # the first 20 are about the specific code
    segs /= np.linalg.norm(segs, axis=1, keepdims=True)
    texts = np.vstack([common + 0.1 * topic, common * 0.6 + topic])  # codebook rows: generic, specific
    texts /= np.linalg.norm(texts, axis=1, keepdims=True)
    X = np.vstack([segs, texts])
    Y = np.zeros((n + 2, 2), dtype=int)
    Y[:20, 1] = 1
    Y[n, 0] = Y[n + 1, 1] = 1
    prior = CodebookPrior().fit(X, Y, np.r_[np.zeros(n, bool), True, True])
    raw = segs @ prior.centroids_.T
    assert (raw[:, 0] > raw[:, 1]).mean() > 0.5  # raw cosine: the generic code wins most segments
    p = prior.predict_proba(segs)
    assert (p[20:, 0] < 0.5).mean() > 0.8 and (p[:20, 1] > p[:20, 0]).mean() > 0.8
    again = CodebookPrior.from_data(prior.to_data())
    assert np.allclose(again.predict_proba(segs), p)


def test_a_model_with_sentence_embeddings_is_never_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    from thematic.coding.suggest import _dense

    monkeypatch.setattr(_dense, "embeddings_installed", lambda: True)
    assert not ModelSuggester().forkable and ModelSuggester(use_embeddings=False).forkable
    monkeypatch.setattr(_dense, "embeddings_installed", lambda: False)
    assert ModelSuggester().forkable
