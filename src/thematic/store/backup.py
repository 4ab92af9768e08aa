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

from .._atomic import check_name, temp_stem
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


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def undecodable_text(con: sqlite3.Connection) -> str | None:
    """Where the first text value that is not UTF-8 lies ("table 'documents', row document_id='int-01', column
    'text'"), None when every one decodes. ``PRAGMA integrity_check`` does not look inside values, and reading
    such a value fails. Sets ``con.text_factory`` to bytes: give it a connection of its own."""
    tables = [str(r[0]) for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    columns = {t: [(str(r[1]), int(r[5])) for r in con.execute(f"PRAGMA table_info({_quoted(t)})")] for t in tables}
    con.text_factory = bytes
    for table, cols in columns.items():
        keys = [name for name, pk in sorted(cols, key=lambda c: c[1]) if pk] or ["rowid"]
        picked = ", ".join([*map(_quoted, keys), *(f"typeof({_quoted(c)}), {_quoted(c)}" for c, _ in cols)])
        try:
            rows = con.execute(f"SELECT {picked} FROM {_quoted(table)}")
        except sqlite3.OperationalError:
            continue  # no rowid to name a row by (a WITHOUT ROWID table has a key, so this is not thematic's)
        for row in rows:
            values = row[len(keys):]
            for i, (col, _) in enumerate(cols):
                kind, value = values[2 * i], values[2 * i + 1]
                if kind != b"text":
                    continue
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    key = ", ".join(f"{k}={_shown(v)}" for k, v in zip(keys, row))
                    return f"table '{table}', row {key}, column '{col}'"
    return None


def _shown(value: object) -> str:
    """A key value as shown in a message: text quoted (undecodable bytes replaced), numbers as they are."""
    return repr(value.decode("utf-8", "replace")) if isinstance(value, bytes) else repr(value)


def _study_inputs(store_path: Path) -> tuple[Path, ...]:
    """The study's inputs beside a store at ``<root>/data/coded/``: thematic.toml, codebooks/, data/raw/, private/."""
    coded = store_path.resolve().parent
    root = coded.parent.parent
    if coded.name != "coded" or coded.parent.name != "data" or not (root / "thematic.toml").is_file():
        return ()
    return (root / "thematic.toml", root / "codebooks", root / "data" / "raw", root / "private")


def _refuse(out: Path, why: str, fix: str) -> StoreError:
    return StoreError(Errors.E056.format(path=display_path(out), why=why, fix=fix))


def _store_id_of(conn: sqlite3.Connection) -> str | None:
    """The store id in the meta table on ``conn`` (None when it has none or cannot be read)."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] is not None else None


def _file_store_id(path: Path) -> str | None:
    """The store id of the thematic store file at ``path``, read as it is on disk."""
    try:
        con = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        return _store_id_of(con)
    finally:
        con.close()


def _study_of_store(path: Path) -> Path | None:
    """The study folder whose store ``path`` is (``<root>/data/coded/thematic.db`` beside a thematic.toml)."""
    target = path.resolve()
    root = target.parent.parent.parent
    if target.name == "thematic.db" and target.parent.name == "coded" and target.parent.parent.name == "data" \
            and (root / "thematic.toml").is_file():
        return root
    return None


def _check_target(out: Path, store_path: Path, force: bool, conn: sqlite3.Connection | None = None) -> None:
    """Refuse a target that is the store itself, an input of the study, or an existing file that is not an
    earlier backup of this study (another study's store or backup, or a file with SQLite's side files beside it,
    whose stale -wal SQLite would apply to the new backup).

    Raises:
        StoreError: [E056] naming why (``force`` replaces only an earlier backup of this study).
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
    if not (out.exists() or out.is_symlink()):
        return
    new_name = "Choose a new file name (--force replaces only an earlier backup of this study)."
    if not is_thematic_store(out):
        raise _refuse(out, "the file exists and is not a thematic backup", new_name)
    root = _study_of_store(out)
    if root is not None:
        raise _refuse(out, f"this is the store of the study at {display_path(root)}, not a backup", new_name)
    sides = [out.name + s for s in SIDE_FILES if out.with_name(out.name + s).exists()]
    if sides:
        raise _refuse(out, f"{', '.join(sides)} lies beside it: the file is open in a program, or was when that "
                      "program stopped, and SQLite would apply that file to the new backup", new_name)
    theirs = _file_store_id(out)
    ours = _store_id_of(conn) if conn is not None else None
    if ours is not None and theirs != ours:
        why = (f"the file is a backup of another study (store id {theirs}; this study's is {ours})" if theirs else
               "the file is a thematic store without a store id, so it cannot be told to be a backup of this study")
        raise _refuse(out, why, new_name)
    if not force:
        raise _refuse(out, "a backup already exists there",
                      "Pass --force (`force=True`) to replace it, or choose a new file name.")


def backup_store(conn: sqlite3.Connection, store_path: Path, target: str | Path | None = None, *,
                 force: bool = False) -> Path:
    """Copy the open store to ``target`` (default: a time-stamped file in ``backups/``) and return its path.

    A folder as ``target`` receives the copy under the default name. An existing file is replaced only when
    it is an earlier backup of this study (same store id, no -wal/-shm/-journal beside it) and ``force`` is set.

    Raises:
        StoreError: [E056] ``target`` is the store, an input of the study (thematic.toml, codebooks/, data/raw/,
            private/), a study's store, or an existing file that is not an earlier backup of this study (or is
            one, without ``force``);
            [E034] the copy could not be written (disk full, no permission).
        InputError: [E062] ``target``'s name is longer than its file system takes.
    """
    name = f"thematic-{stamp()}.db"
    if target is None:
        out = backups_dir(store_path) / name
    else:
        out = Path(target)
        check_name(out)
        if out.is_dir():
            out = out / name
        _check_target(out, store_path, force, conn)
    tmp = out.with_name(f".{temp_stem(out)}.tmp{os.getpid()}")  # its SQLite journal too must fit a long name
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
