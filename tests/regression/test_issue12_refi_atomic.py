"""Issue 12 item 9: a REFI import that fails after writing the store leaves neither documents without
their raw files nor hidden temporary copies; a crashed import's copies are removed by the next one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from thematic.study import Study, init_study

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def qdpx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _known.build_known_study(tmp_path_factory.mktemp("src") / "study")
    study = Study(root)
    out = root / "export.qdpx"
    study.export_refi(out)
    study.close()
    return out


def _written(tmp: Path, qdpx: Path) -> list[str]:
    study = init_study(tmp / "probe", name="probe")
    study.import_refi(qdpx)
    files = sorted(p.relative_to(study.paths.raw).as_posix() for p in study.paths.raw.rglob("*") if p.is_file())
    study.close()
    return files


def test_issue12_failed_publish_leaves_no_documents_and_no_temp_copies(tmp_path: Path, qdpx: Path) -> None:
    files = _written(tmp_path, qdpx)
    assert files
    study = init_study(tmp_path / "target", name="target")
    blocker = study.paths.raw / files[-1]
    blocker.mkdir(parents=True)  # a folder where the raw file must go: writing it fails
    with pytest.raises(Exception):  # noqa: B017 - whatever the OS says; the point is what is left behind
        study.import_refi(qdpx)
    assert study.store.documents().empty and study.store.codings().empty
    assert not list(study.root.rglob("*.tmp")), list(study.root.rglob("*.tmp"))
    blocker.rmdir()
    report = study.import_refi(qdpx)  # a re-run works and every stored document has its raw file
    stored = set(study.store.documents()["path"].astype(str))
    assert stored and all((study.root / p).is_file() for p in stored), stored
    assert report.imported
    study.close()


def test_issue12_next_import_removes_a_crashed_imports_copies(tmp_path: Path, qdpx: Path) -> None:
    study = init_study(tmp_path / "target", name="target")
    stale = study.paths.raw / ".thematic-refi-999999999-talk.txt.abcd.tmp"
    stale.write_text("half a file", encoding="utf-8")
    study.import_refi(qdpx)
    assert not stale.exists()
    study.close()
