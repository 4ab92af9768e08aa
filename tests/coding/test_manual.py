"""Manual coding: code / uncode / codings on a real store, and the Study facade."""

from __future__ import annotations

import pytest

from coding.manual_support import codebook, fill_store, fill_study
from thematic.coding.manual import code, codings, resolve_target, uncode
from thematic.errors import CodebookError, InputError, NotFoundError


@pytest.fixture
def filled(store):
    return fill_store(store)


@pytest.fixture
def cb():
    return codebook()


def test_manual_code_segment_stores_quote_version_and_event(filled, cb) -> None:
    c = code(filled, "int-01:1", "generativity", coder="AB", codebook=cb, memo="making amends")
    row = filled.coding(c.id)
    assert row["text"] == filled.segment("int-01:1").text == filled.document_text("int-01")[c.start:c.end]
    assert (row["status"], row["source"], row["codebook_version"], row["memo"]) == ("manual", "manual", "1.2.0",
                                                                                   "making amends")
    assert row["segment_id"] == "int-01:1" and row["coder"] == "AB"
    assert list(filled.events(coding_id=c.id)["kind"]) == ["add"]


def test_manual_code_span_finds_enclosing_segment_and_quotes_it(filled, cb) -> None:
    seg = filled.segment("int-01:3")
    c = code(filled, ("int-01", seg.start, seg.start + 7), "security_vetting", coder="AB", codebook=cb)
    assert (c.text, c.segment_id) == ("Vetting", "int-01:3")
    across = resolve_target(filled, ("int-01", seg.start - 10, seg.start + 3))
    assert across.segment_id is None  # spans two turns: belongs to no single segment


@pytest.mark.parametrize(("target", "message"), [
    (("int-01", 5, 99_999), "[E014]"),
    (("int-01", -1, 4), "[E014]"),
    (("int-01", 8, 8), "[E342]"),
    (("int-01", "x", 4), "[E343]"),
    (42, "[E343]"),
])
def test_manual_code_rejects_bad_offsets_and_targets(filled, cb, target, message) -> None:
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        code(filled, target, "funding", coder="AB", codebook=cb)
    assert filled.codings().empty


def test_manual_code_unknown_document_and_segment_are_not_found(filled, cb) -> None:
    with pytest.raises(NotFoundError, match="E012"):
        code(filled, ("int-99", 0, 4), "funding", coder="AB", codebook=cb)
    with pytest.raises(NotFoundError, match="E015"):
        code(filled, "int-01:77", "funding", coder="AB", codebook=cb)


def test_manual_code_unknown_code_says_did_you_mean(filled, cb) -> None:
    with pytest.raises(InputError, match=r"\[E340\] Unknown code 'gnerativity'. Did you mean 'generativity'\?"):
        code(filled, "int-01:1", "gnerativity", coder="AB", codebook=cb)
    with pytest.raises(InputError, match=r"\[E341\].*'barriers' is a theme.*security_vetting, funding"):
        code(filled, "int-01:1", "barriers", coder="AB", codebook=cb)
    assert filled.codings().empty


def test_manual_code_twice_is_idempotent_and_updates_the_memo(filled, cb) -> None:
    first = code(filled, "int-01:1", "generativity", coder="AB", codebook=cb)
    again = code(filled, "int-01:1", "generativity", coder="AB", codebook=cb, memo="second thoughts")
    assert again.id == first.id and again.memo == "second thoughts"
    assert len(filled.codings()) == 1
    assert list(filled.events(coding_id=first.id)["kind"]) == ["add", "memo"]


def test_manual_uncode_segment_removes_spans_inside_it_and_logs(filled, cb) -> None:
    seg = filled.segment("int-01:1")
    whole = code(filled, "int-01:1", "generativity", coder="AB", codebook=cb)
    part = code(filled, ("int-01", seg.start, seg.start + 6), "generativity", coder="AB", codebook=cb)
    other = code(filled, "int-01:1", "generativity", coder="SO", codebook=cb)
    assert uncode(filled, "int-01:1", "generativity", coder="AB", codebook=cb) == 2
    assert list(filled.codings()["coding_id"]) == [other.id]
    assert filled.events(coding_id=part.id)["kind"].tolist() == ["add", "remove"]
    assert filled.events(coding_id=whole.id)["note"].iloc[-1] == "uncoded"


def test_manual_uncode_exact_span_nothing_and_typo(filled, cb) -> None:
    seg = filled.segment("int-01:1")
    code(filled, "int-01:1", "generativity", coder="AB", codebook=cb)
    assert uncode(filled, ("int-01", seg.start, seg.start + 6), "generativity", coder="AB") == 0  # not that span
    assert uncode(filled, "int-01:1", "funding", coder="AB", codebook=cb) == 0
    with pytest.raises(InputError, match="Did you mean 'generativity'"):
        uncode(filled, "int-01:1", "generativty", coder="AB", codebook=cb)
    assert len(filled.codings()) == 1


def test_manual_codings_filters(filled, cb) -> None:
    code(filled, "int-01:1", "generativity", coder="AB", codebook=cb)
    code(filled, "int-01:3", "funding", coder="AB", codebook=cb)
    code(filled, "int-02:1", "security_vetting", coder="SO", codebook=cb)
    filled.set_status([filled.codings(coder="SO")["coding_id"][0]], "rejected", actor="X")
    assert list(codings(filled, coder="AB")["code_id"]) == ["generativity", "funding"]
    assert list(codings(filled, segment="int-01:3")["code_id"]) == ["funding"]
    assert list(codings(filled, document="int-02")["status"]) == ["rejected"]
    assert set(codings(filled, counted=True)["coder"]) == {"AB"}


def test_manual_study_facade_checks_codebook_and_stamps_version(study) -> None:
    fill_study(study)
    c = study.code("int-02:3", "been_there", coder="SO", memo="in vivo")
    assert c.codebook_version == "1.2.0"
    assert list(study.codings(coder="SO")["code_id"]) == ["been_there"]
    with pytest.raises(InputError, match="Did you mean 'been_there'"):
        study.code("int-02:3", "been_ther", coder="SO")
    assert study.uncode("int-02:3", "been_there", coder="SO") == 1


def test_manual_study_without_codebook_says_where_to_put_it(study) -> None:
    fill_store(study.store)
    with pytest.raises(CodebookError, match=r"\[E202\].*codebook"):
        study.code("int-01:1", "generativity", coder="AB")
