"""Atomic file writes: write beside the target, then rename, so a crash never leaves half a file."""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ._files import file_kind, process_alive
from .errors import Errors, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(target: Path) -> None:
    """E417 when ``target`` exists and is a symlink, pipe, device or socket: the rename would replace the node
    itself (a FIFO or /dev/full would become a plain file) while the command reports writing to it."""
    try:
        mode = os.lstat(target).st_mode
    except OSError:
        return  # missing (or unreadable: the write reports it)
    kind = file_kind(mode)
    if kind is None:
        return  # a folder fails in the rename with its own OSError
    if stat.S_ISLNK(mode):
        kind += f" to {os.readlink(target)}"
    raise InputError(Errors.E417.format(path=target, kind=kind))


def publish(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the permissions a normally created file would have, then rename it onto ``target``."""
    check_target(target)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; a report or sheet is meant to be shared
    os.replace(tmp, target)


def _clean_stale(target: Path) -> None:
    """Remove ``target``'s temporary files left by a writer that was killed (named ``.NAME.PID-XXXX.tmp``, PID gone)."""
    start = len(target.name) + 2
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*-*.tmp"):
        pid = tmp.name[start:].split("-", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success it replaces ``target``, else it is removed.
    A ``target`` that is a symlink, pipe, device or socket is refused (E417) before anything is written.

    Example:
        >>> with atomic_path("reports/appendix.docx") as tmp:
        ...     document.save(tmp)
    """
    target = Path(target)
    check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        publish(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(target: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically (newlines written as given)."""
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
    return Path(target)
