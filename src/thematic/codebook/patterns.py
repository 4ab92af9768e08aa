"""Checking spaCy token patterns: a quick structural check, and spaCy's own Matcher validation.

The quick check runs on every load (no spaCy import, so `thematic status` stays fast); the full
check (``thematic codebook validate``) adds each pattern to a ``spacy.matcher.Matcher`` on a blank
English pipeline, exactly as the rules suggester will, so anything spaCy rejects is reported with
the code's line before a coding run trips on it.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any

from ..errors import Problem

#: Token attributes spaCy's Matcher accepts (upper case; spaCy also accepts lower case).
TOKEN_ATTRS = (
    "ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "MORPH", "DEP", "SHAPE", "LENGTH",
    "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "SENT_START",
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "SPACY", "OP", "_",
)
_EXAMPLE = 'e.g. [{"LEMMA": "vet"}] or [{"LOWER": "been"}, {"LOWER": "there"}]'


def quick_pattern_problems(pattern: Any, where: str, path: str, line: int | None) -> list[Problem]:
    """Shape problems of one token pattern (a non-empty list of mappings with known attributes)."""
    if not isinstance(pattern, list) or not pattern:
        return [Problem(path, line, "C010", f"{where} must be a non-empty list of token mappings, {_EXAMPLE}.")]
    problems = []
    for j, token in enumerate(pattern):
        if not isinstance(token, dict):
            problems.append(Problem(path, line, "C010", f"{where}[{j}] must be a mapping like {{\"LEMMA\": \"vet\"}}, "
                                    f"not {token!r}."))
            continue
        for attr in token:
            if str(attr).upper() not in TOKEN_ATTRS:
                close = difflib.get_close_matches(str(attr).upper(), TOKEN_ATTRS, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "See spaCy's rule-based matching docs."
                problems.append(Problem(path, line, "C010", f"{where}[{j}]: '{attr}' is not a spaCy token "
                                        f"attribute. {hint}"))
    return problems


@lru_cache(maxsize=1)
def _vocab() -> Any:
    import spacy

    return spacy.blank("en").vocab


def spacy_pattern_problem(pattern: Any, where: str, path: str, line: int | None) -> Problem | None:
    """What spaCy's Matcher says about one pattern (None when it accepts it)."""
    from spacy.matcher import Matcher

    matcher = Matcher(_vocab(), validate=True)
    try:
        matcher.add("check", [pattern])
    except Exception as exc:  # noqa: BLE001 - spaCy raises ValueError or MatchPatternError
        detail = _short(str(exc))
        return Problem(path, line, "C010", f"{where} is not a valid spaCy token pattern: {detail}. "
                       f"Fix it, {_EXAMPLE}.")
    return None


def _short(message: str) -> str:
    """spaCy's multi-line validation message on one line, without the rule-name preamble."""
    lines = [ln.strip(" -") for ln in message.splitlines() if ln.strip()]
    detail = [ln for ln in lines if not ln.startswith(("Invalid token patterns", "Pattern "))]
    return "; ".join(detail or lines)[:300]
