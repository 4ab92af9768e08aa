"""Helpers for the Dask regression tests: a study whose thematic.toml names a scheduler, and a Python script
run as a user runs one (``python script.py``) whose processes (Dask's nannies and workers) are all stopped by PID."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import psutil
import pytest

#: A one-code codebook the rules suggester can use ("busy" in the transcript below is one of its keywords).
CODEBOOK = """name: dask-regression
version: 1.0.0
themes:
- id: constraints
  label: Constraints
  definition: What gets in the way.
codes:
- id: time_pressure
  label: Lack of time
  parent: constraints
  definition: Not having enough time because of work or family.
  keywords: [time, busy, workload]
"""


def study_with_scheduler(root: Path, scheduler: str) -> Path:
    """A fresh study at ``root`` with CODEBOOK, one transcript in data/raw and ``[code] scheduler = SCHEDULER``."""
    from thematic.study import init_study

    init_study(root, name="dask regression").close()
    (root / "codebooks" / "study.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "data" / "raw" / "interview-a.txt").write_text(
        "Interviewer: How was it?\nAnn: I had no time at all, work was busy.\n", encoding="utf-8")
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert '# scheduler = "tcp://HOST:8786"' in text
    toml.write_text(text.replace('# scheduler = "tcp://HOST:8786"', f'scheduler = "{scheduler}"  #'), encoding="utf-8")
    return root


def run_script(script: Path, *, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """``python SCRIPT`` in its folder (one thread per process); every process it started is stopped by PID
    when it ends, or when it runs past ``timeout`` seconds (then the test fails)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "THEMATIC_ENCODER": "minilm", "PYTHONUNBUFFERED": "1"}
    out_path, err_path = script.with_suffix(".out"), script.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen([sys.executable, str(script)], cwd=script.parent, env=env, stdout=out, stderr=err)
    seen: dict[int, psutil.Process] = {}
    try:
        timed_out = watch(proc, seen, timeout=timeout)
    finally:
        stop_all(proc, seen)
    if timed_out:
        pytest.fail(f"{script.name} ran past {timeout} s:\n{err_path.read_text(errors='replace')[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out_path.read_text(errors="replace"),
                                       err_path.read_text(errors="replace"))


def watch(proc: subprocess.Popen[bytes], seen: dict[int, psutil.Process], *, timeout: float,
          tick: Callable[[dict[int, psutil.Process]], float | None] | None = None) -> bool:
    """Poll ``proc`` until it exits or ``timeout`` seconds pass, adding every process it starts to ``seen``;
    ``tick(seen)`` runs at each poll and may return a new timeout (seconds from then). Whether it timed out."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            for child in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass
        later = tick(seen) if tick is not None else None
        if later is not None:
            deadline = time.monotonic() + later
        time.sleep(0.1)
    return proc.poll() is None


def alive(proc: psutil.Process) -> bool:
    """Still running and not a zombie (``is_running`` also checks the start time, so a reused PID is not it)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def stop_all(proc: subprocess.Popen[bytes], seen: dict[int, psutil.Process], *, grace: float = 0.0) -> list[int]:
    """Kill ``proc`` if it runs, then every process in ``seen`` still alive after ``grace`` seconds (by PID); those PIDs."""
    if proc.poll() is None:
        proc.kill()
    proc.wait(30)
    gone = time.monotonic() + grace
    while grace and any(alive(p) for p in seen.values()) and time.monotonic() < gone:
        time.sleep(0.2)
    left = [p for p in seen.values() if alive(p)]
    for p in left:
        p.kill()
    return [p.pid for p in left]


def refused_before_ingest(root: Path, code: str) -> str:
    """``thematic code --suggesters rules`` on the study at ``root`` stops with ``[CODE]`` (exit 1, no traceback)
    before anything is ingested; its output."""
    from typer.testing import CliRunner

    from thematic.cli.main import app
    from thematic.study import Study

    result = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--study", str(root)])
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.output and "Traceback" not in result.output, result.output
    with Study.open(root) as st:
        assert st.store.document_hashes() == {}
    return result.output
