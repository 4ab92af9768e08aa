"""Issue 12 item 8: a forked suggester runner exits when the `thematic code` process that started it dies."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from thematic.coding.execute.runner import available

PARENT = r"""
import sys, time
from thematic.coding.execute.runner import start_runner
from thematic.coding.suggest import ModelSuggester, RulesSuggester
runners = [start_runner(RulesSuggester()), start_runner(ModelSuggester())]
print(" ".join(str(r._proc.pid) for r in runners), flush=True)
time.sleep(600)  # never sends the work: the runners wait for it, as when the parent is killed mid-run
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not available(), reason="forked runners are Linux only")
def test_issue12_runner_dies_with_its_parent_and_the_pipe_closes() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, start_new_session=True)
    try:
        line = parent.stdout.readline().decode()
        pids = [int(x) for x in line.split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.1)
        assert not any(_alive(p) for p in pids), "a runner outlived its parent"
        ready, _, _ = select.select([parent.stdout], [], [], 20)  # like `| tee`: the pipe must reach EOF
        assert ready and parent.stdout.read() == b""
    finally:
        for p in [parent.pid] + (pids if "pids" in locals() else []):
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        parent.stdout.close()
