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
        for attr, value in token.items():
            slow = _slow_regex(value)
            if slow is not None:
                problems.append(Problem(path, line, "E040", f"{where}[{j}]: the REGEX {slow!r} can take exponential "
                                        "time (a repeated group that itself repeats, like (a+)+): one hostile word "
                                        "would stall coding. Rewrite it without the nested repeat, e.g. a+."))
            if str(attr).upper() not in TOKEN_ATTRS:
                close = difflib.get_close_matches(str(attr).upper(), TOKEN_ATTRS, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "See spaCy's rule-based matching docs."
                problems.append(Problem(path, line, "C010", f"{where}[{j}]: '{attr}' is not a spaCy token "
                                        f"attribute. {hint}"))
    return problems


def _slow_regex(value: Any) -> str | None:
    """The REGEX in a token attribute's value that could backtrack catastrophically, if any."""
    if not isinstance(value, dict):
        return None
    for key, regex in value.items():
        if str(key).upper() == "REGEX" and isinstance(regex, str) and nested_repeat(regex):
            return regex
    return None


def nested_repeat(regex: str) -> bool:
    """True when ``regex`` repeats (``*``, ``+``, ``{n,}``) a group that can itself match repeatedly.

    Such patterns (``(a+)+``, ``(\\w*\\s?)*``, ``(a|aa)+``) backtrack exponentially on a near-miss;
    Python's ``re`` has no time limit, so they are refused when the codebook is loaded.
    """
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]
    except ImportError:  # Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        tree = sre_parse.parse(regex)
    except Exception:  # noqa: BLE001 - an invalid regex is reported by spaCy's validation instead
        return False
    return _nested(tree, sre_parse, inside=False)


def _nested(items: Any, sre: Any, *, inside: bool) -> bool:
    """True if an unbounded repeat's body is only an unbounded repeat plus optional parts (``(a+)+``, ``(a*b?)*``)."""
    consts = sre.constants if hasattr(sre, "constants") else sre
    for op, av in items:
        if op in _repeat_ops(consts):
            lo, hi, sub = av
            if _unbounded(hi, consts) and _only_repeats(_flat(sub, consts), consts):
                return True
            if _nested(sub, sre, inside=True) or (_unbounded(hi, consts) and _branches_overlap(sub, consts)):
                return True
        elif op == consts.SUBPATTERN:
            if _nested(av[-1], sre, inside=inside):
                return True
        elif op == consts.BRANCH:
            if any(_nested(b, sre, inside=inside) for b in av[1]):
                return True
    return False


def _repeat_ops(consts: Any) -> set[Any]:
    return {consts.MAX_REPEAT, consts.MIN_REPEAT, getattr(consts, "POSSESSIVE_REPEAT", consts.MAX_REPEAT)} - {
        getattr(consts, "POSSESSIVE_REPEAT", None)}


def _unbounded(hi: int, consts: Any) -> bool:
    return bool(hi == consts.MAXREPEAT or hi > 10)


def _flat(items: Any, consts: Any) -> list[tuple[Any, Any]]:
    out: list[tuple[Any, Any]] = []
    for op, av in items:
        out.extend(_flat(av[-1], consts) if op == consts.SUBPATTERN else [(op, av)])
    return out


def _only_repeats(items: list[tuple[Any, Any]], consts: Any) -> bool:
    """Some item repeats without bound and every other item is optional (may match nothing)."""
    ops = _repeat_ops(consts)
    unbounded = [av for op, av in items if op in ops and _unbounded(av[1], consts)]
    optional = all((op in ops and av[0] == 0) or (op in ops and _unbounded(av[1], consts)) or op == consts.AT
                   for op, av in items)
    return bool(unbounded) and optional


def _branches_overlap(sub: Any, consts: Any) -> bool:
    """A repeated alternation whose branches can start with the same literal, like (a|ab)*."""
    for op, av in sub:
        if op == consts.SUBPATTERN:
            return _branches_overlap(av[-1], consts)
        if op == consts.BRANCH:
            firsts = [b[0] if len(b) else None for b in av[1]]
            literal = [f for f in firsts if f is not None and f[0] == consts.LITERAL]
            return len(literal) != len({f[1] for f in literal})
    return False


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
