"""Copies of the store made with SQLite's online backup API: on demand and before risky steps.

``backup_store`` copies a consistent snapshot even while another process writes (the backup API
reads pages under SQLite's own locking). ``auto_backup`` keeps the newest ``KEEP`` copies in
``data/coded/backups/`` and is called before a schema migration and before imports (REFI, coding
sheets), so a damaged or wrongly imported store can be rolled back without losing manual codings.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from .._perms import PRIVATE_FILE_MODE
from ..errors import Errors, StoreError

#: How many automatic backups to keep (newest first); `thematic backup` copies are never pruned.
KEEP = 5
AUTO_PREFIX = "auto-"


def backups_dir(store_path: Path) -> Path:
    """Where backups of the store at ``store_path`` go: ``backups/`` beside it (``data/coded/backups``)."""
    return store_path.parent / "backups"


def backup_store(conn: sqlite3.Connection, store_path: Path, target: str | Path | None = None) -> Path:
    """Copy the open store to ``target`` (default: a time-stamped file in ``backups/``) and return its path.

    Raises:
        StoreError: [E034] the copy could not be written (disk full, no permission).
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    out = Path(target) if target is not None else backups_dir(store_path) / f"thematic-{stamp}.db"
    tmp = out.with_name(f".{out.name}.tmp{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE_MODE)
        os.close(fd)
        dest = sqlite3.connect(tmp)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.replace(tmp, out)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(Errors.E034.format(path=out, detail=exc)) from exc
    return out


def auto_backup(conn: sqlite3.Connection, store_path: Path, reason: str) -> Path:
    """A backup in ``backups/`` named for ``reason`` (e.g. ``migrate-v2``); older automatic ones beyond KEEP go."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder = backups_dir(store_path)
    out = backup_store(conn, store_path, folder / f"{AUTO_PREFIX}{stamp}-{reason}.db")
    old = sorted(folder.glob(f"{AUTO_PREFIX}*.db"), reverse=True)
    for stale in old[KEEP:]:
        stale.unlink(missing_ok=True)
    return out
