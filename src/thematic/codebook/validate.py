"""Codebook validation: every problem at once, each with file:line and how to fix it.

(Minimal version; see issue 5 for the full list of checks.)
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from .io import line_of


def validate_data(data: Any, path: str) -> list[Problem]:
    """Problems in parsed codebook YAML (empty list when valid)."""
    if not isinstance(data, dict):
        return [Problem(path, 1, "C002", "The codebook must be a mapping with 'version', 'themes' and 'codes'.")]
    problems: list[Problem] = []
    if not data.get("version"):
        problems.append(Problem(path, line_of(data), "C003", "Missing 'version' (semver, e.g. 0.1.0)."))
    for section in ("themes", "codes"):
        for i, item in enumerate(data.get(section) or []):
            if not isinstance(item, dict) or not item.get("id"):
                problems.append(Problem(path, line_of(data.get(section), i), "C004", f"{section}[{i}] needs an 'id'."))
    return problems
