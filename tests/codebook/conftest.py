"""Fixtures for codebook tests: small fictional codebooks built from Python data, and stores with codings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import pytest
from ruamel.yaml import YAML

from thematic.models import Coding, Provenance

THEMES = [
    {"id": "support", "label": "Support", "definition": "Help that people give one another."},
    {"id": "barriers", "label": "Barriers", "definition": "What stands in the way of a new start."},
]
CODES = [
    {"id": "peer_help", "label": "Peer help", "parent": "support", "definition": "A peer offers help.",
     "keywords": ["mentor", "buddy"], "patterns": [[{"LEMMA": "mentor"}]], "examples": ["My mentor rang me."]},
    {"id": "staff_help", "label": "Staff help", "parent": "support", "definition": "A staff member offers help."},
    {"id": "vetting", "label": "Vetting", "parent": "barriers", "definition": "Security checks before entry."},
    {"id": "money", "label": "Money", "parent": "barriers", "definition": "Not enough funds to do the work."},
]


def codebook_yaml(version: str = "0.1.0", *, codes: list[dict[str, Any]] | None = None,
                  themes: list[dict[str, Any]] | None = None, changes: list[dict[str, Any]] | None = None,
                  name: str = "mini") -> str:
    """YAML text of a small codebook (defaults: 2 themes, 4 codes)."""
    data: dict[str, Any] = {"name": name, "version": version}
    if changes:
        data["changes"] = changes
    data["themes"] = themes if themes is not None else THEMES
    data["codes"] = codes if codes is not None else CODES
    out = io.StringIO()
    y = YAML()
    y.default_flow_style = None
    y.dump(data, out)
    return out.getvalue()


def replace_code(codes: list[dict[str, Any]], old_id: str, **fields: Any) -> list[dict[str, Any]]:
    """A copy of ``codes`` with one code's fields replaced (``id`` too)."""
    return [({**c, **fields} if c["id"] == old_id else dict(c)) for c in codes]


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text to a file in tmp_path and return its path."""

    def write(text: str, name: str = "codebook.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def coding(doc: str, start: int, code: str, *, coder: str = "AB", version: str | None = "0.1.0",
           status: str = "manual") -> Coding:
    """A fictional coding of ``doc`` at start..start+10."""
    return Coding(document_id=doc, start=start, end=start + 10, code_id=code, coder=coder, status=status,  # type: ignore[arg-type]
                  text="x" * 10, codebook_version=version, provenance=Provenance("manual"))


@pytest.fixture
def coded_store(store):
    """A store with codings of every code of the default codebook, made under 0.1.0."""
    store.add_codings([
        coding("int01", 0, "peer_help"), coding("int01", 20, "peer_help", coder="CD"),
        coding("int01", 40, "staff_help"), coding("int02", 0, "vetting"),
        coding("int02", 20, "money"), coding("int02", 40, "money", coder="thematic.rules.v1", status="suggested"),
    ])
    return store


@pytest.fixture
def make_yaml() -> Callable[..., str]:
    """``codebook_yaml``: YAML text of a small codebook (see its arguments)."""
    return codebook_yaml


@pytest.fixture
def make_coding() -> Callable[..., Coding]:
    """``coding``: a fictional Coding at a given start offset."""
    return coding


@pytest.fixture
def base_codes() -> list[dict[str, Any]]:
    """The default four codes (a fresh copy) and a ``replace_code`` helper via ``base_codes.replace``."""
    return [dict(c) for c in CODES]


@pytest.fixture
def replace() -> Callable[..., list[dict[str, Any]]]:
    """``replace_code(codes, old_id, **fields)``."""
    return replace_code
