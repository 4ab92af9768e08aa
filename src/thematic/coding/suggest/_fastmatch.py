"""Token-pattern matching over a batch of docs with numpy, for the common simple patterns.

spaCy's ``Matcher`` tries every pattern at every token, which costs ~10 microseconds a token for
a codebook's hundred or so patterns. Most codebook patterns are *simple*: each token is an
equality or ``IN`` set on ``NORM`` or ``LOWER``, optionally with ``"OP": "?"``. Those are matched
here with array lookups: the positions of the first token's values come from one sorted index of
the batch, and each later token filters the candidates. Optional tokens are expanded into both
variants (as spaCy returns both). ``{}`` (any one token) is supported too. Anything else (other attributes or operators) goes to a spaCy
``Matcher``, so results are the same as spaCy's for every pattern (tested).
"""

from __future__ import annotations

from itertools import product
from typing import Any, Mapping, Sequence

import numpy as np

_ATTRS = ("NORM", "LOWER")
_MAX_VARIANTS = 16


def _token_spec(token: Mapping[str, Any], strings: Any) -> tuple[str, np.ndarray] | None:
    """(attr, allowed hashes) for a token that is one equality/IN on NORM or LOWER, else None.

    ``{}`` (any token) gives ``("ANY", [])``.
    """
    if not token:
        return "ANY", np.zeros(0, dtype=np.uint64)
    if len(token) != 1:
        return None
    (attr, value), = token.items()
    if attr not in _ATTRS:
        return None
    if isinstance(value, str):
        values = [value]
    elif isinstance(value, Mapping) and set(value) == {"IN"} and isinstance(value["IN"], list) \
            and all(isinstance(v, str) for v in value["IN"]):
        values = list(value["IN"])
    else:
        return None
    return attr, np.array(sorted({strings.add(v) for v in values}), dtype=np.uint64)


def compile_pattern(pattern: Sequence[Mapping[str, Any]], strings: Any) -> list[list[tuple[str, np.ndarray]]] | None:
    """The pattern as fixed-length variants of token specs, or None if it needs spaCy's Matcher."""
    options: list[list[tuple[str, np.ndarray] | None]] = []
    for token in pattern:
        op = token.get("OP")
        spec = _token_spec({k: v for k, v in token.items() if k != "OP"}, strings)
        if spec is None or op not in (None, "?", "1"):
            return None
        options.append([spec, None] if op == "?" else [spec])
    variants = [[t for t in combo if t is not None] for combo in product(*options)]
    variants = [v for v in variants if v]
    if not variants or len(variants) > _MAX_VARIANTS or any(v[0][0] == "ANY" for v in variants):
        return None
    return variants


