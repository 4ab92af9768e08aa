"""Processes the tests start die with the test run: a server must not outlive a pytest killed by a signal."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from typing import Any, Callable

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGTERM the child when this process dies (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    parent = os.getpid()

    def _tie() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the tie was made
            os._exit(1)

    return _tie


def popen_tied(cmd: list[str], **kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen`` whose child is stopped by the kernel if the test process is killed."""
    return subprocess.Popen(cmd, preexec_fn=die_with_parent(), **kwargs)  # noqa: PLW1509 - no threads started yet
