"""`--out` naming a FIFO, a device node or a symlink was replaced by a regular file (the atomic rename swapped
the node itself; run as root, /dev/full became a CSV) and the command said it wrote there; such a target is now
refused with E417, naming the path and what it is, and left as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic._atomic import atomic_path, write_text_atomic
from thematic.cli.main import app
from thematic.errors import ThematicError
from tests.regression.tiny_study import methods_study

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


def test_fifo_refused_and_kept(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ThematicError) as info:
        write_text_atomic(fifo, "a,b\n")
    assert str(info.value).startswith("[E417]") and "pipe" in str(info.value) and str(fifo) in str(info.value)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe.csv"]  # no temporary file left


def test_symlink_refused_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    with pytest.raises(ThematicError, match=r"\[E417\].*symbolic link"):
        with atomic_path(link) as tmp:
            tmp.write_text("new\n", encoding="utf-8")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "old\n"


def test_regular_file_still_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    write_text_atomic(out, "new\n")
    assert out.read_text(encoding="utf-8") == "new\n"


def test_cli_export_to_fifo(tmp_path: Path) -> None:
    root = methods_study(tmp_path / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    assert runner.invoke(app, ["ingest", "--study", str(root)], env=ENV).exit_code == 0
    fifo = tmp_path / "segs.csv"
    os.mkfifo(fifo)
    r = runner.invoke(app, ["export", "segments", "--out", str(fifo), "--study", str(root)], env=ENV)
    assert r.exit_code == 1 and "[E417]" in r.output and "Traceback" not in r.output, r.output
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
