"""Double-coding samples: seeded, stratified by document or attribute, recorded, with clear errors."""

from __future__ import annotations

import pytest

from coding.test_double_coding import fill_many
from thematic.coding.sample import draw_sample, sample_params
from thematic.errors import InputError


def test_sample_n_by_attribute_is_seeded_proportional_and_recorded(store) -> None:
    fill_many(store)  # three documents of 24 participant turns; P0 is a "user", P1 and P2 "mentor"s
    one = draw_sample(store, coder="SO", n=12, by="role", seed=4)
    two = draw_sample(store, coder="SO", n=12, by="role", seed=4)
    other = draw_sample(store, coder="SO", n=12, by="role", seed=5)
    assert list(one.segments["segment_id"]) == list(two.segments["segment_id"])
    assert list(one.segments["segment_id"]) != list(other.segments["segment_id"])
    assert one.strata.to_dict() == {"mentor": 8, "user": 4}
    assert len(store.samples()) == 3 and sample_params(store, one.sample_id)["by"] == "role"
    by_doc = draw_sample(store, coder="AB", fraction=0.1, seed=0)
    assert by_doc.strata.to_dict() == {"interview-alpha": 2, "interview-beta": 2, "interview-gamma": 2}


def test_sample_errors_are_coded_and_actionable(store) -> None:
    with pytest.raises(InputError, match=r"\[E603\].*no participant segments"):
        draw_sample(store, coder="SO", fraction=0.2)
    fill_many(store, n_docs=2, turns=4)
    with pytest.raises(InputError, match=r"\[E603\].*exactly one"):
        draw_sample(store, coder="SO", fraction=0.2, n=3)
    with pytest.raises(InputError, match=r"\[E603\].*between 0 and 1"):
        draw_sample(store, coder="SO", fraction=1.5)
    with pytest.raises(InputError, match=r"\[E604\].*'site'.*role"):
        draw_sample(store, coder="SO", n=3, by="site")
    with pytest.raises(InputError, match=r"\[E603\].*HT has seen no segment"):
        draw_sample(store, coder="SO", n=3, of="HT")
