"""Issue 12 item 11: the pseudonym key and the store are private even with umask 022."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from thematic.ingest.run import key_path

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():  # noqa: ANN201
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_issue12_key_folder_key_and_store_are_private(tmp_path: Path, umask_022) -> None:  # noqa: ANN001
    from thematic.study import init_study

    study = init_study(tmp_path / "s", name="s")
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi?\nRowan: Hello, I am Rowan.\n", encoding="utf-8")
    report = study.ingest()
    assert report.ok and not report.warnings
    key = key_path(study)
    assert key.is_file() and "Rowan" in key.read_text(encoding="utf-8")
    assert _mode(study.paths.private) == 0o700
    assert _mode(key) == 0o600
    db = study.store.path
    assert _mode(db) & 0o077 == 0
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if extra.exists():
            assert _mode(extra) & 0o077 == 0
    study.close()


def test_issue12_existing_world_readable_key_is_warned_about(tmp_path: Path, umask_022) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from thematic.cli.main import app
    from thematic.study import init_study

    study = init_study(tmp_path / "s", name="s")
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi?\nRowan: Hello.\n", encoding="utf-8")
    study.ingest()
    key = key_path(study)
    os.chmod(key, 0o644)
    (study.paths.raw / "b.txt").write_text("Interviewer: Hi?\nSasha: Hello.\n", encoding="utf-8")
    report = study.ingest()
    assert len(report.warnings) == 1 and report.warnings[0].startswith("[W010]") and "0644" in report.warnings[0]
    assert _mode(key) == 0o600  # rewritten privately once it changed
    os.chmod(key, 0o640)
    r = CliRunner().invoke(app, ["ingest", "--study", str(study.root)])
    assert r.exit_code == 0 and "W010" in r.output
    study.close()
