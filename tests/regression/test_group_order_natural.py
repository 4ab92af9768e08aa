"""Groups and answers sort naturally: numbers as numbers, rating scales in scale order, text A-Z, missing last.

``--by`` columns, attribute tallies, crosstabs and chart legends sorted group names as text, so a numeric
attribute came out as ``10, 12, 2, 4`` and Likert answers alphabetically (``Agree, Disagree, Neutral,
Strongly agree, Strongly disagree``). One helper (``analysis.ordering``) now gives the order everywhere.
"""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import attribute_tallies, crosstab, frequencies
from thematic.analysis.charts import frequency_chart
from thematic.analysis.frequency import frequency_wide
from thematic.analysis.ordering import is_ordered, natural_order

LIKERT = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]


@pytest.mark.parametrize("values,expected", [
    (["10", "12", "2", "4"], ["2", "4", "10", "12"]),
    ([10, 2.5, 4], [2.5, 4, 10]),
    (["Agree", "Disagree", "Neutral", "Strongly agree", "Strongly disagree"], LIKERT),
    (["neither agree nor disagree", "agree", "strongly DISAGREE"], ["strongly DISAGREE", "neither agree nor disagree",
                                                                   "agree"]),
    (["Often", "Always", "Never", "Sometimes", "Rarely"], ["Never", "Rarely", "Sometimes", "Often", "Always"]),
    (["Good", "Very good", "Poor", "Fair", "Very poor"], ["Very poor", "Poor", "Fair", "Good", "Very good"]),
    (["(missing)", "staff", "Peer mentor", "apprentice"], ["apprentice", "Peer mentor", "staff", "(missing)"]),
    (["(missing)", "10", "2"], ["2", "10", "(missing)"]),
    (["P10", "P2", "P1"], ["P1", "P2", "P10"]),
    (["65+", "18-24", "25-34"], ["18-24", "25-34", "65+"]),
    (["Agree", "Banana", "Disagree"], ["Agree", "Banana", "Disagree"]),  # not a scale: alphabetical
])
def test_natural_order(values, expected) -> None:  # noqa: ANN001
    assert natural_order(values) == expected


def test_is_ordered() -> None:
    assert is_ordered(["2", "10", "(no answer)"]) and is_ordered(LIKERT) and not is_ordered(["staff", "peer"])


def _people() -> pd.DataFrame:
    rows = []
    for i in range(1, 21):
        rows.append({"participant_id": f"P{i:02d}", "visits": str([2, 4, 10, 12][i % 4]),
                     "listened": LIKERT[i % 5] if i != 20 else None, "role": "Staff" if i % 2 else "mentor"})
    rows[0]["listened"] = "Strongly agree"  # unequal counts: a scale still reads in scale order
    return pd.DataFrame(rows)


def _frames():  # noqa: ANN202
    from thematic import schemas
    from thematic.codebook import loads_codebook

    people = _people()
    segs = pd.DataFrame([{"segment_id": f"s{i}", "document_id": "survey", "index": i, "start": i * 10,
                          "end": i * 10 + 9, "participant_id": pid, "is_interviewer": False, "kind": "answer",
                          "text": "Longer opening hours", "speaker": pid}
                         for i, pid in enumerate(people["participant_id"])])
    segs = schemas.coerce_frame(segs, schemas.SEGMENTS)
    cods = pd.DataFrame([{"coding_id": f"c{i}", "document_id": "survey", "segment_id": f"s{i}", "start": i * 10,
                          "end": i * 10 + 9, "code_id": "opening_hours", "coder": "AB", "status": "manual"}
                         for i in range(0, 20, 3)])
    cods = schemas.coerce_frame(cods, schemas.CODINGS)
    cb = loads_codebook("name: cb\nversion: 1.0.0\nthemes:\n- {id: access, label: Access, definition: Access.}\n"
                        "codes:\n- {id: opening_hours, label: Opening hours, parent: access, definition: When.}\n",
                        path="codebooks/cb.yaml")
    return cods, segs, people, cb


def _groups(freq: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(freq.loc[freq["code_id"] == "opening_hours", "group"]))


def test_frequency_groups_sort_numerically_and_in_scale_order() -> None:
    cods, segs, people, cb = _frames()
    assert _groups(frequencies(cods, segs, people, cb, by="visits")) == ["All", "2", "4", "10", "12"]
    assert _groups(frequencies(cods, segs, people, cb, by="listened")) == ["All", *LIKERT, "(missing)"]
    wide = frequency_wide(frequencies(cods, segs, people, cb, by="visits", total=False))
    assert list(wide.columns) == ["label", "kind", "2", "4", "10", "12"]


def test_chart_legend_follows_natural_order() -> None:
    cods, segs, people, cb = _frames()
    freq = frequencies(cods, segs, people, cb, by="visits")
    shuffled = freq.sample(frac=1.0, random_state=3)  # a table sorted some other way still charts in order
    texts = [t.get_text() for t in frequency_chart(shuffled).legends[0].get_texts()]
    assert [t.split(" (")[0] for t in texts] == ["2", "4", "10", "12"]


def test_tallies_of_a_scale_or_numbers_read_in_scale_order_others_by_count() -> None:
    t = attribute_tallies(_people(), ["visits", "listened", "role"])
    assert list(t.loc[t.attribute == "visits", "value"]) == ["2", "4", "10", "12"]
    assert list(t.loc[t.attribute == "listened", "value"]) == [*LIKERT, "(no answer)"]
    role = t.loc[t.attribute == "role"]
    assert list(role["value"]) == ["mentor", "Staff"]  # a tie on n: alphabetical, case aside


def test_crosstab_rows_and_columns_in_natural_order() -> None:
    ct = crosstab(_people(), "listened", "visits")
    assert list(ct.index) == [*LIKERT, "(no answer)", "Total"]
    assert list(ct.columns) == ["2", "4", "10", "12", "Total"]
