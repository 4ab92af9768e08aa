"""Put a backup back in place of the store (`thematic restore`).

Copying a backup over ``thematic.db`` by hand lets SQLite replay a leftover ``thematic.db-wal`` (from a
killed session, and belonging to the old file) onto the copy: a damaged store, or codings the backup never
held. ``restore_store`` checks the backup, keeps a copy of the store it replaces, removes those files and
renames the backup into place in one step.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._perms import PRIVATE_FILE_MODE
from ..errors import Errors, StoreError, Warnings, display_path
from .backup import (SIDE_FILES, SQLITE_HEADER, STORE_TABLES, backups_dir, read_only_uri, stamp,
                     undecodable_text)
from .db import Store
from .schema import SCHEMA_VERSION, migrate

#: The name of the copy `restore_store` keeps of the store it replaces (in ``backups/``).
BEFORE_RESTORE_PREFIX = "before-restore-"


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What ``restore_store`` did: the store now holds ``backup``; ``before`` keeps the store it replaced."""

    store: Path
    backup: Path
    #: The copy of the replaced store (``backups/before-restore-TIME.db``); None when there was no store.
    before: Path | None
    documents: int
    codings: int
    #: Leftover SQLite files (``thematic.db-wal``...) removed so they are not applied to the restored store.
    removed: tuple[str, ...] = ()
    #: SQLite files beside the backup (``FILE-wal``) read in with it, as SQLite reads them; they are left as they were.
    read: tuple[str, ...] = ()
    #: What the study's files say against the restored store ([W552]: texts of a REFI import it does not hold).
    notes: tuple[str, ...] = ()


def _unusable(backup: Path, detail: object) -> StoreError:
    return StoreError(Errors.E054.format(path=display_path(backup), detail=detail))


def _schema_objects(version: int) -> set[tuple[str, str]]:
    """(type, name) of every table, index, view and trigger a new thematic store of schema ``version`` has."""
    con = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(con, version)
        return {(str(t), str(n)) for t, n in con.execute("SELECT type, name FROM sqlite_master")}
    finally:
        con.close()


def _foreign_objects(con: sqlite3.Connection, version: int) -> list[str]:
    """What the backup's schema holds that thematic's (of its version) does not: ``trigger 'x'``, ``view 'y'``...
    (``sqlite_stat*`` tables, the query planner's statistics, are allowed)."""
    ours = _schema_objects(version)
    found = {(str(t), str(n)) for t, n in con.execute("SELECT type, name FROM sqlite_master")}
    return [f"{t} '{n}'" for t, n in sorted(found - ours) if not n.startswith("sqlite_stat")]


