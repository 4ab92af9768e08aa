"""Checking spaCy token patterns: a quick structural check, and spaCy's own Matcher validation.

The quick check runs on every load (no spaCy import, so `thematic status` stays fast); the full
check (``thematic codebook validate``) adds each pattern to a ``spacy.matcher.Matcher`` on a blank
English pipeline, exactly as the rules suggester will, so anything spaCy rejects is reported with
the code's line before a coding run trips on it.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Any

from ..errors import Errors, Problem
from .parse import brief, clip

#: Token attributes spaCy's Matcher accepts (upper case; spaCy also accepts lower case).
TOKEN_ATTRS = (
    "ORTH", "TEXT", "LOWER", "NORM", "LEMMA", "POS", "TAG", "MORPH", "DEP", "SHAPE", "LENGTH",
    "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "SENT_START",
    "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL", "SPACY", "OP", "_",
)
_EXAMPLE = 'e.g. [{"LEMMA": "vet"}] or [{"LOWER": "been"}, {"LOWER": "there"}]'


#: The largest repeat count an ``OP`` may give (``{n}``, ``{n,m}``, ``{n,}``, ``{,m}``): spaCy expands a count into
#: that many token specs, so ``{1,10000000}`` took 45 s and 4.6 GB to check.
MAX_OP_COUNT = 100
_OP_COUNT_RE = re.compile(r"\{\s*(\d*)\s*(?:,\s*(\d*)\s*)?\}")


def quick_pattern_problems(pattern: Any, where: str, path: str, line: int | None) -> list[Problem]:
    """Shape problems of one token pattern (a non-empty list of mappings with known attributes).

    Also E040 for a REGEX that can backtrack catastrophically and E046 for an ``OP`` count over
    ``MAX_OP_COUNT``. Values are quoted cut short, and only a pattern's first non-mapping token is reported,
    so a hostile pattern cannot make a huge message.
    """
    if not isinstance(pattern, list) or not pattern:
        return [Problem(path, line, "C010", f"{where} must be a non-empty list of token mappings, {_EXAMPLE}.")]
    problems = []
    for j, token in enumerate(pattern):
        if not isinstance(token, dict):
            problems.append(Problem(path, line, "C010", f"{where}[{j}] must be a mapping like {{\"LEMMA\": \"vet\"}}, "
                                    f"not {brief(token)}."))
            break
        for attr, value in token.items():
            slow = _slow_regex(value)
            if slow is not None:
                problems.append(Problem(path, line, "E040", f"{where}[{j}]: the REGEX '{clip(slow)}' can take "
                                        "exponential time: a repeated group holds another repeat (like (a+)+ or "
                                        "(.*?,){11}) or alternatives that can match the same text (like (a|a?)+ or "
                                        "(\\d+|\\w+)*), so one hostile word would stall coding. Rewrite it so that no "
                                        "repeated group holds a repeat or overlapping alternatives, e.g. a+ for "
                                        "(a+)+, \\w+ for (\\d+|\\w+)*, [a-z,]* for ([a-z]+,)*."))
            if str(attr).upper() == "OP":
                count = _op_count(value)
                if count is not None and count > MAX_OP_COUNT:
                    message = Errors.E046.format(where=f"{where}[{j}]", op=clip(value, 40), count=count,
                                                 limit=MAX_OP_COUNT)
                    problems.append(Problem(path, line, "E046", message.split("] ", 1)[1]))
            if str(attr).upper() not in TOKEN_ATTRS:
                close = difflib.get_close_matches(str(attr).upper()[:100], TOKEN_ATTRS, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "See spaCy's rule-based matching docs."
                problems.append(Problem(path, line, "C010", f"{where}[{j}]: '{clip(attr, 60)}' is not a spaCy token "
                                        f"attribute. {hint}"))
    return problems


def _op_count(value: Any) -> int | None:
    """The largest count in an ``OP`` like ``{n,m}`` (None for '+', '*', '?', '!' or anything else)."""
    m = _OP_COUNT_RE.fullmatch(value.strip()) if isinstance(value, str) and len(value) < 100 else None
    if m is None:
        return None
    return max(int(g) for g in m.groups() if g) if any(m.groups()) else None


def _slow_regex(value: Any, depth: int = 0) -> str | None:
    """The REGEX in a token attribute's value (at any depth, e.g. under '_') that could backtrack badly, if any."""
    if not isinstance(value, dict) or depth > 5:
        return None
    for key, regex in value.items():
        if str(key).upper() == "REGEX" and isinstance(regex, str) and nested_repeat(regex):
            return regex
        found = _slow_regex(regex, depth + 1)
        if found is not None:
            return found
    return None


