"""The rules suggester: keywords and patterns on lemmas, negation, confidence, the contract."""

from __future__ import annotations

import pytest

from coding.assisted_support import codebook, segments_frame
from thematic.coding.suggest import RulesSuggester, get_suggester
from thematic.coding.suggest._nlp import lemma_of, norm_tokens
from thematic.coding.suggest.rules import pattern_list, translate_pattern
from thematic.errors import InputError, NotFittedError
from thematic.testing import check_suggester


@pytest.fixture(scope="module")
def rules() -> RulesSuggester:
    return RulesSuggester().fit(None, None, codebook())


def _codes(s: RulesSuggester, text: str) -> dict[str, float]:
    out = s.suggest(segments_frame({"s1": text}))
    return dict(zip(out["code_id"], out["confidence"].astype(float)))


def test_rules_norms_are_lowercase_lookup_lemmas() -> None:
    assert norm_tokens("Vetting VETTED vets mentors") == ["vet", "vet", "vet", "mentor"]
    assert lemma_of("Children") == "child"


@pytest.mark.parametrize("text", ["Vetting was slow.", "I was VETTED twice.", "They vet everyone."])
def test_rules_keyword_and_pattern_match_any_inflection_and_case(rules: RulesSuggester, text: str) -> None:
    assert "security_vetting" in _codes(rules, text)


def test_rules_multiword_keyword_matches_on_lemmas(rules: RulesSuggester) -> None:
    found = _codes(rules, "I had walked in their shoes, you see.")
    assert set(found) == {"shared_experience"}


def test_rules_no_match_gives_no_suggestion(rules: RulesSuggester) -> None:
    assert _codes(rules, "We talked about football and the weather.") == {}


def test_rules_more_evidence_gives_higher_confidence(rules: RulesSuggester) -> None:
    one = _codes(rules, "The funding was short.")["funding"]
    two = _codes(rules, "The funding was short and the grant ended with budget cuts.")["funding"]
    assert 0.3 <= one < two <= 0.95


def test_rules_negated_single_mention_is_not_suggested(rules: RulesSuggester) -> None:
    assert "security_vetting" not in _codes(rules, "I never had a problem with vetting.")
    assert "security_vetting" not in _codes(rules, "It didn't take security clearance at all.")


def test_rules_negation_lowers_confidence_beside_other_evidence(rules: RulesSuggester) -> None:
    plain = _codes(rules, "Vetting was slow and they vetted me again at the gate.")["security_vetting"]
    negated = _codes(rules, "Vetting was slow. I was never vetted again at the gate.")["security_vetting"]
    assert negated < plain


def test_rules_negation_stops_at_a_clause_break(rules: RulesSuggester) -> None:
    assert "security_vetting" in _codes(rules, "I never minded it, but the vetting was slow.")


def test_rules_no_and_without_state_an_absence_not_a_negation(rules: RulesSuggester) -> None:
    found = _codes(rules, "There was no funding without a fight.")
    assert found.get("funding", 0) >= 0.4


def test_rules_negation_can_be_switched_off() -> None:
    s = RulesSuggester(negation_factor=1.0).fit(None, None, codebook())
    assert "security_vetting" in _codes(s, "I never had a problem with vetting.")


def test_rules_evidence_names_matches_and_negation(rules: RulesSuggester) -> None:
    out = rules.suggest(segments_frame({"a": "Vetting was slow. I was never vetted again."}))
    evidence = out.loc[out["code_id"] == "security_vetting", "evidence"].iloc[0]
    assert "Vetting" in evidence and "negated: never" in evidence


def test_rules_suggestions_cover_the_segment_span(rules: RulesSuggester) -> None:
    segs = segments_frame({"a": "The weather.", "b": "The funding ran out."})
    out = rules.suggest(segs)
    assert list(out["segment_id"]) == ["b"]
    assert (int(out["start"].iloc[0]), int(out["end"].iloc[0])) == (13, 13 + len("The funding ran out."))
    assert float(out["threshold"].iloc[0]) == pytest.approx(0.3)


def test_rules_translate_pattern_lemmatises_lemma_values_and_lowercases_text() -> None:
    got = translate_pattern([{"LEMMA": "Vetting"}, {"ORTH": "Prison"}, {"lower": {"IN": ["A", "B"]}},
                             {"IS_PUNCT": True, "OP": "?"}])
    assert got == [{"NORM": "vet"}, {"LOWER": "prison"}, {"LOWER": {"IN": ["a", "b"]}}, {"IS_PUNCT": True, "OP": "?"}]


def test_rules_pattern_list_accepts_a_bare_pattern_and_wrapped_ones() -> None:
    assert pattern_list([{"LOWER": "a"}, {"LOWER": "b"}]) == [[{"LOWER": "a"}, {"LOWER": "b"}]]
    assert pattern_list([[{"LOWER": "a"}], {"pattern": [{"LOWER": "b"}]}]) == [[{"LOWER": "a"}], [{"LOWER": "b"}]]
    assert pattern_list(None) == []


def test_rules_needs_a_codebook_and_a_fit() -> None:
    with pytest.raises(InputError, match="E378"):
        RulesSuggester().fit(None, None, None)
    with pytest.raises(NotFittedError, match="E370"):
        RulesSuggester().suggest(segments_frame({"a": "vetting"}))


def test_rules_registered_under_versioned_and_short_name() -> None:
    s = get_suggester("rules", min_confidence=0.5)
    assert isinstance(s, RulesSuggester) and s.name == "thematic.rules.v1" and s.version == "v1"
    assert s.get_params()["min_confidence"] == 0.5


def test_rules_unknown_suggester_name_is_a_coded_error() -> None:
    with pytest.raises(InputError, match=r"E371.*rules"):
        get_suggester("magic")


def test_rules_passes_the_conformance_checks() -> None:
    assert "deterministic" in check_suggester(RulesSuggester())


def test_a_pickled_rules_suggester_carries_no_string_the_process_has_read() -> None:
    """spaCy's matchers pickle the whole shared vocabulary; a Dask worker must not receive names read elsewhere."""
    import pickle

    import cloudpickle

    from thematic.coding.suggest._nlp import lemma_nlp

    s = RulesSuggester().fit(None, None, codebook())
    lemma_nlp().make_doc("Before the interview Zebulonia Quartermaine-Fotheringay told me about the vetting.")
    segs = segments_frame({"a": "The vetting took five months.", "b": "We were in the same boat."})
    for payload in (pickle.dumps(s), cloudpickle.dumps(s)):
        assert b"Zebulonia" not in payload and b"Fotheringay" not in payload
        back = pickle.loads(payload)
        assert back.suggest(segs).equals(s.suggest(segs))
