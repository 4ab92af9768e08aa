"""Export tests reuse the hand-built study of tests/analysis/conftest.py (loaded by path, so the
two test folders need not be packages of one another)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "_thematic_analysis_fixtures", Path(__file__).resolve().parents[1] / "analysis" / "conftest.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)  # type: ignore[union-attr]


@pytest.fixture
def known_study(study):
    """The hand-built study (5 participants, 4 documents, codings of two coders and a suggester)."""
    study.codebook_path.write_text(fixtures.CODEBOOK_YAML, encoding="utf-8")
    docs = {k: fixtures.build_document(k, v) for k, v in fixtures.DOCUMENTS.items()}
    with study.store.transaction():
        for doc in docs.values():
            study.store.save_document(doc)
        study.store.save_participants(fixtures.PARTICIPANTS)
        fixtures.add_study_codings(study.store, docs)
    return study


@pytest.fixture
def frames(known_study):
    from thematic.analysis import load_frames

    return load_frames(known_study)
