"""Lemma lookups for search: a word's lemma and every inflected form sharing it.

Uses spaCy's English lookup lemmatizer (a blank pipeline with the ``lemmatizer`` in ``lookup``
mode, tables from spacy-lookups-data), so no trained pipeline or download is needed. Searching
expands the query's lemmas to their surface forms once, then scans text with a regular
expression: the same answers as lemmatising every token, at regex speed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import OptionalDependencyError


@lru_cache(maxsize=1)
def lookup_pipeline() -> Any:
    """A blank English spaCy pipeline with the lookup lemmatizer (loaded once per process)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise OptionalDependencyError("Lemma search needs spaCy: `pip install thematic`.") from exc
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=1)
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    """lemma -> the lower-case forms the lookup table maps to it (the table read as strings)."""
    import spacy_lookups_data
    from spacy.util import load_language_data

    table: dict[str, str] = load_language_data(spacy_lookups_data.en["lemma_lookup"])
    inverse: dict[str, set[str]] = {}
    for form, lemma in table.items():
        inverse.setdefault(lemma.lower(), set()).add(form.lower())
    return {k: frozenset(v) for k, v in inverse.items()}


def lemma_of(word: str) -> str:
    """The lookup lemma of one word, case-insensitively (``"Vetting"`` -> ``"vet"``)."""
    doc = lookup_pipeline()(word.lower())
    return (doc[0].lemma_ or doc[0].text) if len(doc) == 1 else word.lower()  # "don't": keep as typed


def lemma_forms(word: str) -> list[str]:
    """Every form sharing ``word``'s lemma, longest first (``"vet"`` -> vetting, vetted, vets, vet)."""
    lemma = lemma_of(word)
    forms = set(_forms_by_lemma().get(lemma, ())) | {lemma, word.lower()}
    return sorted(forms, key=lambda f: (-len(f), f))


__all__ = ["lemma_forms", "lemma_of", "lookup_pipeline"]
