"""FastMatcher: the same matches as spaCy's Matcher, pattern by pattern, over a batch of docs."""

from __future__ import annotations

import pytest

from thematic.coding.suggest._fastmatch import FastMatcher, compile_pattern
from thematic.coding.suggest._nlp import lemma_nlp
from thematic.coding.suggest.rules import translate_pattern

TEXTS = [
    "The vetting took months and they vetted me again at the gate.",
    "Them and us, that's how it was. They looked down on us, them and us all the way.",
    "No money, not money, no funding: we ran the group on nothing.",
    "He was caught out twice, they catch you out for anything.",
    "",
    "Security clearance; security clearance again! The gate, the gate, the gate.",
    "I don't know. They don't get it, staff never understood it.",
]

PATTERNS = {
    "plain": [[{"LEMMA": "vet"}]],
    "in_sets": [[{"LOWER": {"IN": ["them", "us"]}}, {"LOWER": "and"}, {"LOWER": {"IN": ["us", "them"]}}]],
    "lemma_then_text": [[{"LEMMA": {"IN": ["look", "talk"]}}, {"LOWER": "down"}, {"LOWER": {"IN": ["on", "to"]}}]],
    "optional": [[{"LOWER": {"IN": ["they", "staff"]}}, {"LEMMA": "do", "OP": "?"}, {"NORM": {"IN": ["not", "never"]}},
                  {"LEMMA": {"IN": ["get", "understand"]}}, {"LOWER": "it", "OP": "?"}]],
    "wildcard": [[{"LEMMA": "catch"}, {}, {"LOWER": "out"}]],
    "repeated": [[{"LOWER": "the"}, {"LOWER": "gate"}]],
    "fallback_plus": [[{"LOWER": "security"}, {"LOWER": "clearance", "OP": "+"}]],
    "fallback_attr": [[{"IS_PUNCT": True}, {"LOWER": "the"}]],
}


def _spacy_matches(docs, patterns):  # noqa: ANN001, ANN202
    from spacy.matcher import Matcher

    nlp = lemma_nlp()
    matcher = Matcher(nlp.vocab)
    for key, pats in patterns.items():
        matcher.add(key, [translate_pattern(p) for p in pats])
    return [sorted(matcher(d)) for d in docs]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_fastmatch_finds_exactly_what_spacy_finds(name: str) -> None:
    nlp = lemma_nlp()
    docs = list(nlp.pipe(TEXTS))
    fast = FastMatcher(nlp.vocab)
    fast.add(name, [translate_pattern(p) for p in PATTERNS[name]])
    got = [sorted(m) for m in fast.match(docs)]
    assert got == _spacy_matches(docs, {name: PATTERNS[name]})
    assert any(got), name  # every pattern matches somewhere in TEXTS


def test_fastmatch_all_patterns_at_once_and_which_need_spacy() -> None:
    nlp = lemma_nlp()
    docs = list(nlp.pipe(TEXTS))
    fast = FastMatcher(nlp.vocab)
    for key, pats in PATTERNS.items():
        fast.add(key, [translate_pattern(p) for p in pats])
    assert [sorted(m) for m in fast.match(docs)] == _spacy_matches(docs, PATTERNS)
    assert compile_pattern(translate_pattern(PATTERNS["optional"][0]), nlp.vocab.strings) is not None
    assert compile_pattern(translate_pattern(PATTERNS["fallback_plus"][0]), nlp.vocab.strings) is None
    assert fast.n_fallback == 2
