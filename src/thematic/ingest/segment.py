"""Segmentation levels: a turn, its paragraphs, or their sentences (spaCy's sentencizer).

All spans are code-point offsets into the document text, trimmed of surrounding whitespace, in
order and never overlapping: ``text[start:end]`` is the segment's text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Sequence

from ..errors import Errors, InputError

if TYPE_CHECKING:
    import numpy as np
    from spacy.language import Language

    from .parsed import Turn

UNITS = ("turn", "paragraph", "sentence")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_PARA_SEP = {True: re.compile(r"\n[ \t]*\n\s*"), False: re.compile(r"\n\s*")}
#: Text sent to spaCy in pieces of at most this many characters (its own limit is 1,000,000).
_MAX_CHUNK = 100_000

Span = tuple[int, int, int, str]  # start, end, index of the turn, segment kind


def check_unit(unit: str) -> str:
    """Return ``unit`` if it is a segmentation level, else raise InputError [E112]."""
    if unit not in UNITS:
        raise InputError(Errors.E112.format(unit=unit))
    return unit


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` so the span neither starts nor ends with whitespace."""
    chunk = text[start:end]
    left = chunk.lstrip()
    start += len(chunk) - len(left)
    return start, start + len(left.rstrip())


def uses_blank_lines(text: str, turns: Sequence["Turn"]) -> bool:
    """True if paragraphs inside turns are separated by blank lines (else by single line breaks)."""
    return any(_BLANK_LINE.search(text, t.start, t.end) for t in turns if t.kind != "answer")


def paragraph_spans(text: str, start: int, end: int, *, blank_lines: bool) -> list[tuple[int, int]]:
    """Paragraphs of ``text[start:end]``: blocks between blank lines, or lines when ``blank_lines`` is False."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _PARA_SEP[blank_lines].finditer(text, start, end):
        s, e = trim(text, pos, m.start())
        if s < e:
            spans.append((s, e))
        pos = m.end()
    s, e = trim(text, pos, end)
    if s < e:
        spans.append((s, e))
    return spans


@lru_cache(maxsize=1)
def sentencizer() -> "Language":
    """The lightest sentence splitter: ``spacy.blank("en")`` plus the rule-based sentencizer (cached)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = _MAX_CHUNK * 2
    return nlp


def _pieces(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, owner) pieces of at most ``_MAX_CHUNK`` characters (only huge paragraphs are cut)."""
    return [(cs, min(e, cs + _MAX_CHUNK), i) for i, (s, e) in enumerate(spans) for cs in range(s, e, _MAX_CHUNK)]


def _groups(pieces: list[tuple[int, int, int]]) -> Iterator[list[tuple[int, int, int]]]:
    """Runs of consecutive pieces whose covering text stays under ``_MAX_CHUNK`` (one tokenizer call each)."""
    group: list[tuple[int, int, int]] = []
    for piece in pieces:
        if group and piece[1] - group[0][0] > _MAX_CHUNK:
            yield group
            group = []
        group.append(piece)
    if group:
        yield group


def _sentence_starts(tok_char: "np.ndarray", is_p: "np.ndarray", is_q: "np.ndarray",
                     piece_starts: "np.ndarray") -> "np.ndarray":
    """Character offsets where sentences start, by the Sentencizer's rule, vectorised.

    The rule (spaCy's ``Sentencizer.predict``, applied to each piece on its own): after a token in
    ``punct_chars``, the next token that is neither punctuation nor in ``punct_chars`` starts a
    sentence. ``is_p`` marks ``punct_chars`` tokens, ``is_q`` those or any punctuation.
    """
    import numpy as np

    piece_of = np.searchsorted(piece_starts, tok_char, side="right") - 1
    first_tok = np.searchsorted(tok_char, piece_starts, side="left")
    other = np.flatnonzero(~is_q)
    if not len(other):
        return other
    seen = np.concatenate(([0], np.cumsum(is_p)))  # punct_chars tokens before each token
    prev = np.concatenate(([-1], other[:-1])) + 1
    since = np.maximum(prev, first_tok[np.maximum(piece_of[other], 0)])
    return tok_char[other[seen[other] - seen[since] > 0]]


def sentence_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The sentences of each span (a paragraph), as trimmed offsets into ``text``.

    Uses the cached ``sentencizer()`` pipeline: its tokenizer on runs of paragraphs at once, and
    its Sentencizer's punctuation rule on whole token arrays (the same boundaries as ``doc.sents``
    paragraph by paragraph, several times faster).
    """
    import numpy as np
    from spacy.attrs import IDX, IS_PUNCT, ORTH

    nlp = sentencizer()
    punct = np.array([nlp.vocab.strings.add(c) for c in nlp.get_pipe("sentencizer").punct_chars], dtype="uint64")
    out: list[list[tuple[int, int]]] = [[] for _ in spans]
    groups = list(_groups(_pieces(spans)))
    # Each group's paragraphs joined by a space (spaCy splits on spaces first, so each paragraph is
    # tokenized as on its own; a newline would glue two words into one slow, uncached span).
    joined_starts = [np.cumsum([0] + [e - s + 1 for s, e, _ in g[:-1]]) for g in groups]
    docs = nlp.tokenizer.pipe((" ".join(text[s:e] for s, e, _ in g) for g in groups), batch_size=64)
    for group, starts_j, doc in zip(groups, joined_starts, docs):
        arr = doc.to_array([ORTH, IS_PUNCT, IDX]).astype("int64")
        is_p = np.isin(arr[:, 0].astype("uint64"), punct)
        starts = _sentence_starts(arr[:, 2], is_p, is_p | (arr[:, 1] != 0), starts_j)
        for (s, e, owner), js in zip(group, starts_j.tolist()):
            inner = starts[np.searchsorted(starts, js, "right"):np.searchsorted(starts, js + e - s, "left")]
            bounds = [s, *(inner + (s - js)).tolist(), e]
            for a, b in zip(bounds, bounds[1:]):
                ts, te = trim(text, a, b)
                if ts < te:
                    out[owner].append((ts, te))
    return out


def split_turns(text: str, turns: Sequence["Turn"], unit: str) -> list[Span]:
    """Cut turns into segments of ``unit``; survey answers always stay whole."""
    check_unit(unit)
    if unit == "turn":
        return [(t.start, t.end, i, t.kind) for i, t in enumerate(turns) if t.start < t.end]
    blank = uses_blank_lines(text, turns)
    paras: list[tuple[int, int, int, str]] = []
    for i, t in enumerate(turns):
        if t.kind == "answer":
            paras.append((t.start, t.end, i, "answer"))
        else:
            paras.extend((s, e, i, "paragraph") for s, e in paragraph_spans(text, t.start, t.end, blank_lines=blank))
    if unit == "paragraph":
        return paras
    to_split = [(s, e) for s, e, _, kind in paras if kind != "answer"]
    sentences = iter(sentence_spans(text, to_split))
    out: list[Span] = []
    for s, e, i, kind in paras:
        if kind == "answer":
            out.append((s, e, i, kind))
        else:
            out.extend((ss, se, i, "sentence") for ss, se in next(sentences))
    return out
