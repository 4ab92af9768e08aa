"""Natural order of groups and answers: numbers as numbers, rating scales in scale order, text A-Z.

Frequency tables (``--by``), attribute tallies, crosstabs and chart legends all sort with this, so a
numeric attribute reads ``2, 4, 10, 12`` (not ``10, 12, 2, 4``), open-ended bins read ``<1, 1-3, 10+``,
Likert answers read ``Strongly disagree … Strongly agree``, other text is alphabetical with case aside (``P2`` before ``P10``), and
``(missing)`` / ``(no answer)`` come last.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Iterable

import pandas as pd

#: Placeholders the tables use for people without a value; always sorted last.
MISSING_VALUES = frozenset({"(missing)", "(no answer)"})

#: Recognised ordinal scales (value, case and spacing aside -> rank). A set of values is read as a scale
#: only when every value belongs to the same one.
SCALES: tuple[dict[str, float], ...] = (
    {"strongly disagree": 0, "disagree strongly": 0, "disagree": 1, "somewhat disagree": 1.5,
     "slightly disagree": 1.5, "tend to disagree": 1.5, "neutral": 2, "neither": 2, "undecided": 2,
     "neither agree nor disagree": 2, "neither agree or disagree": 2, "neither disagree nor agree": 2,
     "somewhat agree": 2.5, "slightly agree": 2.5, "tend to agree": 2.5, "agree": 3, "strongly agree": 4,
     "agree strongly": 4},
    {"never": 0, "almost never": 0.5, "rarely": 1, "seldom": 1, "sometimes": 2, "often": 3, "very often": 3.5,
     "usually": 3.5, "almost always": 3.5, "always": 4},
    {"very poor": 0, "very bad": 0, "poor": 1, "bad": 1, "fair": 2, "average": 2, "neutral": 2,
     "neither good nor poor": 2, "neither good nor bad": 2, "good": 3, "very good": 4, "excellent": 5},
    {"very dissatisfied": 0, "dissatisfied": 1, "neutral": 2, "neither satisfied nor dissatisfied": 2,
     "satisfied": 3, "very satisfied": 4},
)

_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_PARTS = re.compile(r"(\d+(?:\.\d+)?)")
_BOUND = re.compile(r"(?:(<=?|≤|under|less than|fewer than|below|up to)|(>=?|≥|over|more than|greater than|above))"
                    r"\s*(\d+(?:\.\d+)?)(.*)", re.IGNORECASE | re.DOTALL)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in MISSING_VALUES
    try:
        return bool(pd.isna(value))  # NaN, pd.NA, NaT
    except (TypeError, ValueError):
        return False


def _norm(value: Any) -> str:
    return " ".join(str(value).replace("_", " ").casefold().split())


def _parts(value: Any) -> tuple[tuple[int, Any], ...]:
    """``value`` as (0, number) and (1, text) parts: a whole number is one part, ``P10`` is ``p`` then 10, and an
    open-ended bin's bound (``<1``, ``Under 25``, ``over 65``) is its number just below (or above) it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return ((0, float(value)),)
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return ((0, float(text)),)
    out: list[tuple[int, Any]] = []
    bound = _BOUND.fullmatch(text)
    if bound:
        out.append((0, float(bound.group(3)) + (-1e-6 if bound.group(1) else 1e-6)))
        text = bound.group(4)
    for i, part in enumerate(_PARTS.split(text)):
        if i % 2:
            out.append((0, float(part)))
        elif part.strip():
            out.append((1, " ".join(part.casefold().split())))
    return tuple(out)


def _scale(values: Iterable[Any]) -> dict[str, float] | None:
    """The one scale every (non-missing) value belongs to, or None."""
    keys = {_norm(v) for v in values if not _missing(v)}
    if not keys:
        return None
    return next((scale for scale in SCALES if keys <= scale.keys()), None)


def natural_key(values: Iterable[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A sort key that orders ``values`` naturally: a recognised scale in scale order, else numbers (and
    numeric-looking text) numerically and text alphabetically, case aside; missing values last."""
    scale = _scale(list(values))

    def key(value: Any) -> tuple[Any, ...]:
        if _missing(value):
            return (1, (), str(value))
        parts = ((0, scale[_norm(value)]),) if scale is not None else _parts(value)
        return (0, parts, str(value))
    return key


def natural_order(values: Iterable[Any]) -> list[Any]:
    """The distinct ``values`` (first spelling of each kept) in natural order (see ``natural_key``)."""
    unique = list(dict.fromkeys(values))
    return sorted(unique, key=natural_key(unique))


def is_ordered(values: Iterable[Any]) -> bool:
    """Whether the (non-missing) values form a scale whose order means something: one recognised rating
    scale, or every value starting with a number (``2``, ``18-24``, ``65+``)."""
    present = [v for v in values if not _missing(v)]
    if not present:
        return False
    return _scale(present) is not None or all(_parts(v)[:1] and _parts(v)[0][0] == 0 for v in present)


__all__ = ["MISSING_VALUES", "SCALES", "is_ordered", "natural_key", "natural_order"]
