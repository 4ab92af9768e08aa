"""The ``rules`` suggester: the codebook's keywords and spaCy token patterns, matched on lemmas.

Keywords go to a ``PhraseMatcher`` and patterns to a ``Matcher``, both on the token attribute
``NORM``, which holds the lowercase lookup lemma (see ``_nlp``): "vetting", "Vetted" and "vet"
all match the keyword "vetting". In patterns, ``LEMMA`` and ``NORM`` values are lemmatised the
same way and ``ORTH``/``TEXT``/``LOWER`` compare lowercase text. The pipeline is blank (no tagger
or parser), so ``POS``/``TAG``/``DEP`` never match: write patterns with lemmas and words.

Confidence: matches of a code that overlap (a keyword and a pattern on the same words) are one
piece of evidence, weighted by the strongest (single-word keyword 0.4, multi-word keyword 0.55,
pattern 0.6; a repeat of words already seen counts half); pieces combine as ``1 - prod(1 - w)``,
capped at 0.95. The default threshold ``min_confidence`` is 0.3: one plain keyword is enough.
Negation rule: a match with a clausal negator (not, n't, never, nobody, nothing, neither, nor,
hardly, barely, none) among the ``negation_window`` tokens before it, in the same clause (no
punctuation or "but"/"although"/"though"/"however" in between), has its weight multiplied by
``negation_factor``. So "I never had a problem with vetting" alone falls below the default
threshold, while a negated match beside other evidence only lowers the confidence. "no" and
"without" are *not* negators here: "no funding", "without support" usually state an absence that
is the topic of a barrier code. Set ``negation_factor=1.0`` to switch the rule off.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import Any, Mapping

import pandas as pd

from ...codebook import Codebook
from .base import Suggester, check_is_fitted, check_segments, require_codebook, scores_frame, suggesters
from ._fastmatch import FastMatcher
from ._nlp import lemma_nlp, lemma_of

NEGATORS = frozenset({"not", "never", "nobody", "nothing", "neither", "nor", "hardly", "barely", "none",
                      "nowhere", "cannot"})
CLAUSE_BREAKS = frozenset({".", ",", ";", ":", "!", "?", "-", "--", "—", "–", "but", "although", "though",
                           "however", "whereas", "yet"})
_LEMMA_KEYS = {"LEMMA", "NORM"}
_TEXT_KEYS = {"ORTH", "TEXT", "LOWER"}


def _map_value(value: Any, fn: Any) -> Any:
    """Apply ``fn`` to a pattern value: a string, or the lists inside ``{"IN": [...]}``-style dicts."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, Mapping):
        return {k: ([fn(v) for v in val] if k in {"IN", "NOT_IN"} and isinstance(val, list)
                    else fn(val) if k in {"==", "!="} and isinstance(val, str) else val)
                for k, val in value.items()}
    return value


