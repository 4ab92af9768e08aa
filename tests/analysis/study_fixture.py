"""Build the hand-built study of conftest.py in a folder (for CLI tests outside tests/analysis)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def build_known_study(root: Path):
    """An initialised study at ``root`` holding the hand-built documents, participants and codings."""
    from thematic.study import init_study

    spec = importlib.util.spec_from_file_location("_thematic_known_study", Path(__file__).with_name("conftest.py"))
    fx = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fx)  # type: ignore[union-attr]
    study = init_study(root, name="CLI test study")
    study.codebook_path.write_text(fx.CODEBOOK_YAML, encoding="utf-8")
    docs = {k: fx.build_document(k, v) for k, v in fx.DOCUMENTS.items()}
    with study.store.transaction():
        for doc in docs.values():
            study.store.save_document(doc)
        study.store.save_participants(fx.PARTICIPANTS)
        fx.add_study_codings(study.store, docs)
    study.close()
    return root
