"""Read a model's answer: strict JSON of the required form, each code known, each evidence in the passage."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Collection

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)
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


def evidence_in(evidence: str, passage: str) -> bool:
    """True when ``evidence`` is quoted from ``passage`` (ignoring case, spacing, curly quotes, wrapping quotes/dots)."""
    core = _norm(evidence).strip(" \"'.,;:…")
    core = core.removesuffix("...").removeprefix("...").strip(" \"'.,;:")
    return bool(core) and core in _norm(passage)


def load_json(text: str) -> Any:
    """The JSON value of an answer (a Markdown code fence around it is allowed); None if not JSON."""
    m = _FENCE.match(text)
    try:
        return json.loads(m.group(1) if m else text)
    except (ValueError, TypeError):
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
