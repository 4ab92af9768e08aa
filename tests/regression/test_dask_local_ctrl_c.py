"""Ctrl-C during `thematic code --scheduler local` flooded the terminal with Dask's tracebacks and CRITICAL log
lines (the scheduler reporting keys to a closed client; each worker's KeyboardInterrupt, since the terminal sends
SIGINT to the worker processes too), or, early in the run, ended in a misleading [E702] ("No valid workers found":
the workers had died of the SIGINT) and a late `Client.__del__` traceback. Now the workers do not take the
terminal's SIGINT (this process closes them), and the run prints one line, "Interrupted; ...", exits 130 and
leaves no process behind. (And SIGTERM leaves no process and no "leaked semaphore" warning.)"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from regression.dask_scripts import stop_all, study_with_scheduler, watch

pytest.importorskip("distributed")

WORDS = ("time", "busy", "workload", "family", "colleagues", "the project", "funding", "weekend")


def _study(root: Path) -> Path:
    """A study with ``local:1`` in thematic.toml and 12 transcripts of 40 answers each (480 passages)."""
    study_with_scheduler(root, "local:1")
    for d in range(12):
        lines = []
        for i in range(40):
            lines.append(f"Interviewer: Question {i} of session {d}?")
            lines.append(f"Ann: Answer {i}: the {WORDS[(d + i) % len(WORDS)]} was hard, and work was busy again.")
        (root / "data" / "raw" / f"session-{chr(97 + d)}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _stored(db: Path) -> int:
    """Codings stored so far (0 while the store is busy or not there yet)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as con:
            return int(con.execute("SELECT COUNT(*) FROM codings").fetchone()[0])
    except sqlite3.Error:
        return 0


def _cmdline(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except psutil.Error:
        return ""


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    left: list[int]  # processes of the run still alive (then killed)


def _run_signalled(tmp_path: Path, moment: str, sig: signal.Signals, *, group: bool) -> Outcome:
    """`thematic code --suggesters rules` (scheduler local:1) in a subprocess, sent ``sig`` when a worker process
    has just started (``moment`` "cluster starting") or a suggestion is stored ("suggesting"): to its process group
    (``group``: a terminal's Ctrl-C) or to it alone. Every process it started is stopped by PID at the end."""
    root = _study(tmp_path / "study")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "THEMATIC_ENCODER": "minilm", "THEMATIC_DASK_CHUNK": "2", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    out_path, err_path = tmp_path / "out.txt", tmp_path / "err.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(  # its own process group, SIGINT as a terminal's foreground job has it
            [sys.executable, "-m", "thematic", "code", "--suggesters", "rules", "--study", str(root)],
            stdout=out, stderr=err, env=env, cwd=tmp_path, start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen: dict[int, psutil.Process] = {}
    started: list[float] = []
    sent = False

    def tick(seen: dict[int, psutil.Process]) -> float | None:
        nonlocal sent
        if moment == "cluster starting" and not started:
            started.extend([time.monotonic() for p in seen.values() if "spawn_main" in _cmdline(p)][:1])
        ready = (started and time.monotonic() > started[0] + 0.3 if moment == "cluster starting"
                 else _stored(root / "data" / "coded" / "thematic.db"))  # a worker starting; a suggestion stored
        if sent or not ready:
            return None
        (os.killpg if group else os.kill)(proc.pid, sig)
        sent = True
        return 90

    try:
        running = watch(proc, seen, timeout=240, tick=tick)
    finally:
        left = stop_all(proc, seen, grace=15)  # workers whose parent died stop by themselves
    stderr = err_path.read_text(errors="replace")
    assert sent, f"never got to '{moment}':\n{stderr[-3000:]}"
    assert not running, f"still running 90 s after {sig.name}:\n{stderr[-3000:]}"
    return Outcome(proc.returncode, out_path.read_text(errors="replace"), stderr, left)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["cluster starting", "suggesting"])
def test_ctrl_c_during_a_local_cluster_run_prints_one_line_and_stops_every_process(
        tmp_path: Path, moment: str) -> None:
    run = _run_signalled(tmp_path, moment, signal.SIGINT, group=True)  # a terminal's Ctrl-C: the whole group
    assert run.returncode == 130, run.stdout + run.stderr
    assert "Interrupted; everything committed so far is kept." in run.stderr, run.stderr
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert "CRITICAL" not in run.stderr and "[E70" not in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) <= 2, run.stderr
    assert run.left == []


@pytest.mark.slow
def test_sigterm_during_a_local_cluster_run_leaves_no_process_and_no_leaked_semaphore_warning(
        tmp_path: Path) -> None:
    """SIGTERM ends thematic at once (no clean-up), which left the nannies' semaphores to multiprocessing's
    resource tracker: its raw "There appear to be 12 leaked semaphore objects" Python warning is no longer shown."""
    run = _run_signalled(tmp_path, "suggesting", signal.SIGTERM, group=False)
    assert run.returncode == -signal.SIGTERM
    assert "leaked semaphore" not in run.stderr and "resource_tracker" not in run.stderr, run.stderr
    assert run.stderr.strip() == "", run.stderr
    assert run.left == []