def nested_repeat(regex: str) -> bool:
    """True when ``regex`` can backtrack exponentially: a repeated part (``*``, ``+``, ``{n,m}`` with m > 1) holds
    a repeat of variable count, or alternatives that can start with the same character (or match nothing).

    Conservative by design: ``(a+)+``, ``(\\d+|\\w+)*``, ``(a|a?)+``, ``(.*?,){11}`` and lookarounds holding
    them are all refused; a codebook's token regexes are short, and Python's ``re`` has no time limit.
    """
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]
    except ImportError:  # Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        tree = sre_parse.parse(regex)
    except Exception:  # noqa: BLE001 - an invalid regex is reported by spaCy's validation instead
        return False
    consts = sre_parse.constants if hasattr(sre_parse, "constants") else sre_parse
    return _risky(list(tree), consts, repeated=False)


def _repeat_ops(consts: Any) -> set[Any]:
    return {consts.MAX_REPEAT, consts.MIN_REPEAT, getattr(consts, "POSSESSIVE_REPEAT", consts.MAX_REPEAT)}


def _risky(items: Any, c: Any, *, repeated: bool) -> bool:
    """True if, inside a part that repeats, there is a variable repeat or an ambiguous alternation."""
    for op, av in items:
        if op in _repeat_ops(c):
            lo, hi, sub = av
            if repeated and lo != hi:
                return True
            if _risky(sub, c, repeated=repeated or hi > 1):
                return True
        elif op == c.SUBPATTERN:
            if _risky(av[-1], c, repeated=repeated):
                return True
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if _risky(av[1], c, repeated=repeated):
                return True
        elif op == getattr(c, "ATOMIC_GROUP", None):
            if _risky(av, c, repeated=repeated):
                return True
        elif op in (c.BRANCH, c.GROUPREF_EXISTS):
            branches = list(av[1]) if op == c.BRANCH else [av[1], av[2] or []]
            if repeated and _overlap(branches, c):
                return True
            if any(_risky(b, c, repeated=repeated) for b in branches):
                return True
    return False


_ANY = "any"  # a first-character set that may hold any character
_EMPTY = "empty"  # the branch can match the empty string


def _overlap(branches: list[Any], c: Any) -> bool:
    """True unless every branch must start with a character no other branch can start with."""
    firsts = [_first(list(b), c) for b in branches]
    if any(f in (_ANY, _EMPTY) for f in firsts):
        return True
    seen: set[str] = set()
    for chars in firsts:
        if seen & chars:  # type: ignore[operator]
            return True
        seen |= chars  # type: ignore[arg-type]
    return False


def _first(items: list[Any], c: Any) -> Any:
    """The characters a match of ``items`` can start with (both cases), ``_ANY`` if unknown, ``_EMPTY`` if none."""
    if not items:
        return _EMPTY
    op, av = items[0]
    if op == c.LITERAL:
        return {chr(av).lower(), chr(av).upper()}
    if op == c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind == c.LITERAL:
                chars |= {chr(value).lower(), chr(value).upper()}
            elif kind == c.RANGE and value[1] - value[0] < 512:
                chars |= {x for n in range(value[0], value[1] + 1) for x in (chr(n).lower(), chr(n).upper())}
            else:
                return _ANY
        return chars
    if op == c.SUBPATTERN:
        inner = _first(list(av[-1]), c)
        return _first(items[1:], c) if inner == _EMPTY else inner
    if op in _repeat_ops(c):
        return _EMPTY if av[0] == 0 else _first(list(av[2]), c)
    if op == c.BRANCH:
        found = [_first(list(b), c) for b in av[1]]
        if _EMPTY in found:
            return _EMPTY
        if _ANY in found:
            return _ANY
        return set().union(*found)
    return _ANY


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
