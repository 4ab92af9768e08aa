"""Helpers for the Dask regression tests: a study whose thematic.toml names a scheduler, and a Python script
run as a user runs one (``python script.py``) whose processes (Dask's nannies and workers) are all stopped by PID."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                for child in psutil.Process(proc.pid).children(recursive=True):
                    seen.setdefault(child.pid, child)
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.2)
        timed_out = proc.poll() is None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        for child in seen.values():  # is_running() also checks the start time: a reused PID is left alone
            if child.is_running():
                child.kill()
    if timed_out:
        pytest.fail(f"{script.name} ran past {timeout} s:\n{err_path.read_text(errors='replace')[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out_path.read_text(errors="replace"),
                                       err_path.read_text(errors="replace"))
