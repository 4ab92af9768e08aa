"""Fixtures shared by the regression tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from coding.manual_support import fill_study


@pytest.fixture
def disputes(study) -> Path:  # noqa: ANN001
    """Four segments both coders saw, each with one disputed code."""
    fill_study(study)
    s = study
    s.code("int-01:1", "generativity", coder="HT")
    s.code("int-01:1", "generativity", coder="SO")
    s.code("int-01:1", "funding", coder="SO")            # int-01:1 funding (SO only)
    s.code("int-01:3", "security_vetting", coder="HT")   # int-01:3 security_vetting (HT only)
    s.code("int-02:1", "security_vetting", coder="SO")   # int-02:1 security_vetting (SO only)
    s.code("int-02:3", "been_there", coder="HT")         # int-02:3 been_there (HT only)
    for coder in ("HT", "SO"):
        s.mark_seen(["int-01:1", "int-01:3", "int-02:1", "int-02:3"], coder=coder, source="api")
    s.close()
    return study.root
