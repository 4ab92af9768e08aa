"""Quote selection: attribution styles, locations, de-duplication, order and the per-code cap."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import select_quotes
from thematic.analysis.quotes import attribution, segment_location
from thematic.errors import InputError


def _q(frames, **kw):
    return select_quotes(frames.codings, frames.segments, frames.participants, frames.codebook,
                         documents=frames.documents, **kw)


def test_quotes_are_the_coded_text_with_attribution_and_location(frames):
    q = _q(frames)
    first = q.loc[q.code_id == "vetting"].iloc[0]
    assert first.text == "The vetting took eleven months and I gave up twice."
    assert first.attribution == "P03 (service user)"
    assert first.location == "Focus group 1, turn 2"  # neutral label: file names may hold names
    part = q.loc[(q.code_id == "shared_experience") & (q.segment_id == "int-01:3")].iloc[0]
    assert part.text == "Been there myself"  # the coded part, not the whole turn


def test_quotes_exclude_interviewer_suggested_and_rejected(frames):
    q = _q(frames)
    assert not q["segment_id"].isin(["int-01:0", "fg-01:2", "int-05:1"]).any()
    assert len(_q(frames, include_suggested=True).query("segment_id == 'fg-01:2'")) == 1


@pytest.mark.parametrize("style,expected", [
    ("pseudonym-role", "P01 (peer mentor)"), ("name-role", "(Jess, peer mentor)"), ("role", "(peer mentor)")])
def test_attribution_styles(frames, style, expected):
    q = _q(frames, style=style)
    assert q.loc[q.participant_id == "P01", "attribution"].iloc[0] == expected


def test_name_role_never_reads_a_name_column():
    attrs = {"role": "staff", "name": "Real Person"}
    assert attribution("P09", attrs, None, style="name-role") == "(P09, staff)"
    assert attribution("P09", attrs, "Dana", style="name-role") == "(Dana, staff)"
    assert attribution(None, {}, None, style="role") == "(participant)"
    with pytest.raises(InputError, match="E403"):
        attribution("P01", {}, None, style="fancy")


def test_location_uses_timestamp_when_present(frames):
    assert segment_location(11, None) == "turn 12"
    assert segment_location(3, 3723.4) == "01:02:03"


def test_location_cites_a_pdf_page_when_there_is_no_timestamp(frames):
    assert segment_location(11, None, "turn", None, 4) == "p. 4"
    assert segment_location(11, None, "turn", None, pd.NA) == "turn 12"
    assert segment_location(3, 3723.4, "turn", None, 4) == "01:02:03"
    segs = frames.segments.assign(page=pd.array([2] * len(frames.segments), dtype="Int64"))
    q = select_quotes(frames.codings, segs, frames.participants, frames.codebook)
    assert len(q) and q["location"].str.endswith("p. 2").all()


def test_quotes_of_documents_and_participants_without_digits(frames):
    """Ids like "allotment" / "ann" (no digits) sort too (pyarrow-backed strings mapped to tuples did not)."""
    def letters(col):  # type: ignore[no-untyped-def]
        return col.map(lambda v: v if pd.isna(v) else v.translate(str.maketrans("0123456789", "abcdefghij")))

    segs = frames.segments.assign(document_id=letters(frames.segments["document_id"]),
                                  participant_id=letters(frames.segments["participant_id"]))
    codings = frames.codings.assign(document_id=letters(frames.codings["document_id"]))
    q = select_quotes(codings, segs, None, frames.codebook)
    assert len(q) == len(select_quotes(frames.codings, frames.segments, None, frames.codebook)) > 0
    assert not q["document_id"].str.contains(r"\d").any()


def test_duplicate_passages_from_two_coders_appear_once(frames):
    dup = frames.codings.loc[frames.codings.code_id == "vetting"].assign(coder="SO", coding_id="dup")
    q = select_quotes(pd.concat([frames.codings, dup]), frames.segments, frames.participants, frames.codebook)
    assert (q.code_id == "vetting").sum() == 1


def test_codes_filter_expands_themes_and_rejects_unknown(frames):
    q = _q(frames, codes="barriers")
    assert set(q.code_id) == {"funding", "vetting"}
    with pytest.raises(InputError, match=r"\[E401\].*'fundng'.*Did you mean 'funding'"):
        _q(frames, codes="fundng")


def test_group_filter(frames):
    q = _q(frames, by="role", groups="service user")
    assert set(q.participant_id) == {"P03"} and set(q.group) == {"service user"}


def test_order_and_chosen_first_and_cap(frames):
    q = _q(frames, codes="shared_experience", order="document")
    # documents in label order: Interview 1 (int-01) ... then Focus group 1 (fg-01)
    assert list(q.segment_id) == ["int-01:1", "int-01:3", "fg-01:3"]
    chosen = _q(frames, codes="shared_experience", order="chosen")
    assert chosen.iloc[0].segment_id == "int-01:1" and bool(chosen.iloc[0].chosen)
    capped = _q(frames, codes="shared_experience", max_quotes=2)
    # breadth first: one from P01 and one from P03 rather than two from P01
    assert sorted(capped.participant_id) == ["P01", "P03"]
    assert list(capped.participant_id) == ["P01", "P03"]  # shown in participant order


def test_document_labels_neutral_title_and_id(frames):
    from thematic.analysis.quotes import document_labels

    neutral = document_labels(frames.segments, frames.documents)
    assert neutral == {"fg-01": "Focus group 1", "int-01": "Interview 1", "int-02": "Interview 2",
                       "int-05": "Interview 3"}
    assert document_labels(frames.segments, frames.documents, mode="title")["int-01"] == "Int 01"
    assert document_labels(frames.segments, frames.documents, mode="id")["int-01"] == "int-01"
    q = _q(frames, document_label="id")
    assert q.loc[q.code_id == "vetting", "location"].iloc[0] == "fg-01, turn 2"


def test_survey_answers_are_located_by_question():
    assert segment_location(4, None, "answer", "What is the biggest barrier to volunteering?") == \
        "Q: What is the biggest barrier to volunteering?"


def test_documents_filter(frames):
    q = _q(frames, in_documents="int-*")
    assert set(q.document_id) == {"int-01", "int-02"}
    with pytest.raises(InputError, match=r"\[E408\] No document matches 'nope\*'"):
        _q(frames, in_documents="nope*")
