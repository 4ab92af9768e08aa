"""What kind of node a path is (named the same way wherever thematic refuses a file that is not a plain file), and
whether the process that named a temporary file after itself still runs."""

from __future__ import annotations

import os
import stat

__all__ = ["file_kind", "process_alive"]


def file_kind(mode: int) -> str | None:
    """What a file that is not a plain file or folder is (``a pipe (FIFO)``, ``a device``...), else None;
    one ``mode`` from ``os.lstat`` or ``os.stat``, so readers and writers name odd files alike."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a temporary file named after a dead one is stale)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it runs, as another user
    return True