def expand_first_token(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """One pattern per value when the first token is ``{"NORM"|"LOWER": {"IN": [...]}}`` (same matches).

    For patterns left to spaCy's Matcher: it tries every pattern's first token at every token, and
    an ``IN`` set there is a Python-level check while plain values are compared in C. Later tokens
    are only checked after a first-token match, so they keep their sets.
    """
    first, rest = pattern[0], pattern[1:]
    if "OP" in first or len(first) != 1:
        return [pattern]
    (attr, value), = first.items()
    if attr not in {"NORM", "LOWER"} or not isinstance(value, Mapping) or set(value) != {"IN"}:
        return [pattern]
    values = value["IN"]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return [pattern]
    return [[{attr: v}, *rest] for v in dict.fromkeys(values)]


def _member(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """``np.isin(values, allowed)`` for a sorted ``allowed``, by binary search (no sort of ``values``)."""
    if not len(allowed):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(allowed, values)
    at[at == len(allowed)] = 0
    return allowed[at] == values


class _Index:
    """Sorted positions of the tokens whose value (of one attribute) is one of ``firsts``, over the batch."""

    def __init__(self, values: np.ndarray, firsts: np.ndarray) -> None:
        pos = np.flatnonzero(_member(values, firsts))
        self.order = pos[np.argsort(values[pos], kind="stable")]
        self.sorted = values[self.order]

    def positions(self, allowed: np.ndarray) -> np.ndarray:
        """Positions (ascending) of the tokens with one of ``allowed`` (a subset of ``firsts``)."""
        lo = np.searchsorted(self.sorted, allowed, side="left")
        hi = np.searchsorted(self.sorted, allowed, side="right")
        parts = [self.order[a:b] for a, b in zip(lo, hi) if b > a]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


class FastMatcher:
    """A drop-in for spaCy's ``Matcher`` over many docs at once: ``add(key, patterns)``, ``match(docs)``."""

    def __init__(self, vocab: Any) -> None:
        from spacy.matcher import Matcher

        self.vocab = vocab
        self.fallback = Matcher(vocab)
        self.n_fallback = 0
        #: Values one of which every fallback pattern needs (None: some pattern needs none; run it on all docs).
        self.anchors: dict[str, set[int]] | None = {"NORM": set(), "LOWER": set()}
        self.compiled: list[tuple[int, list[tuple[str, np.ndarray]]]] = []
        self._first_cache: dict[str, tuple[Any, np.ndarray]] = {}

    def add(self, key: str, patterns: Sequence[Sequence[Mapping[str, Any]]]) -> None:
        """Register patterns under ``key`` (matches report ``vocab.strings[key]``)."""
        key_id = self.vocab.strings.add(key)
        slow = []
        for pattern in patterns:
            variants = compile_pattern(pattern, self.vocab.strings)
            if variants is None:
                slow.append(list(pattern))
            else:
                self.compiled.extend((key_id, v) for v in variants)
        if slow:
            for pattern in slow:
                self._add_anchor(pattern)
            expanded = [p for pattern in slow for p in expand_first_token(pattern)]
            self.fallback.add(key, expanded)
            self.n_fallback += len(expanded)

    def _firsts(self, attr: str) -> np.ndarray:
        """Every value the first token of a compiled pattern can take on ``attr``, sorted."""
        key = (attr, len(self.compiled))
        if self._first_cache.get(attr, (None,))[0] != key:
            values = [t[0][1] for _, t in self.compiled if t[0][0] == attr]
            merged = np.unique(np.concatenate(values)) if values else np.zeros(0, dtype=np.uint64)
            self._first_cache[attr] = (key, merged)
        return self._first_cache[attr][1]

    def _add_anchor(self, pattern: Sequence[Mapping[str, Any]]) -> None:
        """Remember a value every match of ``pattern`` must contain (its first mandatory NORM/LOWER token)."""
        if self.anchors is None:
            return
        for token in pattern:
            if token.get("OP") not in (None, "1", "+"):
                continue
            spec = _token_spec({k: v for k, v in token.items() if k != "OP"}, self.vocab.strings)
            if spec is not None and spec[0] != "ANY":
                self.anchors[spec[0]].update(int(h) for h in spec[1])
                return
        self.anchors = None

    def _run_fallback(self, docs: Sequence[Any], cols: dict[str, np.ndarray], doc_of: np.ndarray,
                      out: list[list[tuple[int, int, int]]]) -> None:
        if self.anchors is None:
            todo = range(len(docs))
        else:
            hit = np.zeros(len(doc_of), dtype=bool)
            for attr, values in self.anchors.items():
                if values:
                    hit |= np.isin(cols[attr], np.array(sorted(values), dtype=np.uint64))
            todo = np.unique(doc_of[hit]).tolist()
        for i in todo:
            out[i].extend(self.fallback(docs[i]))

    def match(self, docs: Sequence[Any]) -> list[list[tuple[int, int, int]]]:
        """Per doc, the (key id, start, end) of every match (like ``Matcher(doc)``, unordered)."""
        from spacy.attrs import LOWER, NORM

        out: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        lengths = np.array([len(d) for d in docs], dtype=np.int64)
        arrays = [d.to_array([NORM, LOWER]) for d in docs if len(d)]
        if not arrays:
            return out
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        table = np.concatenate(arrays).astype(np.uint64)
        doc_of = np.repeat(np.arange(len(docs)), lengths)
        cols = {"NORM": table[:, 0], "LOWER": table[:, 1]}
        if self.n_fallback:
            self._run_fallback(docs, cols, doc_of, out)
        if not self.compiled:
            return out
        index = {a: _Index(cols[a], self._firsts(a)) for a in _ATTRS}
        n = len(table)
        seen: set[tuple[int, int, int, int]] = set()
        for key_id, tokens in self.compiled:
            attr0, allowed0 = tokens[0]
            cand = index[attr0].positions(allowed0)
            size = len(tokens)
            cand = cand[cand + size <= n]
            for k in range(1, size):
                if not len(cand):
                    break
                attr, allowed = tokens[k]
                if attr != "ANY":
                    cand = cand[_member(cols[attr][cand + k], allowed)]
            if size > 1 and len(cand):
                cand = cand[doc_of[cand] == doc_of[cand + size - 1]]
            for pos in cand.tolist():
                d = int(doc_of[pos])
                s = pos - int(starts[d])
                if (key_id, d, s, s + size) not in seen:
                    seen.add((key_id, d, s, s + size))
                    out[d].append((key_id, s, s + size))
        return out
