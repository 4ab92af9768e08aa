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


#: What in a study no chosen output may replace (path parts from the study folder): the pseudonym key, the
#: inputs, the store with its side files, its backups and caches. The study writes there itself; an export never
#: does (exports of codings may still go to data/coded/).
PROTECTED: dict[tuple[str, ...], str] = {
    ("private",): "the pseudonym key",
    ("data", "raw"): "the transcripts and surveys the study reads",
    ("data", "coded", "backups"): "the store's backups",
    ("data", "coded", "cache"): "the encoder's and language model's caches",
    ("data", "coded", "models"): "the trained suggesters",
}
_STORE_FILES = ("thematic.db", "thematic.db-wal", "thematic.db-shm", "thematic.db-journal")
_CONFIG = "thematic.toml"


def _protected(parts: tuple[str, ...]) -> tuple[str, str] | None:
    """(folder, what it holds) when a path with these parts (from the study folder) may not be written."""
    if parts[:2] == ("data", "coded") and len(parts) == 3 and parts[2].casefold() in _STORE_FILES:
        return "data/coded/", "the store"
    for prefix, what in PROTECTED.items():
        if tuple(p.casefold() for p in parts[:len(prefix)]) == prefix and len(parts) > len(prefix):
            return "/".join(prefix) + "/", what
    return None


def check_output(target: str | Path) -> None:
    """E067 when ``target`` would replace the study's pseudonym key, an input, the store or its backups:
    nothing could bring those back."""
    target = Path(target)
    if target.name in ("", ".", ".."):
        return
    where = target.parent.resolve() / target.name
    for root in where.parents:
        if (root / _CONFIG).is_file():
            found = _protected(where.relative_to(root).parts)
            if found is not None:
                raise InputError(Errors.E067.format(path=where, folder=found[0], what=found[1]))
            return


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
def atomic_path(target: str | Path, *, internal: bool = False) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; on success it replaces ``target``, else it is removed.
    A ``target`` that is a symlink, pipe, device or socket is refused (E417) before anything is written, and
    so is one that would replace a study's pseudonym key, inputs or store (E067) unless the study writes it itself (``internal``).

    Example:
        >>> with atomic_path("reports/appendix.docx") as tmp:
        ...     document.save(tmp)
    """
    target = Path(target)
    check_target(target)
    if not internal:
        check_output(target)
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


def write_text_atomic(target: str | Path, text: str, *, encoding: str = "utf-8", internal: bool = False) -> Path:
    """Write ``text`` to ``target`` atomically (newlines written as given); ``internal`` as for ``atomic_path``."""
    with atomic_path(target, internal=internal) as tmp:
        with open(tmp, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
    return Path(target)
