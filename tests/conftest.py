"""Global fixtures (one conftest, spaCy's rule): fresh studies and stores in tmp_path.

Area-specific fixtures live in ``tests/<subpackage>/conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The suite reads meaning with the small encoder (five times faster); tests of the larger one name it.
os.environ.setdefault("THEMATIC_ENCODER", "minilm")
# The CLI's width when output is not a terminal (120 columns) is what the tests read; pytest-xdist's workers
# set COLUMNS=80, which would wrap the same output differently there.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture
def study(tmp_path: Path):
    """A freshly initialised, empty study in a temporary folder."""
    from thematic.study import init_study

    s = init_study(tmp_path / "study", name="test study")
    yield s
    s.close()


@pytest.fixture
def store(tmp_path: Path):
    """An empty store (real SQLite file) in a temporary folder."""
    from thematic.store import Store

    st = Store(tmp_path / "thematic.db")
    yield st
    st.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (CI has it); tests that need it skip with a reason if absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not present (CI provides it)")
    return SHARED
