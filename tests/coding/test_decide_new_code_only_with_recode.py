"""``decide(..., new_code=...)`` with a decision other than ``recode`` is refused before anything is stored.

``study.decide(cid, "accept", new_code="x")`` accepted the suggested code and dropped ``new_code`` without a word,
so the researcher who meant "accept, but as x" got a coding of the code they had just turned down (and "reject"
or "skip" with a new code likewise ignored it). Now a new code with accept, reject or skip is E363, naming the
decision, the code and the way to recode, and the suggestion stays open, unchanged, with no event logged.
The CLI review and the widget, which pass no new code for those decisions, still decide as before.
"""

from __future__ import annotations

import pytest

from coding.manual_support import fill_store, fill_study, suggest
from thematic.coding.review import decide
from thematic.errors import InputError


@pytest.mark.parametrize("decision", ["accept", "reject", "skip"])
def test_a_new_code_with_another_decision_is_refused_and_nothing_changes(study, decision: str) -> None:  # noqa: ANN001
    fill_study(study)
    cid = suggest(study.store, "int-01:3", "funding", 0.9)
    before = study.store.codings()
    events = len(study.store.events())
    with pytest.raises(InputError) as err:
        study.decide(cid, decision, reviewer="AB", new_code="security_vetting")
    message = str(err.value)
    assert err.value.code == "E363" and f"'{decision}'" in message and "'security_vetting'" in message
    assert "recode" in message and cid in message
    assert study.store.codings().equals(before) and len(study.store.events()) == events
    assert study.store.coding(cid)["status"] == "suggested" and list(study.review_queue()["coding_id"]) == [cid]
    assert "AB" not in set(study.store.coverage()["coder"])
    assert study.frequencies().query("code_id == 'security_vetting'")["n_segments"].sum() == 0


def test_the_library_function_refuses_it_too(store) -> None:  # noqa: ANN001
    fill_store(store)
    cid = suggest(store, "int-02:1", "security_vetting", 0.5)
    with pytest.raises(InputError, match="E363"):
        decide(store, cid, "accept", reviewer="AB", new_code="funding")
    assert store.coding(cid)["status"] == "suggested"


def test_decisions_without_a_new_code_and_recode_with_one_still_work(study) -> None:  # noqa: ANN001
    fill_study(study)
    a = suggest(study.store, "int-01:3", "funding", 0.9)
    b = suggest(study.store, "int-02:1", "security_vetting", 0.5)
    c = suggest(study.store, "int-02:3", "generativity", 0.7)
    assert study.decide(a, "accept", reviewer="AB", new_code=None).status == "accepted"
    recoded = study.decide(b, "recode", reviewer="AB", new_code="funding")
    assert recoded.status == "rejected" and study.store.coding(recoded.new_coding_id)["code_id"] == "funding"
    assert study.decide(c, "skip", reviewer="AB").status == "suggested"

