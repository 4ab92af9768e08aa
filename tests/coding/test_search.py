"""Search: the four modes, the filters, keyword-in-context rows, and coding hits as one batch."""

from __future__ import annotations

import pytest

from coding.manual_support import codebook, fill_store, fill_study, make_document
from thematic.coding.manual import code
from thematic.coding.search import HITS, code_hits, compile_query, search
from thematic.errors import InputError


@pytest.fixture
def filled(store):
    return fill_store(store)


def _matches(hits) -> list[str]:
    return list(hits["match"])


def test_search_words_are_whole_words_case_insensitive(filled) -> None:
    hits = search(filled, "vetting")
    assert _matches(hits) == ["vetting", "Vetting"]
    assert _matches(search(filled, "vet")) == ["vet"]  # not inside "vetting"
    assert search(filled, "vetting", case_sensitive=True)["match"].tolist() == ["vetting"]


def test_search_lemma_finds_every_form(filled) -> None:
    hits = search(filled, "vet", mode="lemma")
    assert _matches(hits) == ["vetting", "vetted", "Vetting", "vet"]
    assert _matches(search(filled, "vetting", mode="lemma")) == _matches(hits)  # an inflected query too


def test_search_hits_are_kwic_rows_with_document_offsets(filled) -> None:
    hits = search(filled, "funding", context=12)
    assert list(hits.columns) == list(HITS)
    text = filled.document_text("int-01")
    for r in hits.itertuples():
        assert text[r.start:r.end] == r.match
        assert r.left == text[r.start - 12:r.start].replace("\n", " ")
        assert (r.segment_id, r.speaker, r.participant_id) == ("int-01:3", "Dan", "P01")
    assert hits.attrs == {"query": "funding", "mode": "words"}


def test_search_words_must_all_occur_in_one_segment(filled) -> None:
    hits = search(filled, "vetting funding")
    assert set(hits["segment_id"]) == {"int-01:3"}
    assert sorted(_matches(hits)) == ["Vetting", "funding", "funding"]
    assert _matches(search(filled, "vet* months")) == ["vetting", "months", "vetted"]


def test_search_phrase_and_quoted_phrase(filled) -> None:
    assert list(search(filled, "been there", mode="phrase")["segment_id"]) == ["int-01:3", "int-02:3"]
    assert list(search(filled, '"been there" lads')["segment_id"]) == ["int-02:3", "int-02:3"]
    assert search(filled, "there been", mode="phrase").empty


def test_search_apostrophes_match_straight_and_curly(store) -> None:
    store.save_document(make_document("d", [("Ann", "P03", False, "I’ve been vetted. I've waited.")]))
    assert _matches(search(store, "I've")) == ["I’ve", "I've"]


def test_search_regex_and_bad_queries(filled) -> None:
    assert _matches(search(filled, r"fund\w+", mode="regex")) == ["funding", "funding"]
    with pytest.raises(InputError, match="E347"):
        search(filled, "fund(", mode="regex")
    with pytest.raises(InputError, match="E348"):
        search(filled, "   ")
    with pytest.raises(InputError, match=r"E349.*words, phrase, lemma, regex"):
        compile_query("x", "fuzzy")


def test_search_filters_document_speaker_attribute_interviewer(filled) -> None:
    assert set(search(filled, "vet", mode="lemma", document="int-02")["segment_id"]) == {"int-02:1"}
    assert set(search(filled, "vet", mode="lemma", speaker="dan")["speaker"]) == {"Dan"}
    by_role = search(filled, "vet", mode="lemma", participant_attr={"role": ["Peer Mentor"]})
    assert set(by_role["participant_id"]) == {"P01"} and len(by_role) == 3
    assert len(search(filled, "job")) == 2
    assert list(search(filled, "job", include_interviewer=False)["segment_id"]) == ["int-02:1"]


def test_search_unknown_attribute_says_did_you_mean(filled) -> None:
    with pytest.raises(InputError, match=r"E352.*'rol'.*Did you mean 'role'\?.*known: role, site"):
        search(filled, "vet", participant_attr={"rol": "peer mentor"})


def test_search_in_code_keeps_hits_inside_coded_passages(filled) -> None:
    code(filled, "int-02:1", "security_vetting", coder="AB")
    hits = search(filled, "vet", mode="lemma", code="security_vetting")
    assert list(hits["segment_id"]) == ["int-02:1"]


def test_search_code_hits_is_one_reversible_batch_with_provenance(filled) -> None:
    cb = codebook()
    hits = search(filled, "vet", mode="lemma")
    result = code_hits(filled, hits, "security_vetting", coder="AB", query="vet", codebook=cb)
    assert (result.added, result.skipped) == (4, 0)
    coded = filled.codings(batch=result.batch_id)
    assert set(coded["source"]) == {"search"} and set(coded["suggester"]) == {"search:vet"}
    assert set(coded["codebook_version"]) == {"1.2.0"} and set(coded["status"]) == {"manual"}
    assert sorted(coded["text"]) == sorted(_matches(hits))
    assert code_hits(filled, hits, "security_vetting", coder="AB", query="vet").added == 0  # no duplicates
    assert filled.undo_batch(result.batch_id, actor="AB") == 4
    assert filled.codings().empty
    assert (filled.events()["kind"] == "remove").sum() == 4


def test_search_code_hits_segment_scope_codes_each_segment_once(filled) -> None:
    hits = search(filled, "vet", mode="lemma")
    result = code_hits(filled, hits, "security_vetting", coder="AB", query="vet", scope="segment")
    coded = filled.codings(batch=result.batch_id)
    assert list(coded["segment_id"]) == ["int-01:1", "int-01:3", "int-02:1"]
    assert coded["text"].tolist() == [filled.segment(s).text for s in coded["segment_id"]]
    with pytest.raises(InputError, match="E349"):
        code_hits(filled, hits, "funding", coder="AB", query="vet", scope="document")
    with pytest.raises(InputError, match="Did you mean 'funding'"):
        code_hits(filled, hits, "fundng", coder="AB", query="vet", codebook=codebook())


def test_search_study_facade_checks_in_code(study) -> None:
    fill_study(study)
    hits = study.search("vet", mode="lemma")
    assert len(hits) == 4
    with pytest.raises(InputError, match="Did you mean 'security_vetting'"):
        study.search("vet", code="security_vetin")
    result = study.code_hits(hits, "security_vetting", coder="AB")
    assert study.undo(result.batch_id, actor="AB") == 4
