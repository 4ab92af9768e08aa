"""Bins with an open lower end sort first: ``<1`` before ``1-3``, ``Under 25`` before ``25-34``.

Natural order read ``<1`` and ``Under 25`` as text, which sorts after every number, so an attribute
``years_in_role`` came out as ``1-3, 4-10, 10+, <1`` in tables and chart legends, and an age band
``Under 25`` after ``65+``. A bound written before the number (``<``, ``≤``, ``under``, ``less than``,
``below``, ``up to``; ``>``, ``over``, ``more than``, ``above``) now places the value just below (or above)
that number, and such values count as an ordered scale.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import attribute_tallies
from thematic.analysis.ordering import is_ordered, natural_order


@pytest.mark.parametrize("values,expected", [
    (["1-3", "4-10", "10+", "<1"], ["<1", "1-3", "4-10", "10+"]),
    (["25-34", "65+", "Under 25", "35-64"], ["Under 25", "25-34", "35-64", "65+"]),
    (["1-2 years", "less than 1 year", "over 2 years"], ["less than 1 year", "1-2 years", "over 2 years"]),
    (["≤ 5", "6-10", "> 10"], ["≤ 5", "6-10", "> 10"]),
    (["Below 18", "18", "Up to 17"], ["Up to 17", "Below 18", "18"]),
    (["More than 10", "5 to 10", "Fewer than 5"], ["Fewer than 5", "5 to 10", "More than 10"]),
])
def test_open_ended_bins_sort_by_their_bound(values: list[str], expected: list[str]) -> None:
    assert natural_order(values) == expected
    assert is_ordered(values)


def test_plain_words_stay_alphabetical_after_numbers() -> None:
    assert natural_order(["Underwood", "overseas", "2"]) == ["2", "overseas", "Underwood"]
    assert not is_ordered(["Underwood", "2"])


def test_attribute_tally_rows_in_bin_order() -> None:
    people = pd.DataFrame({"participant_id": ["a", "b", "c", "d"],
                           "years_in_role": ["10+", "<1", "1-3", "<1"]})
    tally = attribute_tallies(people, ["years_in_role"])
    groups = [g for g in tally["value"].astype(str).tolist()]
    assert groups == ["<1", "1-3", "10+"]
