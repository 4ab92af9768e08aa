"""Frequencies on the hand-built study (tests/analysis/conftest.py), where every number is known."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import code_matrix, frequencies, frequency_wide, with_labels
from thematic.errors import InputError


def _row(freq: pd.DataFrame, code: str, group: str = "All") -> pd.Series:
    rows = freq.loc[(freq["code_id"] == code) & (freq["group"] == group)]
    assert len(rows) == 1, (code, group)
    return rows.iloc[0]


def test_frequencies_codes_count_segments_documents_participants(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all")
    shared = _row(freq, "shared_experience")
    assert (shared.n_segments, shared.n_documents, shared.n_participants, shared.N_participants) == (3, 2, 2, 5)
    assert shared.n_of_N == "2 of 5" and shared.pct_participants == pytest.approx(40.0)
    assert shared.label == "Shared experience" and shared.theme_id == "support" and shared.kind == "code"


def test_frequencies_exclude_interviewer_suggested_and_rejected(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all")
    funding = _row(freq, "funding")
    # int-01:3 (manual) and int-02:2 (accepted); not the interviewer turn, the suggestion or the rejection
    assert (funding.n_segments, funding.n_documents, funding.n_participants) == (2, 2, 2)


def test_frequencies_include_suggested_adds_the_suggestion(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", include_suggested=True)
    funding = _row(freq, "funding")
    assert (funding.n_segments, funding.n_participants, funding.n_of_N) == (3, 3, "3 of 5")


def test_frequencies_theme_is_union_of_its_codes(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all")
    support = _row(freq, "support")
    # int-01:1 carries two support codes but counts once: int-01:1, int-01:3, int-02:1, fg-01:3
    assert (support.n_segments, support.n_documents, support.n_participants) == (4, 3, 3)
    assert support.kind == "theme" and support.depth == 0
    barriers = _row(freq, "barriers")
    assert (barriers.n_segments, barriers.n_participants) == (3, 3)


def test_frequencies_parent_code_includes_sub_codes(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all")
    assert _row(freq, "trust").n_participants == 2  # trust (P01) + trust_staff (P02)
    assert _row(freq, "trust_staff").n_participants == 1
    assert _row(freq, "trust_staff").depth == 2


def test_frequencies_follow_codebook_order_and_level(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all")
    assert list(freq["code_id"]) == ["support", "shared_experience", "trust", "trust_staff", "barriers", "funding", "vetting"]
    themes = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", level="theme")
    assert list(themes["code_id"]) == ["support", "barriers"]
    codes = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", level="code")
    assert "support" not in set(codes["code_id"]) and len(codes) == 5


def test_frequencies_by_role_use_group_sizes(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", by="role")
    assert _row(freq, "funding", "peer mentor").n_of_N == "2 of 2"
    assert _row(freq, "funding", "service user").n_of_N == "0 of 2"
    assert _row(freq, "funding", "staff").n_of_N == "0 of 1"
    assert _row(freq, "shared_experience", "service user").n_of_N == "1 of 2"
    assert _row(freq, "shared_experience", "All").n_of_N == "2 of 5"
    assert list(freq.loc[freq.code_id == "funding", "group"]) == ["All", "peer mentor", "service user", "staff"]


def test_frequencies_by_attribute_with_missing_values(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", by="gender", total=False)
    assert set(freq["group"]) == {"female", "male", "(missing)"}
    assert _row(freq, "vetting", "male").n_of_N == "1 of 2"
    assert _row(freq, "vetting", "(missing)").N_participants == 1


def test_frequencies_by_coder(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", coder="HT")
    assert _row(freq, "shared_experience").n_segments == 2  # SO's fg-01:3 is not HT's
    assert _row(freq, "funding").n_segments == 1  # the accepted suggestion belongs to the suggester


def test_frequencies_unknown_attribute_is_a_coded_error(frames):
    with pytest.raises(InputError, match=r"\[E402\].*'site'.*role"):
        frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", by="site")


def test_frequencies_without_codebook_and_uncatalogued_codes(frames):
    extra = frames.codings.copy()
    extra.loc[0, "code_id"] = "not_in_book"
    flat = frequencies(extra, frames.segments, frames.participants, None)
    assert set(flat["kind"]) == {"code"}
    withbook = frequencies(extra, frames.segments, frames.participants, frames.codebook)
    assert withbook.iloc[-1]["code_id"] == "not_in_book" and withbook.iloc[-1]["kind"] == "uncatalogued"


def test_frequency_wide_pivots_groups(frames):
    wide = frequency_wide(frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", by="role"))
    assert list(wide.columns) == ["label", "kind", "All", "peer mentor", "service user", "staff"]
    assert wide.loc["funding", "peer mentor"] == "2 of 2"


def test_code_matrix_participants_and_documents(frames):
    m = code_matrix(frames.codings, frames.segments, frames.participants, frames.codebook, level="code")
    assert list(m.columns) == ["P01", "P02", "P03", "P04", "P05"]
    assert m.loc["shared_experience", "P01"] == 2 and m.loc["shared_experience", "P03"] == 1
    assert m.loc["trust", "P02"] == 1  # trust_staff rolls up into trust
    assert m["P05"].sum() == 0 and m["P04"].sum() == 0
    docs = code_matrix(frames.codings, frames.segments, frames.participants, frames.codebook,
                       columns="document", value="presence")
    assert docs.loc["barriers", ["int-01", "int-02", "fg-01", "int-05"]].tolist() == [1, 1, 1, 0]
    labelled = with_labels(m, frames.codebook)
    assert labelled.iloc[0]["label"] == "Shared experience"


def test_zero_length_and_spanning_codings_map_to_segments(frames):
    from thematic.analysis import coded_segments

    c = frames.codings.iloc[:2].copy()
    c["document_id"] = "int-01"
    seg = frames.segments.set_index("segment_id")
    c.loc[c.index[0], ["start", "end", "segment_id"]] = [seg.loc["int-01:1", "start"] + 3] * 2 + [pd.NA]
    c.loc[c.index[1], ["start", "end", "segment_id"]] = [seg.loc["int-01:1", "start"], seg.loc["int-01:3", "end"], pd.NA]
    hits = coded_segments(c, frames.segments)
    assert sorted(hits.loc[hits.coding_id == c.iloc[0].coding_id, "segment_id"]) == ["int-01:1"]
    # spans turns 1-3: the interviewer turn 2 is dropped
    assert sorted(hits.loc[hits.coding_id == c.iloc[1].coding_id, "segment_id"]) == ["int-01:1", "int-01:3"]


def test_frequencies_restricted_to_documents_count_their_speakers(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, source="all", documents="int-*")
    funding = _row(freq, "funding")
    assert (funding.n_segments, funding.n_participants, funding.N_participants) == (2, 2, 3)  # P01, P02, P05
    assert _row(freq, "vetting").n_segments == 0  # only coded in fg-01


@pytest.mark.parametrize(("sizes", "expected"), [
    ({"interviewees": 1}, "N: 1 interviewee ("),
    ({"interviewees": 1, "survey respondents": 1}, "N: 1 interviewee and 1 survey respondent ("),
    ({"focus-group members": 1, "survey respondents": 4}, "N: 1 focus-group member and 4 survey respondents ("),
    ({"participants": 1}, "N: 1 participant ("),
    ({"interviewees": 3}, "N: 3 interviewees ("),
])
def test_population_note_says_one_person_in_the_singular(sizes: dict[str, int], expected: str) -> None:
    from thematic.analysis.frequency import population_note

    freq = pd.DataFrame({"group": ["All"] * len(sizes), "source": list(sizes), "N_participants": list(sizes.values())})
    assert population_note(freq).startswith(expected)
