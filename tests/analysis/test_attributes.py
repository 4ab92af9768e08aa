"""Survey-style attribute tallies and crosstabs on the hand-built participants."""

from __future__ import annotations

import pytest

from thematic.analysis import attribute_tallies, crosstab
from thematic.errors import InputError


def test_tallies_count_every_value_over_all_participants(frames):
    t = attribute_tallies(frames.participants, "role")
    assert list(zip(t["value"], t["n"], t["n_of_N"])) == [
        ("peer mentor", 2, "2 of 5"), ("service user", 2, "2 of 5"), ("staff", 1, "1 of 5")]
    assert t["pct"].tolist() == pytest.approx([40.0, 40.0, 20.0])


def test_tallies_skip_personal_columns_by_default(frames):
    t = attribute_tallies(frames.participants)
    assert set(t["attribute"]) == {"role", "gender", "barriers"}
    assert "Jess" not in set(t["value"])


def test_multi_select_is_split_into_options_and_no_answer_shown(frames):
    t = attribute_tallies(frames.participants, "barriers", multi_select="barriers")
    assert dict(zip(t["value"], t["n"])) == {"funding": 3, "vetting": 2, "stigma": 1, "(no answer)": 1}
    assert t.iloc[-1]["value"] == "(no answer)"
    assert t.loc[t.value == "funding", "n_of_N"].item() == "3 of 5"


def test_crosstab_counts_and_percentages(frames):
    ct = crosstab(frames.participants, "barriers", "role", multi_select="barriers")
    assert ct.loc["funding", "peer mentor"] == 2 and ct.loc["funding", "service user"] == 1
    assert ct.loc["Total", "Total"] == 5 and ct.loc["funding", "Total"] == 3
    assert ct.loc["(no answer)", "staff"] == 1
    pct = crosstab(frames.participants, "barriers", "role", multi_select="barriers", percent="column")
    assert pct.loc["funding", "peer mentor"] == pytest.approx(100.0)
    assert pct.loc["vetting", "service user"] == pytest.approx(50.0)


def test_unknown_attribute_is_a_coded_error(frames):
    with pytest.raises(InputError, match=r"\[E402\] Participants have no attribute 'age'"):
        attribute_tallies(frames.participants, "age")
    with pytest.raises(InputError, match=r"\[E403\]"):
        crosstab(frames.participants, "role", "gender", percent="total")


def test_missing_markers_are_no_answer_and_spellings_one_value_as_in_frequency_tables():
    """Before, a facesheet's 'na' was tallied as an answer and 'Female'/'female ' as two, while the
    frequency tables (and W023/W024) treat them as missing and as one group."""
    import pandas as pd

    people = pd.DataFrame({"participant_id": ["P1", "P2", "P3", "P4", "P5"],
                           "Sex": ["Female", "female ", "na", "M", None],
                           "barriers": ["funding; N/A", "Funding;vetting", "-", "vetting;funding ", "stigma"]})
    t = attribute_tallies(people, "sex")
    assert list(zip(t["value"], t["n"])) == [("Female", 2), ("M", 1), ("(no answer)", 2)]
    m = attribute_tallies(people, "barriers", multi_select="barriers")
    assert dict(zip(m["value"], m["n"])) == {"funding": 3, "vetting": 2, "stigma": 1, "(no answer)": 1}
    ct = crosstab(people, "sex", "barriers", multi_select="barriers")
    assert ct.loc["Female", "funding"] == 2 and ct.loc["(no answer)", "Total"] == 2
