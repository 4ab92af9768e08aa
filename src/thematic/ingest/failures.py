"""Files the last ingest could not read, remembered so `thematic status` can say so (not "new")."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .._limits import DEFAULT_SIZE_LIMITS
from .discover import outside

if TYPE_CHECKING:
    from ..store import Store
    from .report import IngestRow

_KEY = "ingest:failed"


#: Errors of files refused before they were read: such a file is remembered by ``file_stamp``, never opened.
REFUSED_UNREAD = ("[E030]", "[E038]", "[E059]", "[E060]")


def file_stamp(path: Path) -> str | None:
    """``stat:SIZE:MTIME`` from the file's status (the file is not opened), or None when it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    return f"stat:{st.st_size}:{st.st_mtime_ns}"


def file_hash(path: Path, *, root: Path | None = None, limit: int = DEFAULT_SIZE_LIMITS.max_file_bytes) -> str | None:
    """The SHA-256 of a regular file's bytes, read in 1 MiB steps; a file not to be read (a symlink out of
    ``root``, over ``limit``, a pipe or device) gets ``file_stamp`` instead; None when it cannot be read."""
    if root is not None and outside(root, path) is not None:
        return file_stamp(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe opened so never blocks
    except OSError:
        return file_stamp(path)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return f"stat:{st.st_size}:{st.st_mtime_ns}"
        digest, size = hashlib.sha256(), 0
        try:
            while chunk := fh.read(1 << 20):
                size += len(chunk)
                if size > limit:  # grew while it was read
                    return file_stamp(path)
                digest.update(chunk)
        except OSError:
            return None
    return digest.hexdigest()


def failure_hash(path: Path, error: str, *, root: Path | None = None,
                 limit: int = DEFAULT_SIZE_LIMITS.max_file_bytes) -> str | None:
    """What a failed file is remembered by: its status for a file refused unread, else its bytes' hash."""
    return file_stamp(path) if error.startswith(REFUSED_UNREAD) else file_hash(path, root=root, limit=limit)


def failed_files(store: "Store") -> dict[str, tuple[str | None, str]]:
    """Path -> (hash of the bytes that failed, the error), as recorded by the last ingest of each file."""
    raw = store.get_meta(_KEY)
    if not raw:
        return {}
    return {path: (entry.get("hash"), entry.get("error", "")) for path, entry in json.loads(raw).items()}


def record_failures(store: "Store", root: Path, rows: Iterable["IngestRow"], *, full: bool) -> None:
    """Remember this run's failed files; a file read since (or, on a full run, gone) is forgotten."""
    rows = list(rows)
    known = {} if full else {p: {"hash": h, "error": e} for p, (h, e) in failed_files(store).items()}
    for row in rows:
        known.pop(row.path, None)
        if row.status == "failed":
            path = Path(row.path) if Path(row.path).is_absolute() else root / row.path
            known[row.path] = {"hash": failure_hash(path, row.error or "", root=root), "error": row.error or ""}
    if known or store.get_meta(_KEY):
        store.set_meta(_KEY, json.dumps(known, sort_keys=True))
