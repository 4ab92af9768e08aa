"""Read a model's answer: strict JSON of the required form, each code known, each evidence in the passage."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Collection

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)
#: The fewest characters a one-word quote must have, unless it is a whole clause or the whole passage.
MIN_QUOTE_CHARS = 12
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


@dataclass
class Parsed:
    """The usable (code, evidence, confidence) of one answer and what was dropped from it."""

    ok: bool
    codes: dict[str, tuple[float, str]] = field(default_factory=dict)
    bad_evidence: int = 0
    unknown_code: int = 0


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


def _unspaced(c: str) -> bool:
    """A character of a script written without spaces between words (Chinese, Japanese, Thai ...)."""
    return unicodedata.east_asian_width(c) in "WF" or "\u0e00" <= c <= "\u0fff" or "\u1000" <= c <= "\u109f" \
        or "\u1780" <= c <= "\u17ff"


def _joined(a: str, b: str) -> bool:
    """True when ``a`` then ``b`` would be letters of one word (a spaced script: no boundary between them)."""
    return a.isalnum() and b.isalnum() and not _unspaced(a) and not _unspaced(b)


def _at_word_edges(text: str, i: int, j: int) -> bool:
    """True when ``text[i:j]`` starts and ends at word boundaries (an apostrophe or hyphen inside a word joins)."""
    core = text[i:j]
    if i > 0 and (_joined(text[i - 1], core[0]) or (text[i - 1] in "'-" and i > 1 and _joined(text[i - 2], core[0]))):
        return False
    n = len(text)
    return not (j < n and (_joined(core[-1], text[j]) or (text[j] in "'-" and j + 1 < n
                                                           and _joined(core[-1], text[j + 1]))))


def _long_enough(core: str) -> bool:
    """Two words or more, or at least ``MIN_QUOTE_CHARS`` characters (a CJK character counts three)."""
    return len(core.split()) >= 2 or sum(3 if _unspaced(c) else 1 for c in core) >= MIN_QUOTE_CHARS


def _a_clause(text: str, i: int, j: int) -> bool:
    """True when ``text[i:j]`` is a whole sentence or clause: punctuation or the passage's edge on each side."""
    before, after = text[:i].rstrip(), text[j:].lstrip()
    letters = sum(c.isalnum() for c in text[i:j])
    return letters >= 2 and (not before or not before[-1].isalnum()) and (not after or not after[0].isalnum())


def quote_core(evidence: str) -> str:
    """``evidence`` normalised (see ``normalised``) without wrapping quotes, dots and ellipses."""
    core = _norm(evidence).strip(" \"'.,;:…")
    return core.removesuffix("...").removeprefix("...").strip(" \"'.,;:")


def quoted_in(core: str, text: str) -> bool:
    """``evidence_in`` for a ``quote_core`` and a ``normalised`` passage (to check many quotes of one passage)."""
    if not core:
        return False
    if core == text.strip(" \"'.,;:…"):
        return True  # the whole passage, however short
    long = _long_enough(core)
    i = text.find(core)
    while i >= 0:
        j = i + len(core)
        if _at_word_edges(text, i, j) and (long or _a_clause(text, i, j)):
            return True
        i = text.find(core, i + 1)
    return False


def normalised(text: str) -> str:
    """``text`` as quotes are compared with it: NFKC, straight quotes, casefolded, single spaces."""
    return _norm(text)


def evidence_in(evidence: str, passage: str) -> bool:
    """True when ``evidence`` is a real quote from ``passage``: whole words (ignoring case, spacing, curly
    quotes, wrapping quotes/dots), and two words or ``MIN_QUOTE_CHARS`` characters, or a whole sentence or
    clause, or the whole passage. A letter ("a") or part of a word ("ear" of "year") is not a quote."""
    return quoted_in(quote_core(evidence), _norm(passage))


def load_json(text: str) -> Any:
    """The JSON value of an answer (a Markdown code fence around it is allowed); None if not JSON, or nested
    too deeply to read (a model repeating '[' up to max_tokens)."""
    m = _FENCE.match(text)
    try:
        return json.loads(m.group(1) if m else text)
    except (ValueError, TypeError, RecursionError):
        return None


def _confidence(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    v = float(value)
    return min(1.0, max(0.0, v)) if v == v else None


def parse_answer(text: str, passage: str, known: Collection[str]) -> Parsed:
    """Validate an answer; ``ok`` is False when it is not ``{"codes": [...]}`` of well-formed items."""
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        return Parsed(False)
    out = Parsed(True)
    for item in data["codes"]:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            return Parsed(False)
        code, evidence, conf = item["code"].strip(), item.get("evidence"), _confidence(item.get("confidence"))
        if not isinstance(evidence, str) or conf is None:
            return Parsed(False)
        if code not in known:
            out.unknown_code += 1
        elif not evidence_in(evidence, passage):
            out.bad_evidence += 1
        elif code not in out.codes or out.codes[code][0] < conf:
            out.codes[code] = (conf, evidence.strip())
    return out