def translate_pattern(pattern: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A codebook token pattern rewritten for lemma NORMs: LEMMA/NORM -> NORM (lemmatised), text -> LOWER."""
    out: list[dict[str, Any]] = []
    for token in pattern:
        new: dict[str, Any] = {}
        for key, value in token.items():
            k = str(key).upper()
            if k in _LEMMA_KEYS:
                new["NORM"] = _map_value(value, lambda s: " ".join(lemma_of(w) for w in s.split()) if s else s)
            elif k in _TEXT_KEYS:
                new["LOWER"] = _map_value(value, str.lower)
            else:
                new[k if k != "_" else "_"] = value
        out.append(new)
    return out


def pattern_list(raw: Any) -> list[list[Mapping[str, Any]]]:
    """A code's ``patterns`` entry as a list of token patterns (one pattern alone is accepted)."""
    if not raw:
        return []
    items = list(raw)
    if items and all(isinstance(t, Mapping) for t in items) and not any("pattern" in t for t in items):
        return [items]  # a single pattern written without the outer list
    out = []
    for item in items:
        if isinstance(item, Mapping) and "pattern" in item:
            item = item["pattern"]
        if isinstance(item, list) and item:
            out.append(item)
    return out


@lru_cache(maxsize=1)
def _score_attrs() -> list[int]:
    """The token attributes scoring reads: NORM, IS_PUNCT, IDX, LENGTH."""
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, NORM

    return [NORM, IS_PUNCT, IDX, LENGTH]


@suggesters.register("thematic.rules.v1")
class RulesSuggester(Suggester):
    """Suggest codes whose keywords or patterns occur in a segment (lemma-insensitive, negation-aware).

    Example:
        >>> s = RulesSuggester().fit(segments, None, codebook)
        >>> s.suggest(segments)[["segment_id", "code_id", "confidence", "evidence"]]
    """

    name = "thematic.rules.v1"
    runtime_params = frozenset({"batch_size"})
    forkable = True
    warm_modules = ("spacy",)
    unused_modules = ("torch",)

    def __init__(self, *, keyword_weight: float = 0.4, phrase_weight: float = 0.55, pattern_weight: float = 0.6,
                 min_confidence: float = 0.3, negation_window: int = 5, negation_factor: float = 0.4,
                 batch_size: int = 1000) -> None:
        self.keyword_weight = keyword_weight
        self.phrase_weight = phrase_weight
        self.pattern_weight = pattern_weight
        self.min_confidence = min_confidence
        self.negation_window = negation_window
        self.negation_factor = negation_factor
        self.batch_size = batch_size

    def warm_up(self) -> None:
        """Load spaCy and the lemma pipeline (the slow part of ``fit``)."""
        import spacy.matcher  # noqa: F401

        lemma_nlp()

    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Codebook | None = None) -> "RulesSuggester":
        """Build the matchers from the codebook's keywords and patterns (segments and codings unused)."""
        cb = require_codebook(codebook, "read keywords and patterns from")
        nlp = lemma_nlp()
        rules: dict[int, tuple[str, str, str, float]] = {}
        sources: list[tuple[str, str, Any]] = []
        for code in cb.codable():
            words = [k.strip() for k in code.keywords if k and k.strip()]
            for i, (kw, n_tokens) in enumerate(zip(words, (len(d) for d in nlp.pipe(words)))):
                key = f"{code.id}\x1fkw\x1f{i}"
                weight = self.phrase_weight if n_tokens > 1 else self.keyword_weight
                rules[nlp.vocab.strings.add(key)] = (code.id, "keyword", kw, weight)
                sources.append((key, "keyword", kw))
            for j, pattern in enumerate(pattern_list(code.patterns)):
                key = f"{code.id}\x1fpat\x1f{j}"
                rules[nlp.vocab.strings.add(key)] = (code.id, "pattern", f"#{j + 1}", self.pattern_weight)
                sources.append((key, "pattern", translate_pattern(pattern)))
        self.negators_ = frozenset(nlp.vocab.strings.add(w) for w in NEGATORS)
        self.breaks_ = frozenset(nlp.vocab.strings.add(w) for w in CLAUSE_BREAKS)
        self.sources_ = sources
        self.rules_ = rules
        self.codes_ = [c.id for c in cb.codable()]
        self.codebook_version_ = cb.version
        self.n_rules_ = len(rules)
        self._build_matchers()
        return self

    def _build_matchers(self) -> None:
        """The phrase and pattern matchers of ``sources_``, on this process's lemma pipeline."""
        from spacy.matcher import PhraseMatcher

        nlp = lemma_nlp()
        self.phrase_matcher_ = PhraseMatcher(nlp.vocab, attr="NORM")
        self.matcher_ = FastMatcher(nlp.vocab)
        keywords = [(key, kw) for key, kind, kw in self.sources_ if kind == "keyword"]
        for (key, _), doc in zip(keywords, nlp.pipe([kw for _, kw in keywords])):
            nlp.vocab.strings.add(key)
            self.phrase_matcher_.add(key, [doc])
        for key, kind, pattern in self.sources_:
            if kind == "pattern":
                nlp.vocab.strings.add(key)
                self.matcher_.add(key, [pattern])

    def __getstate__(self) -> dict[str, Any]:
        """Without the matchers: they pickle spaCy's whole vocabulary, every string this process has read
        (names from raw transcripts included), and a Dask worker must not receive that. Rebuilt on unpickling."""
        return {k: v for k, v in self.__dict__.items() if k not in ("phrase_matcher_", "matcher_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if "sources_" in state:
            self._build_matchers()

    def _negated(self, norms: list[int], punct: list[int], start: int) -> int | None:
        """Index of the negator governing the match starting at token ``start``, if any (see module doc)."""
        for i in range(start - 1, max(-1, start - 1 - self.negation_window), -1):
            if punct[i] or norms[i] in self.breaks_:
                return None
            if norms[i] in self.negators_:
                return i
        return None

    def _clusters(self, doc: Any, pattern_matches: list[tuple[int, int, int]]
                  ) -> dict[str, list[tuple[int, int, float, str]]]:
        """Per code, its matches merged where they overlap: (start, end, best weight, kind)."""
        by_code: dict[str, list[tuple[int, int, float, str]]] = {}
        for match_id, start, end in [*self.phrase_matcher_(doc), *pattern_matches]:
            code_id, kind, _, weight = self.rules_[match_id]
            by_code.setdefault(code_id, []).append((start, end, weight, kind))
        merged: dict[str, list[tuple[int, int, float, str]]] = {}
        for code_id, spans in by_code.items():
            out: list[tuple[int, int, float, str]] = []
            for start, end, weight, kind in sorted(spans):
                if out and start < out[-1][1]:
                    s0, e0, w0, k0 = out[-1]
                    out[-1] = (s0, max(e0, end), max(w0, weight), k0 if w0 >= weight else kind)
                else:
                    out.append((start, end, weight, kind))
            merged[code_id] = out
        return merged

    def _score_doc(self, doc: Any, pattern_matches: list[tuple[int, int, int]], text: str | None = None
                   ) -> dict[str, tuple[float, str]]:
        """Confidence and evidence per matched code (see the module doc for the rule).

        ``text`` is the text ``doc`` was made from (``doc.text`` rebuilds it token by token: slow).
        """
        clusters_by_code = self._clusters(doc, pattern_matches)
        if not clusters_by_code:
            return {}
        norms, punct, idx, length = doc.to_array(_score_attrs()).T.tolist()
        if text is None:
            text = doc.text
        negated, factor = self._negated, self.negation_factor
        out = {}
        for code_id, clusters in clusters_by_code.items():
            miss, notes, seen = 1.0, [], set()
            for start, end, weight, kind in clusters:
                key = tuple(norms[start:end])
                neg = negated(norms, punct, start)
                w = weight * (factor if neg is not None else 1.0) * (0.5 if key in seen else 1.0)
                seen.add(key)
                miss *= 1.0 - w
                note = f"{kind} '{text[idx[start]:idx[end - 1] + length[end - 1]]}'"
                notes.append(note if neg is None else f"{note} (negated: {text[idx[neg]:idx[neg] + length[neg]]})")
            out[code_id] = (round(min(0.95, 1.0 - miss), 4), "; ".join(notes))
        return out

    def rule_matches(self, segments: pd.DataFrame) -> pd.DataFrame:
        """Every single match: segment_id, code_id, kind ("keyword"/"pattern"), index in the code's list, negated."""
        check_is_fitted(self)
        segs = check_segments(segments)
        nlp, rows = lemma_nlp(), []
        docs = nlp.pipe(segs["text"].tolist(), batch_size=self.batch_size)
        ids = segs["segment_id"].tolist()
        for lo in range(0, len(ids), self.batch_size):
            batch = list(islice(docs, self.batch_size))
            for sid, doc, found in zip(ids[lo:lo + len(batch)], batch, self.matcher_.match(batch)):
                norms, punct = (doc.to_array(_score_attrs()[:2]).T.tolist() if len(doc) else ([], []))
                for match_id, start, _end in [*self.phrase_matcher_(doc), *found]:
                    code_id, kind, index = nlp.vocab.strings[match_id].split("\x1f")
                    rows.append((sid, code_id, "keyword" if kind == "kw" else "pattern", int(index),
                                 self._negated(norms, punct, start) is not None))
        return pd.DataFrame(rows, columns=["segment_id", "code_id", "kind", "index", "negated"])

    def scores(self, segments: pd.DataFrame) -> pd.DataFrame:
        """Every code with at least one match in a segment, with its confidence and the matches."""
        check_is_fitted(self)
        segs = check_segments(segments)
        rows = []
        ids = segs["segment_id"].tolist()
        texts = segs["text"].tolist()
        docs = lemma_nlp().pipe(texts, batch_size=self.batch_size)
        for lo in range(0, len(ids), self.batch_size):
            batch = list(islice(docs, self.batch_size))
            for sid, text, doc, found in zip(ids[lo:lo + len(batch)], texts[lo:lo + len(batch)], batch,
                                             self.matcher_.match(batch)):
                for code_id, (score, notes) in self._score_doc(doc, found, text).items():
                    rows.append((sid, code_id, score, self.min_confidence, notes))
        return scores_frame(rows)
