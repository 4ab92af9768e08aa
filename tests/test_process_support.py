"""A llama.cpp, Jupyter or Dask process that a test started outlived a pytest run killed by a signal (SIGKILL,
or SIGTERM while the fixture's teardown could not run): it kept its port and memory until found by hand.
Processes the tests start now get Linux's parent-death signal, so they stop with the test process."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

HERE = Path(__file__).parent

PARENT = f"""
import sys, time
sys.path.insert(0, {str(HERE)!r})
from process_support import popen_tied
child = popen_tied([sys.executable, "-c", "import time; time.sleep(600)"])
print(child.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_tied_child_stops_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child_pid = 0
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        child = psutil.Process(child_pid)
        assert child.ppid() == parent.pid
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and child.is_running() and child.status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.1)
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    finally:
        for pid in (parent.pid, child_pid):
            if pid and psutil.pid_exists(pid):
                psutil.Process(pid).kill()
        parent.wait(timeout=10)
