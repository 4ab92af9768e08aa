"""Why a suggestion was made, read back from what its suggester stored with it.

A stored suggestion keeps its suggester (``coder``), its score (``confidence``), the threshold it
passed (in ``params``) and the suggester's own reason (``memo``: the keywords or patterns that
matched, the probability, the similarity). The widget and ``thematic review`` show all of it.

Example:
    >>> describe_evidence(store.coding(coding_id))
    "thematic.rules.v1: keyword 'vetting' · score 0.40 (threshold 0.30)"
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd


@dataclass(frozen=True, slots=True)
class Evidence:
    """One suggester's case for one suggestion."""

    suggester: str
    score: float | None
    threshold: float | None
    reason: str | None

    def describe(self) -> str:
        """One line: who suggested it, the reason, and the score against its threshold."""
        parts = [f"{self.suggester}: {self.reason}" if self.reason else self.suggester]
        if self.score is not None:
            parts.append(f"score {self.score:.2f}" + (f" (threshold {self.threshold:.2f})"
                                                      if self.threshold is not None else ""))
        return " · ".join(parts)


def _value(row: Mapping[str, Any], key: str) -> Any:
    v = row.get(key)
    return None if v is None or (not isinstance(v, (str, dict)) and pd.isna(v)) else v


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def evidence_of(row: Mapping[str, Any]) -> Evidence:
    """The evidence stored with a suggested coding (a ``codings()`` row or ``store.coding()`` dict)."""
    params = _value(row, "params")
    if isinstance(params, str):
        try:
            params = json.loads(params)
        except ValueError:
            params = {}
    threshold = _number(params.get("threshold")) if isinstance(params, dict) else None
    reason = _value(row, "memo")
    return Evidence(str(_value(row, "coder") or _value(row, "suggester") or "?"),
                    _number(_value(row, "confidence")), threshold, None if reason is None else str(reason))


def describe_evidence(row: Mapping[str, Any]) -> str:
    """``evidence_of(row).describe()``."""
    return evidence_of(row).describe()


__all__ = ["Evidence", "describe_evidence", "evidence_of"]
