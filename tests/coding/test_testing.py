"""`thematic.testing.check_suggester`: passes conforming suggesters, names the rule a broken one breaks."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from thematic.coding.suggest import RulesSuggester, suggesters
from thematic.coding.suggest.base import Suggester, check_is_fitted, scores_frame
from thematic.testing import CHECKS, check_suggester, example_data


class _Constant(Suggester):
    """Suggests one code everywhere (a minimal, conforming plug-in used by these tests)."""

    name = "tests.constant.v1"

    def __init__(self, *, code: str = "vetting", score: float = 0.9) -> None:
        self.code = code
        self.score = score

    def fit(self, segments=None, codings=None, codebook=None):  # noqa: ANN001, ANN201
        self.fitted_ = True
        return self

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self)
        return scores_frame((sid, self.code, self.score, 0.5, "always") for sid in segments["segment_id"])


class _Noisy(_Constant):
    name = "tests.noisy.v1"

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self)
        return scores_frame((sid, self.code, random.random(), 0.0, "noise") for sid in segments["segment_id"])


class _EagerInit(_Constant):
    name = "tests.eager.v1"

    def __init__(self, *, code: str = "vetting", score: float = 0.9) -> None:
        super().__init__(code=code, score=score)
        self.vocabulary_ = {}


class _Lazy(_Constant):
    name = "tests.lazy.v1"

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:  # forgets check_is_fitted
        return scores_frame((sid, self.code, self.score, 0.5, "always") for sid in segments["segment_id"])


class _Unversioned(_Constant):
    name = "tests.constant"


@pytest.fixture(autouse=True, scope="module")
def _register():  # noqa: ANN202
    for cls in (_Constant, _Noisy, _EagerInit, _Lazy, _Unversioned):
        suggesters.register(cls.name, func=cls)
    yield


def test_check_suggester_passes_every_check_on_a_conforming_plugin() -> None:
    assert check_suggester(_Constant()) == CHECKS


def test_check_suggester_passes_the_built_in_rules() -> None:
    assert check_suggester(RulesSuggester(min_confidence=0.2)) == CHECKS


@pytest.mark.parametrize(("suggester", "check"), [
    (_Noisy(), "deterministic"),
    (_EagerInit(), "init_stores_params"),
    (_Unversioned(), "provenance"),
    (_Constant(code="not_in_codebook"), "suggest_frame"),
    (_Lazy(), "not_fitted"),
    (_Constant(score=1.5), "suggest_frame"),
])
def test_check_suggester_names_the_broken_rule(suggester: Suggester, check: str) -> None:
    with pytest.raises(AssertionError, match=rf"check_suggester\[{check}\]"):
        check_suggester(suggester)


def test_check_suggester_example_data_is_a_small_coded_study() -> None:
    segs, cods, cb = example_data()
    assert len(segs) == 48 and len(cods) == 36 and len(cb.codable()) == 3
    assert set(cods["segment_id"]) <= set(segs["segment_id"])
