"""Atomic writes: readable by others like any new file, and a failed write leaves the old file whole."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from thematic._atomic import atomic_path, write_text_atomic


def test_atomic_written_file_has_the_umask_mode_not_mkstemps_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = write_text_atomic(tmp_path / "sub" / "sheet.csv", "a,b\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert out.read_text() == "a,b\n"


def test_atomic_failure_keeps_the_previous_file_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "appendix.docx"
    out.write_text("previous version")
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp:
            tmp.write_text("half written")
            raise RuntimeError("crash mid-write")
    assert out.read_text() == "previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appendix.docx"]


def test_temporary_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path: Path) -> None:
    """kill -9 during an export left ``.NAME.XXXX.tmp`` beside the report for good; temporary files are now named
    after their writer's process, and the next write of that file removes those whose process is gone."""
    import subprocess
    import sys

    target = tmp_path / "c.xlsx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    stale = tmp_path / f".c.xlsx.{int(dead.stdout)}-abcd1234.tmp"
    stale.write_bytes(b"PK half a zip")
    live = tmp_path / f".c.xlsx.{os.getpid()}-efgh5678.tmp"  # a writer still at work keeps its file
    live.write_bytes(b"in progress")
    other = tmp_path / ".d.xlsx.1-ijkl9012.tmp"  # another file's temporary file is not touched
    other.write_bytes(b"x")
    with atomic_path(target) as tmp:
        assert tmp.name.startswith(f".c.xlsx.{os.getpid()}-") and tmp.name.endswith(".tmp")
        tmp.write_bytes(b"done")
    assert target.read_bytes() == b"done"
    assert not stale.exists() and live.exists() and other.exists()
