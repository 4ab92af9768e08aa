"""A mistyped filter value is an error naming it, a close match and the known values, never an empty table."""

from __future__ import annotations

import pytest

from coding.manual_support import fill_study, suggest
from thematic.errors import InputError


@pytest.fixture
def filled(study):
    fill_study(study)
    study.code("int-01:1", "funding", coder="AB")
    suggest(study.store, "int-01:3", "security_vetting", 0.8)
    suggest(study.store, "int-02:1", "security_vetting", 0.6)
    return study


def _error(call) -> InputError:
    with pytest.raises(InputError) as err:
        call()
    return err.value


def test_codings_status_typo_is_e016(filled) -> None:
    e = _error(lambda: filled.codings(status="acepted"))
    assert e.code == "E016" and "'acepted'" in str(e) and "accepted" in str(e) and "Did you mean 'accepted'" in str(e)


def test_codings_matches_coders_like_frequencies(filled) -> None:
    assert list(filled.codings(coder="ab")["coder"]) == ["AB"]  # case aside, as frequencies(coder="ab")
    e = _error(lambda: filled.codings(coder="AX"))
    assert e.code == "E409" and "'AX'" in str(e) and "AB" in str(e)
    assert filled.codings(coder="ZZ").empty  # a coder who has not coded yet (like no known one): nothing found


def test_codings_code_and_document_typos(filled) -> None:
    e = _error(lambda: filled.codings(code="fundng"))
    assert e.code == "E340" and "Did you mean 'funding'" in str(e)
    e = _error(lambda: filled.codings(document="int-1"))
    assert e.code == "E408" and "'int-1'" in str(e) and "int-01" in str(e)
    assert len(filled.codings(document="int-*")) == 3  # patterns work as in the tables


def test_review_queue_typos(filled) -> None:
    assert len(filled.review_queue()) == 2
    e = _error(lambda: filled.review_queue(document="int-3"))
    assert e.code == "E408" and "int-01" in str(e)
    e = _error(lambda: filled.review_queue(code="security_veting"))
    assert e.code == "E340" and "Did you mean 'security_vetting'" in str(e)
    assert len(filled.review_queue(code="funding")) == 0  # a real code with nothing waiting is just empty


def test_widget_document_typo(filled) -> None:
    pytest.importorskip("ipywidgets")
    e = _error(lambda: filled.widget(coder="AB", document="int-3"))
    assert e.code == "E408" and "int-01" in str(e)
    assert filled.widget(coder="AB", document="int-02").segment["segment_id"] == "int-02:1"


def test_search_participant_attribute_value_typo(filled) -> None:
    e = _error(lambda: filled.search("vet", participant_attr={"role": "peer mentr"}))
    assert e.code == "E410" and "Did you mean 'peer mentor'" in str(e) and "service user" in str(e)
    assert len(filled.search("vetting", participant_attr={"role": "Peer Mentor"})) > 0
