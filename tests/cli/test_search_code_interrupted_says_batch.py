"""Ctrl-C while `thematic search QUERY --code CODE` prints its hits.

What was wrong: the codings were stored (one batch) before the hit table printed, but a Ctrl-C during the table
ended the command with exit 130 and nothing on stderr: no batch id, no undo hint, so the researcher believed
the search was cancelled. What is true now: the Interrupted line says that what was committed is kept, how many
spans were coded in which batch, and the `thematic undo BATCH` that takes them back.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Callable

from process_support import die_with_parent
from thematic.study import Study, init_study

CODEBOOK = """\
name: plain
version: 0.1.0
themes:
- {id: life, label: Life, definition: Life.}
codes:
- {id: family, label: Family, parent: life, definition: Family talk.}
"""


def _as_a_terminal_job() -> Callable[[], None]:
    """A ``preexec_fn``: the child dies with the test run, and has SIGINT as a terminal's job has it (a test
    runner may ignore it, and an ignored SIGINT is inherited)."""
    tie = die_with_parent()

    def _child() -> None:
        if tie is not None:
            tie()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    return _child


def _pipe_full(fd: int) -> bool:
    """True when the pipe's buffer holds as much as it can: the writer is blocked in the middle of the table."""
    waiting = bytearray(4)
    fcntl.ioctl(fd, termios.FIONREAD, waiting)
    return int.from_bytes(waiting, sys.byteorder) >= fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)


def test_ctrl_c_in_the_hit_table_names_the_stored_batch(tmp_path: Path) -> None:
    study = init_study(tmp_path / "st", name="st")
    (study.paths.codebooks / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    for i in range(1, 21):
        lines = []
        for j in range(60):
            lines += [f"Interviewer: Question {j}?", f"P{i:02d}: Answer {j}: the family is what keeps me going."]
        (study.paths.raw / f"int{i:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    study.ingest()
    study.close()
    env = {**os.environ, "THEMATIC_ENCODER": "minilm", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "thematic", "search", "family", "--code", "family", "--coder",
                             "AB", "--limit", "5000", "--no-interviewer", "--study", str(study.root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            preexec_fn=_as_a_terminal_job())  # noqa: PLW1509 - no threads started yet
    try:
        deadline = time.monotonic() + 300
        while not _pipe_full(proc.stdout.fileno()) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, proc.stderr.read().decode()  # still printing: 1,200 hits fill the pipe
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with Study(study.root) as s:
        batches = s.store.batches()
        assert len(s.codings(code="family")) == 1200
    batch = str(batches["batch_id"].iloc[0])
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Interrupted; everything committed so far is kept." in text
    assert f"Coded 1200 span(s) as family in batch {batch}" in text and f"thematic undo {batch}" in text
    assert "Traceback" not in text and b"Coded 1200" not in out
