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
