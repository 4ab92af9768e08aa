"""The study folder: init, find, settings, status."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.errors import StudyError
from thematic.study import Study, find_study_root, init_study, status


def test_study_init_creates_the_layout_and_store(tmp_path: Path) -> None:
    s = init_study(tmp_path / "new", name="Probation voices")
    for d in ("codebooks", "data/raw", "data/coded", "reports", "notebooks"):
        assert (s.root / d).is_dir(), d
    assert s.config.name == "Probation voices"
    assert s.paths.db.is_file()
    assert s.store.schema_version >= 1
    s.close()


def test_study_init_refuses_an_existing_study(study: Study) -> None:
    with pytest.raises(StudyError, match="E002"):
        init_study(study.root)


def test_study_is_found_from_a_subfolder(study: Study) -> None:
    sub = study.root / "data" / "raw"
    assert find_study_root(sub) == study.root
    assert Study.open(sub).root == study.root


def test_study_outside_any_study_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StudyError, match=r"\[E001\].*thematic init"):
        find_study_root(tmp_path)


def test_study_status_of_a_new_study(study: Study) -> None:
    (study.paths.raw / "int-01.txt").write_text("Interviewer: hi\nDan: hello\n", encoding="utf-8")
    info = status(study)
    assert info["documents"] == 0 and info["codings"] == 0
    assert info["stale"]["new"] == ["data/raw/int-01.txt"]


def test_study_codebook_path_prefers_the_setting(study: Study) -> None:
    assert study.codebook_path == study.root / "codebooks/codebook.yaml"
