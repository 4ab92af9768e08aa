"""Ingest fixtures: fictional transcripts written fresh in every shape researchers bring.

Each helper writes a real file (text, .docx built with python-docx, .xlsx with openpyxl) into
tmp_path; the names and places are invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from thematic.config import IngestSettings


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write ``text`` (str, encoded as UTF-8 unless ``encoding``) or bytes to ``tmp_path/name``."""

    def _write(name: str, content: str | bytes, *, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture
def plain() -> IngestSettings:
    """Settings without pseudonymisation, so tests can see the labels as written."""
    return IngestSettings(pseudonymise=False)
