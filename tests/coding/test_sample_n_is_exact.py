"""`thematic sample --n N` draws exactly N segments, at least one from every stratum.

With one long interview and three one-turn documents, `--n 4` drew 6 segments and `--n 10` drew 12:
every small stratum was raised to one segment and nothing was taken back from the large one, while
the recorded params still said n = 4. Now the large strata give back what the small ones were
raised by, so the sample has N segments whenever N is at least the number of strata; fewer than
that is E604 (every stratum needs one), and nothing is recorded.
"""

from __future__ import annotations

import pytest

from coding.manual_support import make_document
from thematic.coding.sample import draw_sample, sample_params
from thematic.errors import InputError


def _fill(store) -> None:  # noqa: ANN001
    long = []
    for i in range(30):
        long += [("Interviewer", None, True, f"Question {i}?"), ("Ann", "P1", False, f"Answer number {i}.")]
    store.save_document(make_document("long-interview", long))
    for name in ("short-one", "short-two", "short-three"):
        store.save_document(make_document(name, [("Interviewer", None, True, "Anything else?"),
                                                 ("Zed", "P2", False, f"Only the money side, {name}.")]))


@pytest.mark.parametrize("n", [4, 5, 10, 20, 33])
def test_n_is_exact_with_one_segment_from_every_small_stratum(store, n) -> None:  # noqa: ANN001
    _fill(store)
    result = draw_sample(store, coder="SO", n=n, seed=1)
    assert len(result.segments) == n
    assert len(store.sample_segments(result.sample_id)) == n and sample_params(store, result.sample_id)["n"] == n
    strata = result.strata.to_dict()
    assert strata == {"long-interview": n - 3, "short-one": 1, "short-three": 1, "short-two": 1}


def test_every_n_from_the_number_of_strata_to_all_segments_is_exact(store) -> None:  # noqa: ANN001
    _fill(store)
    for n in range(4, 34):
        result = draw_sample(store, coder="SO", n=n, seed=n)
        assert len(result.segments) == n and result.segments["segment_id"].is_unique
        assert set(result.strata.index) == {"long-interview", "short-one", "short-two", "short-three"}


def test_n_below_the_number_of_strata_is_e604_and_records_nothing(store) -> None:  # noqa: ANN001
    _fill(store)
    with pytest.raises(InputError, match=r"\[E604\].*n = 3 is fewer than the 4 strata by 'document'.*raise --n"):
        draw_sample(store, coder="SO", n=3, seed=1)
    assert store.samples().empty