def _check_backup(copy: Path, backup: Path) -> str | None:
    """Check ``copy`` (the bytes about to be installed) is a thematic store SQLite finds intact; its store id.

    Raises:
        StoreError: [E054] not SQLite, damaged (``PRAGMA integrity_check``, or a text value that is not UTF-8),
            not a thematic store, or newer, or
            holding a trigger, view, table or index that thematic's schema of its version does not create.
    """
    with open(copy, "rb") as fh:
        head = fh.read(16)
    if head != SQLITE_HEADER:
        raise _unusable(backup, "an empty file" if not head else "not an SQLite database")
    try:
        con = sqlite3.connect(read_only_uri(copy), uri=True)
        try:
            problems = [str(r[0]) for r in con.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise _unusable(backup, "PRAGMA integrity_check found damage: " + "; ".join(problems))
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not names:
                raise _unusable(backup, "an empty SQLite database")
            if version == 0 or not STORE_TABLES <= names:
                missing = ", ".join(sorted(STORE_TABLES - names)) or "a schema version"
                raise _unusable(backup, f"an SQLite database, but not a thematic store (it has no {missing})")
            if version > SCHEMA_VERSION:
                raise _unusable(backup, f"made by a newer thematic (store schema {version}; this one reads up to "
                                f"{SCHEMA_VERSION}); upgrade thematic first")
            foreign = _foreign_objects(con, version)
            if foreign:
                raise _unusable(backup, (
                    f"it holds {', '.join(foreign)}, which no thematic store (schema {version}) has; a trigger or "
                    "view would run its own SQL inside your store"))
            row = con.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
            damaged = undecodable_text(con)
            if damaged:
                raise _unusable(backup, f"{damaged} holds bytes that are not UTF-8 text (damaged on disk or in "
                                "copying), which PRAGMA integrity_check does not look for")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise _unusable(backup, f"SQLite cannot read it: {exc}") from exc
    return str(row[0]) if row else None


#: Files beside a database that hold part of it (committed changes not yet written back, or a transaction to undo).
_READ_BESIDE = ("-wal", "-journal")


def _read_beside(backup: Path, copy: Path) -> tuple[str, ...]:
    """Fold the -wal (or hot -journal) lying beside ``backup`` into ``copy``, as SQLite would apply it on
    opening the backup, so the copy holds what SQLite reads there; the names of the files read (none: none lie there).

    Raises:
        StoreError: [E054] SQLite cannot read the backup with them.
    """
    found = [s for s in _READ_BESIDE if backup.with_name(backup.name + s).is_file()]
    if not found:
        return ()
    with open(copy, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            return ()  # not SQLite: _check_backup says so
    names = tuple(backup.name + s for s in found)
    try:
        for suffix in found:
            shutil.copyfile(backup.with_name(backup.name + suffix), copy.with_name(copy.name + suffix))
        con = sqlite3.connect(copy, isolation_level=None)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.execute("PRAGMA journal_mode=DELETE").fetchone()  # writes the WAL's pages into the copy
        finally:
            con.close()
    except OSError as exc:
        raise _unusable(backup, f"{', '.join(names)} beside it could not be read: {exc.strerror or exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise _unusable(backup, f"SQLite cannot read it with {', '.join(names)} beside it: {exc}") from exc
    return names


def _open_current(store_path: Path, timeout: float) -> sqlite3.Connection | None:
    """The current store, out of WAL mode (committed work in its WAL written into it) and read-locked, so no
    session can write while it is replaced; None when it is too damaged for SQLite to open.

    Raises:
        StoreError: [E053] another connection has the store open (leaving WAL mode needs every one closed).
    """
    with open(store_path, "rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            return None  # not opened: SQLite would delete a -wal beside it on closing, and that is kept too
    conn = sqlite3.connect(store_path, timeout=timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the read lock
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(Errors.E053.format(path=display_path(store_path))) from exc
        return None
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _store_id(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def _documents(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    """(document id, content hash) of every document in the store open on ``conn``."""
    try:
        return {(str(r[0]), str(r[1])) for r in conn.execute("SELECT document_id, content_hash FROM documents")}
    except sqlite3.Error:
        return set()


def _check_same_study(conn: sqlite3.Connection, tmp: Path, backup: Path) -> None:
    """Without both store ids, a backup counts as this study's when it shares a document (same id and text)
    with the live store, or the live store holds nothing to lose; E360 otherwise."""
    current = _documents(conn)
    try:
        codings = int(conn.execute("SELECT count(*) FROM codings").fetchone()[0])
    except sqlite3.Error:
        codings = 0
    if not current and not codings:
        return
    other = sqlite3.connect(f"file:{tmp}?mode=ro", uri=True)
    try:
        theirs = _documents(other)
    finally:
        other.close()
    if current & theirs:
        return
    why = ("the backup holds no document" if not theirs else
           f"the backup's {len(theirs)} document(s) share none (by id and text) with this study's {len(current)}")
    raise StoreError(Errors.E360.format(path=display_path(backup), why=why, documents=len(current),
                                        codings=codings))


def _set_store_id(path: Path, store_id: str) -> None:
    """Write ``store_id`` into the store file at ``path`` (a backup made before stores had ids)."""
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('store_id', ?)", (store_id,))
    finally:
        con.close()


def _keep_before(conn: sqlite3.Connection | None, store_path: Path) -> Path:
    """Copy the store about to be replaced into ``backups/``: with the backup API, or byte for byte if damaged."""
    folder = backups_dir(store_path)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{BEFORE_RESTORE_PREFIX}{stamp()}.db"
    fd = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE)
    os.close(fd)
    if conn is not None:
        dest = sqlite3.connect(out)
        try:
            conn.backup(dest)
            return out
        except sqlite3.DatabaseError:
            pass  # pages SQLite cannot read: keep the files as they are instead
        finally:
            dest.close()
    shutil.copyfile(store_path, out)
    wal = store_path.with_name(store_path.name + "-wal")
    if wal.is_file():  # beside the copy under SQLite's name for it, so the pair opens as the store did
        shutil.copyfile(wal, out.with_name(out.name + "-wal"))
    return out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


#: Where a REFI import writes the texts it brings in (``thematic.refi.plan.RAW_FOLDER``), under the study folder.
IMPORT_TEXTS = "data/raw/refi"


def _unheld_import_texts(store: Store, root: Path) -> tuple[str, ...]:
    """W552 when ``data/raw/refi`` holds files the store has no document for (the texts of an import the restored
    backup predates, which the next ingest would add as new documents); nothing is deleted."""
    folder = root / IMPORT_TEXTS
    if not folder.is_dir():
        return ()
    held = set(store.documents()["path"].astype(str))
    files = sorted(f"{IMPORT_TEXTS}/{p.name}" for p in folder.iterdir()
                   if p.is_file() and not p.name.startswith(".") and f"{IMPORT_TEXTS}/{p.name}" not in held)
    if not files:
        return ()
    return (Warnings.W552.format(folder=f"{IMPORT_TEXTS}/", n=len(files), files=", ".join(files),
                                 rm=" ".join(shlex.quote(f) for f in files)),)


def restore_store(store_path: str | Path, backup: str | Path, *, force: bool = False,
                  timeout: float = 5.0, root: str | Path | None = None) -> RestoreReport:
    """Replace the store at ``store_path`` with ``backup``, so it holds exactly what the backup holds.

    The backup is read as SQLite reads it: a ``-wal`` beside it is applied to a copy (the backup's own files are
    left as they were). It is checked first (an SQLite file that passes ``PRAGMA integrity_check`` and has a
    thematic store's tables, of this study unless ``force``). The current store is copied to
    ``backups/before-restore-TIME.db``, its leftover ``-wal``/``-shm`` files are removed, and the backup is
    renamed into place in one step; the result is then opened (a backup from an older release is migrated).

    Raises:
        StoreError: [E053] another session has the store open; [E054] the backup is missing, damaged, not a
            thematic store or from a newer thematic; [E055] it is another study's store (without ``force``);
            [E360] without both store ids, it shares no document with a store that is not empty (without ``force``);
            [E034] the files could not be written.

    With the study folder ``root``, the report's notes name the files in ``data/raw/refi`` the restored store has no
    document for ([W552]: an import the backup predates wrote them; the next ingest would add them).
    """
    store_path, backup = Path(store_path), Path(backup)
    if not backup.is_file():
        raise _unusable(backup, "no such file" if not backup.exists() else "not a file")
    if backup.resolve() == store_path.resolve():
        raise _unusable(backup, "it is the store itself")
    store_path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{store_path.name}.restore-", suffix=".tmp", dir=store_path.parent)
    os.close(fd)
    tmp = Path(name)
    conn: sqlite3.Connection | None = None
    before: Path | None = None
    removed: list[str] = []
    read: tuple[str, ...] = ()
    try:
        try:
            shutil.copyfile(backup, tmp)
        except OSError as exc:
            raise _unusable(backup, exc.strerror or exc) from exc
        read = _read_beside(backup, tmp)
        backup_id = _check_backup(tmp, backup)
        if store_path.exists():
            conn = _open_current(store_path, timeout)
            current_id = _store_id(conn) if conn is not None else None
            if backup_id and current_id and backup_id != current_id and not force:
                raise StoreError(Errors.E055.format(path=display_path(backup), found=backup_id,
                                                    expected=current_id))
            if not (backup_id and current_id) and conn is not None and not force:
                _check_same_study(conn, tmp, backup)
            if current_id and not backup_id:
                _set_store_id(tmp, current_id)  # exported coding sheets carry it, and still import
            before = _keep_before(conn, store_path)
        _fsync(tmp)
        for suffix in SIDE_FILES:
            side = store_path.with_name(store_path.name + suffix)
            if side.exists():
                side.unlink()
                removed.append(side.name)
        os.replace(tmp, store_path)
    except OSError as exc:
        raise StoreError(Errors.E034.format(path=store_path, detail=exc)) from exc
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + suffix) for suffix in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
        if conn is not None:
            conn.close()  # its read lock was on the replaced file
    with Store(store_path) as store:
        counts = store.counts()
        notes = _unheld_import_texts(store, Path(root)) if root is not None else ()
    return RestoreReport(store_path, backup, before, counts["documents"], counts["codings"], tuple(removed), read,
                         notes)
