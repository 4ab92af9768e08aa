"""Checking the codebook's rules (keywords and patterns) before they misfire, and measuring them on a study.

Two kinds of warning, each with the codebook's file:line:

- ``W380`` a keyword (or a pattern's ``LEMMA``) is not its own lemma, so the rules suggester, which
  matches lemmas, also fires on a different word: the keyword "found" is read as "find" and fires on
  every "finding"; "vetting" is read as "vet" and fires on a veterinarian. Plurals are not reported.
- ``W381`` a rule matches more than ``max_share`` of a reference corpus (the study's segments): a
  word that common says little about one code.

``rule_report`` counts each rule's hits on segments and, where there are human codes, how many of
them were on segments coded with the rule's code (precision), and how many of the code's segments no
rule of the code finds (misses): what a researcher needs to tune the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..codebook import Codebook
from ..codebook.parse import line_of, parse_yaml
from ..errors import Problem, Warnings, display_path
from .suggest._nlp import lemma_of, lemma_table
from .suggest.rules import RulesSuggester, pattern_list

#: Default share of the reference corpus above which a rule is reported as too common (W381).
MAX_SHARE = 0.1
#: A regular form is reported when its base form is this much (natural log) more frequent: about 7 times.
COMMONER = 2.0


@dataclass(frozen=True)
class Rule:
    """One keyword or pattern of a code, with where it is written."""

    code_id: str
    kind: str  # "keyword" or "pattern"
    index: int
    text: str
    line: int | None


def codebook_rules(path: str | Path) -> list[Rule]:
    """Every keyword and pattern of a codebook file, in order, with its line (codes without rules give none)."""
    p = Path(path)
    data = parse_yaml(p.read_text(encoding="utf-8-sig"), str(p))
    rules: list[Rule] = []
    for section in ("themes", "codes"):
        for item in data.get(section) or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            words = item.get("keywords") or []
            kept = [(i, k) for i, k in enumerate(words) if isinstance(k, str) and k.strip()]
            for n, (i, word) in enumerate(kept):
                line = line_of(words, i) or line_of(item, "keywords")
                rules.append(Rule(item["id"], "keyword", n, word.strip(), line))
            raw = item.get("patterns") or []
            for j, pattern in enumerate(pattern_list(raw)):
                line = line_of(raw, j) if len(raw) > j and raw[j] is not None else None
                rules.append(Rule(item["id"], "pattern", j, _pattern_text(pattern), line or line_of(item, "patterns")))
    return rules


def _pattern_text(pattern: Any) -> str:
    def value(v: Any) -> str:
        if isinstance(v, Mapping):
            return "{" + ", ".join(f"{k}: {value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(map(value, v)) + "]"
        return str(v)

    return value(list(pattern))


@lru_cache(maxsize=1)
def _forms() -> dict[str, frozenset[str]]:
    inverse: dict[str, set[str]] = {}
    for form, lemma in lemma_table().items():
        inverse.setdefault(lemma, set()).add(form)
    return {k: frozenset(v) for k, v in inverse.items()}


@lru_cache(maxsize=1)
def word_log_prob() -> dict[str, float]:
    """Log probability of English words in a general corpus (spacy-lookups-data's ``lexeme_prob``, 1M words)."""
    import gzip
    import json

    import spacy_lookups_data

    path = Path(str(spacy_lookups_data.en["lexeme_prob"]))
    if not path.exists():
        path = path.with_name(path.name + ".gz")
    raw = path.read_bytes()
    probs: dict[str, float] = {}
    for word, prob in json.loads(gzip.decompress(raw) if path.suffix == ".gz" else raw).items():
        key = str(word).lower()
        probs[key] = max(probs.get(key, float("-inf")), float(prob))  # "Trade" and "trade": the commoner
    return probs


def _regular(word: str, lemma: str) -> bool:
    """True when ``word`` is a regular inflection of ``lemma`` (-s, -ed, -ing, -er, -est; doubled or dropped letter)."""
    stems = {lemma, lemma + lemma[-1:], lemma[:-1] if lemma.endswith("e") else lemma,
             lemma[:-1] + "i" if lemma.endswith("y") else lemma}
    return any(word == stem + end for stem in stems for end in ("s", "es", "d", "ed", "ing", "er", "est", "r", "st"))


def lemma_collision(word: str, *, commoner: float = COMMONER) -> tuple[str, list[str]] | None:
    """(lemma, other words it matches) when ``word`` is read as a *different* common word, else None.

    Reported: an irregular mapping ("found" -> "find", "left" -> "leave"), or a regular one whose base
    form is at least ``exp(commoner)`` times as frequent in general English, i.e. mostly another word
    ("vetting" -> "vet", "housing" -> "house"). Plurals and base forms are never reported.
    """
    low = " ".join(word.lower().split())
    if " " in low:
        return _phrase_collision(low, commoner)
    lemma = lemma_of(low)
    if lemma == low or not lemma:
        return None
    if low in {lemma + "s", lemma + "es"} or (lemma.endswith("y") and low == lemma[:-1] + "ies"):
        return None
    if _regular(low, lemma):
        probs = word_log_prob()
        base, own = probs.get(lemma), probs.get(low)
        if base is None or own is None or base - own < commoner:
            return None
    others = sorted((_forms().get(lemma, frozenset()) | {lemma}) - {low}, key=lambda f: (len(f), f))
    return lemma, others


def _phrase_collision(phrase: str, commoner: float) -> tuple[str, list[str]] | None:
    """A keyword phrase is read word by word: (its lemmas, the phrases it also matches) when a word of it is a
    form of "be" ("been there" as "be there" fires on "is there", the commonest words); None otherwise.
    Ordinary inflections ("took a chance" also finding "take a chance") are what a phrase of lemmas is for.
    """
    words = phrase.split()
    hits = [lemma_collision(w, commoner=commoner) if _misread_in_phrase(w) else None for w in words]
    if not any(hits):
        return None
    lemmas = [hit[0] if hit else lemma_of(w) or w for w, hit in zip(words, hits)]
    i = next(k for k, hit in enumerate(hits) if hit)  # vary the first word read as another
    forms = [f for f in hits[i][1] if f.isalpha() and len(f) > 1]  # type: ignore[index]
    others = [" ".join([*words[:i], form, *words[i + 1:]]) for form in forms]
    return " ".join(lemmas), [o for o in others if o != phrase]


def _misread_in_phrase(word: str) -> bool:
    """True for a form of "be" other than "be" itself: a phrase of lemmas then matches every is/are/was."""
    return word != "be" and lemma_of(word) == "be"


def _pattern_lemmas(pattern: Any) -> list[str]:
    words: list[str] = []
    for token in pattern if isinstance(pattern, list) else []:
        if not isinstance(token, Mapping):
            continue
        for key, value in token.items():
            if str(key).upper() not in ("LEMMA", "NORM"):
                continue
            if isinstance(value, str):
                words.append(value)
            elif isinstance(value, Mapping):
                for op in ("IN", "=="):
                    v = value.get(op)
                    words.extend([v] if isinstance(v, str) else [x for x in v or [] if isinstance(x, str)])
    return words


def lemma_warnings(path: str | Path) -> list[Problem]:
    """W380 for every keyword or pattern lemma that the lemmatiser maps onto a different word."""
    p = Path(path)
    data = parse_yaml(p.read_text(encoding="utf-8-sig"), str(p))
    shown = display_path(p)
    problems: list[Problem] = []
    for rule in codebook_rules(p):
        if rule.kind != "keyword":
            continue
        hit = lemma_collision(rule.text)
        if hit is not None:
            problems.append(_w380(shown, rule.line, rule.code_id, f"keyword '{rule.text}'", rule.text, *hit))
    for section in ("themes", "codes"):
        for item in data.get(section) or []:
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            raw = item.get("patterns") or []
            for j, pattern in enumerate(pattern_list(raw)):
                for word in _pattern_lemmas(pattern):
                    hit = lemma_collision(word)
                    if hit is not None:
                        line = (line_of(raw, j) if len(raw) > j else None) or line_of(item, "patterns")
                        problems.append(_w380(shown, line, item["id"], f"pattern #{j + 1}", word, *hit))
    return sorted(problems, key=lambda q: q.line or 0)


def _w380(path: str, line: int | None, code_id: str, what: str, word: str, lemma: str,
          others: list[str]) -> Problem:
    listed = ", ".join(others[:6]) + ("…" if len(others) > 6 else "")
    words = word.lower().split()
    fix = ("[" + ", ".join(f"{{LOWER: {w}}}" for w in words) + "]" if len(words) > 1
           else f"[{{LOWER: {{IN: [{word}]}}}}]")
    message = Warnings.W380.format(code=code_id, what=what, word=word, lemma=lemma, others=listed, fix=fix)
    return Problem(path, line, "W380", message.split("] ", 1)[1])


def rule_report(cb: Codebook, segments: pd.DataFrame, labels: Mapping[str, set[str]] | None = None,
                rules: list[Rule] | None = None, *, code: str | None = None) -> pd.DataFrame:
    """One row per rule: hits (segments matched), share of all segments, hits on the code, precision, negated
    (segments with a negated match: the same unit as hits, so never more).

    ``labels`` (segment id -> human codes) adds ``on_code`` and ``precision``; without them those are NA.
    ``rules`` (from ``codebook_rules``) adds each rule's line; ``code`` keeps one code's rules.
    """
    s = RulesSuggester().fit(None, None, cb)
    found = s.rule_matches(segments)
    n = max(len(segments), 1)
    wanted = [c for c in cb.codable() if code is None or c.id == code]
    lines = {(r.code_id, r.kind, r.index): r.line for r in rules or []}
    rows = []
    for c in wanted:
        listed = [("keyword", i, k.strip()) for i, k in enumerate(k for k in c.keywords if k and k.strip())]
        listed += [("pattern", j, _pattern_text(p)) for j, p in enumerate(pattern_list(c.patterns))]
        for kind, index, text in listed:
            mine = found[(found["code_id"] == c.id) & (found["kind"] == kind) & (found["index"] == index)]
            hit = set(mine["segment_id"].astype(str))
            on_code = sum(c.id in labels.get(sid, ()) for sid in hit) if labels is not None else None
            rows.append({"code_id": c.id, "kind": kind, "rule": text, "line": lines.get((c.id, kind, index)),
                         "hits": len(hit), "share": len(hit) / n, "on_code": on_code,
                         "precision": (on_code / len(hit) if hit else float("nan")) if on_code is not None else None,
                         "negated": int(mine.loc[mine["negated"].astype(bool), "segment_id"].nunique())})
    return pd.DataFrame(rows, columns=["code_id", "kind", "rule", "line", "hits", "share", "on_code", "precision",
                                       "negated"])


def code_coverage(cb: Codebook, segments: pd.DataFrame, labels: Mapping[str, set[str]],
                  *, code: str | None = None) -> pd.DataFrame:
    """Per code: human-coded segments, how many any of its rules finds, the misses and the rules' own hits."""
    found = RulesSuggester().fit(None, None, cb).rule_matches(segments)
    ids = set(segments["segment_id"].astype(str))
    rows = []
    for c in cb.codable():
        if code is not None and c.id != code:
            continue
        human = {sid for sid in ids if c.id in labels.get(sid, ())}
        hit = set(found.loc[found["code_id"] == c.id, "segment_id"].astype(str))
        rows.append({"code_id": c.id, "human": len(human), "found": len(human & hit), "missed": len(human - hit),
                     "fired": len(hit), "precision": len(human & hit) / len(hit) if hit else float("nan"),
                     "recall": len(human & hit) / len(human) if human else float("nan")})
    return pd.DataFrame(rows)


def corpus_warnings(report: pd.DataFrame, path: str | Path, n_segments: int, *, max_share: float = MAX_SHARE,
                    corpus: str = "the study's segments") -> list[Problem]:
    """W381 for each rule of ``report`` that matches more than ``max_share`` of the corpus."""
    shown = display_path(path)
    out = []
    for r in report.itertuples():
        if r.share > max_share:
            message = Warnings.W381.format(code=r.code_id, what=f"{r.kind} '{r.rule}'", share=r.share,
                                           hits=r.hits, n=n_segments, corpus=corpus, max_share=max_share)
            out.append(Problem(shown, None if pd.isna(r.line) else int(r.line), "W381", message.split("] ", 1)[1]))
    return out
