"""The bundled example codebook: valid, complete for the rules suggester, and faithful to the reference ids."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from thematic.codebook import load_codebook, validate_codebook

EXAMPLE = Path(__file__).resolve().parents[2] / "codebooks" / "peer-work-desistance.yaml"


@pytest.fixture(scope="module")
def example():
    return load_codebook(EXAMPLE)


def test_example_is_valid_including_spacy_patterns():
    assert validate_codebook(EXAMPLE) == []


def test_example_shape(example):
    assert example.name == "peer-work-desistance" and example.version == "1.0.0"
    assert len(example.themes) == 8 and len(example.codes) == 35
    assert all(c.parent in {t.id for t in example.themes} for c in example.codes)


def test_every_code_has_what_coders_and_rules_need(example):
    for code in example.codes:
        assert code.definition and code.include and code.exclude, code.id
        assert 5 <= len(code.keywords) <= 15, code.id
        assert 1 <= len(code.patterns) <= 3, code.id
        assert 2 <= len(code.examples) <= 3, code.id
        assert code.color and re.fullmatch(r"#[0-9a-f]{6}", code.color), code.id
        assert len(set(code.keywords)) == len(code.keywords), code.id
    colours = [c.color for c in example]
    assert len(set(colours)) == len(colours)


def test_keywords_are_not_shared_between_codes(example):
    """Shared keywords would make the rules suggester propose two codes for the same words."""
    seen: dict[str, str] = {}
    for code in example.codes:
        for kw in code.keywords:
            assert kw.lower() not in seen, f"{kw!r} in {code.id} and {seen.get(kw.lower())}"
            seen[kw.lower()] = code.id


def test_ids_labels_and_hierarchy_match_the_reference(example, shared_dir):
    reference = load_codebook(shared_dir / "codebook-reference.yaml")
    assert list(example.entries) == list(reference.entries)
    for code in reference:
        mine = example[code.id]
        assert (mine.label, mine.parent, mine.is_theme) == (code.label, code.parent, code.is_theme)


def test_definitions_are_in_our_own_words(example, shared_dir):
    reference = load_codebook(shared_dir / "codebook-reference.yaml")
    for code in reference:
        ours, theirs = example[code.id].definition, code.definition
        match = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).find_longest_match()
        assert match.size < 45, (code.id, ours[match.a:match.a + match.size])
