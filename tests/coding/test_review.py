"""The review queue and decisions: context, twins, ordering, skip memory, recode, resumability."""

from __future__ import annotations

import pandas as pd
import pytest

from coding.manual_support import codebook, fill_store, fill_study, suggest
from thematic.coding.review import QUEUE_COLUMNS, decide, review_queue, skipped_ids
from thematic.errors import InputError, NotFoundError
from thematic.store import Store


@pytest.fixture
def filled(store):
    fill_store(store)
    suggest(store, "int-01:3", "funding", 0.95)
    suggest(store, "int-02:1", "security_vetting", 0.5)
    suggest(store, "int-02:3", "generativity", 0.7)
    return store


def test_review_queue_has_context_and_only_suggestions(filled) -> None:
    filled.set_status([suggest(filled, "int-01:1", "funding", 0.2)], "rejected", actor="AB")
    q = review_queue(filled)
    assert list(q.columns) == list(QUEUE_COLUMNS)
    assert list(q["segment_id"]) == ["int-01:3", "int-02:1", "int-02:3"]  # document order
    first = q.iloc[0]
    assert first["previous_text"] == "What made it hard?" and pd.isna(first["next_text"])  # last turn
    assert first["segment_text"] == filled.segment("int-01:3").text
    assert (first["speaker"], first["participant_id"]) == ("Dan", "P01")
    assert not q["skipped"].any()


def test_review_queue_most_uncertain_first(filled) -> None:
    q = review_queue(filled, order="uncertain")
    assert list(q["confidence"]) == [0.5, 0.7, 0.95]
    with pytest.raises(InputError, match="E349"):
        review_queue(filled, order="random")


def test_review_queue_filters(filled) -> None:
    assert list(review_queue(filled, code="generativity")["segment_id"]) == ["int-02:3"]
    assert list(review_queue(filled, document="int-01")["code_id"]) == ["funding"]
    assert review_queue(filled, coder="thematic.model.v1").empty


def test_review_twins_show_once_and_one_decision_settles_both(filled) -> None:
    twin = suggest(filled, "int-01:3", "funding", 0.6, suggester="thematic.model.v1")
    q = review_queue(filled)
    assert len(q) == 3
    item = q[q["code_id"] == "funding"].iloc[0]
    assert item["suggesters"] == "thematic.model.v1, thematic.rules.v1" and item["confidence"] == 0.95
    result = decide(filled, item["coding_id"], "accept", reviewer="AB")
    assert twin in result.coding_ids and len(result.coding_ids) == 2
    assert set(filled.codings(code="funding")["status"]) == {"accepted"}
    assert set(filled.codings(code="funding")["reviewer"]) == {"AB"}


def test_review_accept_and_reject_leave_the_queue_resumably(filled) -> None:
    q = review_queue(filled)
    decide(filled, q.coding_id[0], "accept", reviewer="AB")
    decide(filled, q.coding_id[1], "reject", reviewer="AB")
    with Store(filled.path) as session:  # a new session on the same file
        assert list(review_queue(session)["coding_id"]) == [q.coding_id[2]]
    assert filled.coding(q.coding_id[1])["status"] == "rejected"
    kinds = filled.events()["kind"].tolist()
    assert kinds.count("accept") == 1 and kinds.count("reject") == 1
    suggest(filled, "int-02:1", "security_vetting", 0.5)  # suggested again: never re-added
    assert filled.coding(q.coding_id[1])["status"] == "rejected"


def test_review_skip_is_remembered_and_comes_last(filled) -> None:
    q = review_queue(filled)
    result = decide(filled, q.coding_id[0], "skip", reviewer="AB")
    assert result.status == "suggested" and filled.coding(q.coding_id[0])["status"] == "suggested"
    with Store(filled.path) as other:  # a resumed session
        q2 = review_queue(other)
        assert list(q2["coding_id"]) == [q.coding_id[1], q.coding_id[2], q.coding_id[0]]
        assert list(q2["skipped"]) == [False, False, True]
        decide(other, q.coding_id[0], "accept", reviewer="AB")
        assert skipped_ids(other) == set()


def test_review_recode_rejects_and_codes_the_span_as_the_reviewer(filled) -> None:
    cb = codebook()
    q = review_queue(filled)
    result = decide(filled, q.coding_id[1], "recode", reviewer="AB", new_code="hook_for_change", codebook=cb)
    assert filled.coding(q.coding_id[1])["status"] == "rejected"
    new = filled.coding(result.new_coding_id)
    assert (new["code_id"], new["coder"], new["status"], new["source"]) == ("hook_for_change", "AB", "manual", "review")
    assert (new["start"], new["end"], new["text"]) == (q.start[1], q.end[1], q.text[1])
    assert new["codebook_version"] == "1.2.0" and new["suggester"] == "recode:security_vetting"


def test_review_decide_errors(filled) -> None:
    q = review_queue(filled)
    with pytest.raises(InputError, match="E351"):
        decide(filled, q.coding_id[0], "recode", reviewer="AB")
    with pytest.raises(InputError, match="Did you mean 'funding'"):
        decide(filled, q.coding_id[0], "recode", reviewer="AB", new_code="fundng", codebook=codebook())
    with pytest.raises(InputError, match="E349"):
        decide(filled, q.coding_id[0], "maybe", reviewer="AB")
    decide(filled, q.coding_id[0], "accept", reviewer="AB")
    with pytest.raises(InputError, match=r"E036.*already accepted by AB"):
        decide(filled, q.coding_id[0], "reject", reviewer="AB")
    with pytest.raises(NotFoundError, match="E013"):
        decide(filled, "nope", "accept", reviewer="AB")
    assert filled.coding(q.coding_id[0])["status"] == "accepted"


def test_review_empty_queue_and_study_facade(study) -> None:
    fill_study(study)
    assert study.review_queue().empty
    cid = suggest(study.store, "int-02:3", "generativity", 0.7)
    assert list(study.review_queue()["coding_id"]) == [cid]
    study.decide(cid, "recode", reviewer="SO", new_code="been_there")
    assert list(study.codings(coder="SO")["code_id"]) == ["been_there"]


def test_a_survey_answer_is_reviewed_with_its_question_not_other_respondents_answers(store) -> None:
    """Before, the neighbours shown as context were other people's answers, and the question was not shown."""
    import dataclasses

    from coding.manual_support import make_document

    doc = make_document("survey", [("R1", "R1", False, "My mentor had been inside too."),
                                   ("R2", "R2", False, "A job, and somewhere to live."),
                                   ("R3", "R3", False, "Nothing helped.")])
    store.save_document(dataclasses.replace(doc, segments=tuple(
        dataclasses.replace(s, question="What helped you most?", kind="answer") for s in doc.segments)))
    suggest(store, "survey:1", "funding", 0.6)
    item = review_queue(store).iloc[0]
    assert item["question"] == "What helped you most?"
    assert pd.isna(item["previous_text"]) and pd.isna(item["next_text"])


def test_the_review_screen_shows_the_question(store, capsys) -> None:
    import dataclasses

    from coding.manual_support import make_document
    from thematic.cli.review import render_item

    doc = make_document("survey", [("R1", "R1", False, "My mentor had been inside too.")])
    store.save_document(dataclasses.replace(doc, segments=tuple(
        dataclasses.replace(s, question="What helped you most?", kind="answer") for s in doc.segments)))
    suggest(store, "survey:0", "funding", 0.6)
    render_item(next(review_queue(store).itertuples()), 1, 1, codebook())
    assert "Q: What helped you most?" in capsys.readouterr().out
