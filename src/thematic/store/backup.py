"""Copies of the store made with SQLite's online backup API: on demand and before risky steps.

``backup_store`` copies a consistent snapshot even while another process writes (the backup API
reads pages under SQLite's own locking). ``auto_backup`` keeps the newest ``KEEP`` copies in
``data/coded/backups/`` and is called before a schema migration and before imports (REFI, coding
sheets), so a damaged or wrongly imported store can be rolled back without losing manual codings.
``restore.restore_store`` puts one back.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from .._perms import PRIVATE_FILE_MODE
from ..errors import Errors, StoreError, display_path

#: How many automatic backups to keep (newest first); `thematic backup` copies are never pruned.
KEEP = 5
AUTO_PREFIX = "auto-"
#: Files SQLite keeps beside a database; a stale one would be applied to whatever file has the store's name.
SIDE_FILES = ("-wal", "-shm", "-journal")
#: Tables every thematic store has (any schema version).
STORE_TABLES = frozenset({"meta", "documents", "segments", "codings", "coding_events"})
SQLITE_HEADER = b"SQLite format 3\x00"


def backups_dir(store_path: Path) -> Path:
    """Where backups of the store at ``store_path`` go: ``backups/`` beside it (``data/coded/backups``)."""
    return store_path.parent / "backups"


def stamp() -> str:
    """A UTC time stamp for file names, to the microsecond (backups sort by it)."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` as it is on disk: no lock, no -wal/-shm made or read beside it."""
    return path.resolve().as_uri() + "?immutable=1"


def is_thematic_store(path: Path) -> bool:
    """Whether ``path`` is an SQLite file with a thematic store's tables (a store or a backup of one)."""
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return False
        con = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False
    return STORE_TABLES <= names


def _study_inputs(store_path: Path) -> tuple[Path, ...]:
    """The study's inputs beside a store at ``<root>/data/coded/``: thematic.toml, codebooks/, data/raw/, private/."""
    coded = store_path.resolve().parent
    root = coded.parent.parent
    if coded.name != "coded" or coded.parent.name != "data" or not (root / "thematic.toml").is_file():
        return ()
    return (root / "thematic.toml", root / "codebooks", root / "data" / "raw", root / "private")


def _refuse(out: Path, why: str, fix: str) -> StoreError:
    return StoreError(Errors.E056.format(path=display_path(out), why=why, fix=fix))


def _check_target(out: Path, store_path: Path, force: bool) -> None:
    """Refuse a target that is the store itself, an input of the study, or an existing file that is not a backup.

    Raises:
        StoreError: [E056] naming why (``force`` replaces only an earlier backup).
    """
    target = out.resolve()
    store = store_path.resolve()
    if target in {store, *(store.with_name(store.name + s) for s in SIDE_FILES)}:
        raise _refuse(out, "this is the study's store itself",
                      "Give another file name, e.g. data/coded/backups/NAME.db, or a folder outside the study.")
    for kept in _study_inputs(store_path):
        if target == kept or kept in target.parents:
            raise _refuse(out, f"this is {'inside ' if target != kept else ''}{display_path(kept)}, one of the "
                          "study's inputs", "Give a file name outside thematic.toml, codebooks/, data/raw/ and "
                          "private/, e.g. data/coded/backups/NAME.db or a folder outside the study.")
    if out.exists() or out.is_symlink():
        if not is_thematic_store(out):
            raise _refuse(out, "the file exists and is not a thematic backup",
                          "Choose a new file name (--force replaces only an earlier backup).")
        if not force:
            raise _refuse(out, "a backup already exists there",
                          "Pass --force (`force=True`) to replace it, or choose a new file name.")


def backup_store(conn: sqlite3.Connection, store_path: Path, target: str | Path | None = None, *,
                 force: bool = False) -> Path:
    """Copy the open store to ``target`` (default: a time-stamped file in ``backups/``) and return its path.

    A folder as ``target`` receives the copy under the default name. An existing file is replaced only when
    it is an earlier backup and ``force`` is set.

    Raises:
        StoreError: [E056] ``target`` is the store, an input of the study (thematic.toml, codebooks/, data/raw/,
            private/) or an existing file that is not a backup (or is one, without ``force``);
            [E034] the copy could not be written (disk full, no permission).
    """
    name = f"thematic-{stamp()}.db"
    if target is None:
        out = backups_dir(store_path) / name
    else:
        out = Path(target)
        if out.is_dir():
            out = out / name
        _check_target(out, store_path, force)
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
    folder = backups_dir(store_path)
    out = backup_store(conn, store_path, folder / f"{AUTO_PREFIX}{stamp()}-{reason}.db")
    old = sorted(folder.glob(f"{AUTO_PREFIX}*.db"), reverse=True)
    for stale in old[KEEP:]:
        stale.unlink(missing_ok=True)
    return out
