"""The study's SQLite store: the connection, transactions and meta; its tables' reads and writes are mixed in
from ``_documents``, ``_codings``, ``_bulk`` and ``_twocoders`` (the only modules that write SQL).

Every write runs in a transaction (``BEGIN IMMEDIATE``; nested calls join the outer one), the
database is in WAL mode so a notebook and a CLI run can work at once, and codings are kept as an
append-only event log (``coding_events``) beside a table of their current state (``codings``),
updated in the same transaction as each event; several reads that make one report run in one read
transaction (``snapshot``), so they see one moment while another process writes. A Store may be used
from any thread (ipykernel 7 runs widget callbacks off the main thread): its one connection sits behind
a re-entrant lock that each statement takes, and a transaction or snapshot holds it from BEGIN to its
end, so another thread waits for it instead of joining it.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .._perms import create_private_file
from ..errors import Errors, StoreError, display_path
from ._bulk import BulkCodings
from ._codings import CodingTables, coding_from_row
from ._documents import DocumentTables
from ._twocoders import TwoCoderTables
from .schema import SCHEMA_VERSION, migrate, schema_version


class _Rows:
    """A statement's result, read in full while the lock was held (fetchone/fetchall/iteration, rowcount)."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows, self.rowcount = rows, rowcount

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return self._rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)


#: SQLite's SQLITE_READONLY_DBMOVED: the file was renamed over (``thematic restore``) after it was opened.
_DBMOVED = getattr(sqlite3, "SQLITE_READONLY_DBMOVED", 1032)


def _moved(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused a write because the store file was replaced since this connection opened it."""
    return getattr(exc, "sqlite_errorcode", None) == _DBMOVED


def _no_room(exc: sqlite3.Error) -> bool:
    """Whether SQLite failed for want of disk space or an I/O error (SQLITE_FULL, SQLITE_IOERR_*), not damage."""
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR)


def _damaged_text(path: Path | str, exc: sqlite3.Error) -> StoreError:
    """E387 for a text value that is not UTF-8, naming its table, row and column (read again to find them)."""
    from .backup import undecodable_text

    where = None
    if path and str(path) != ":memory:":
        try:
            con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
            try:
                where = undecodable_text(con)
            finally:
                con.close()
        except sqlite3.Error:
            pass  # the first error says enough
    found = f"{where} holds bytes that are not UTF-8 text" if where else str(exc).split(" with text")[0]
    return StoreError(Errors.E387.format(what=f"{display_path(Path(path))}: {found}"))


class _Serialised:
    """A connection shared between threads: each statement runs, and its rows are read, under ``lock``."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock, path: Path | str = "") -> None:
        self._raw, self._lock, self._path, self.closed = conn, lock, path, False

    def _open(self) -> sqlite3.Connection:
        """The connection; a closed one raises E042 (say what happened, not sqlite3's ProgrammingError)."""
        if self.closed:
            raise StoreError(Errors.E042.format(path=self._path))
        return self._raw

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Rows:
        with self._lock:
            try:
                cur = self._open().execute(sql, params)
                return _Rows(cur.fetchall(), cur.rowcount)
            except sqlite3.OperationalError as exc:
                if "Could not decode to UTF-8" in str(exc):
                    raise _damaged_text(self._path, exc) from exc
                raise

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> _Rows:
        with self._lock:
            return _Rows([], self._open().executemany(sql, rows).rowcount)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self._raw.close()

    @property
    def raw(self) -> sqlite3.Connection:
        """The underlying connection, for calls that need it whole (the backup API); hold the lock."""
        return self._open()


class Store(DocumentTables, CodingTables, BulkCodings, TwoCoderTables):
    """Open (creating or upgrading) the store at ``path``; use as a context manager or ``close()``.

    Safe to share between threads (see the module docstring).
    """

    def __init__(self, path: str | Path, *, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            if str(self.path) != ":memory:":
                create_private_file(self.path)  # a new store is 0600 (its -wal/-shm files follow it)
            try:
                found = self._connect(exclusive=False)
            except sqlite3.OperationalError as exc:
                if not _no_room(exc):
                    raise
                # No room for the -shm file (a full disk): SQLite then keeps the wal-index in memory, holding the
                # file to itself while open, so reads still work and a write gets E034.
                found = self._connect(exclusive=True)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(Errors.E033.format(path=self.path, timeout=timeout)) from exc
            if _moved(exc):
                raise StoreError(Errors.E049.format(path=self.path)) from exc
            if "unable to open" in str(exc) or "readonly" in str(exc):
                raise StoreError(Errors.E019.format(path=self.path, detail=exc, folder=self.path.parent)) from exc
            if _no_room(exc):
                raise self._no_room_error(exc) from exc
            raise StoreError(Errors.E011.format(path=self.path, detail=exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(Errors.E011.format(path=self.path, detail=exc)) from exc
        if found > SCHEMA_VERSION:
            self._conn.close()
            raise StoreError(Errors.E010.format(path=self.path, found=found, supported=SCHEMA_VERSION))
        if found == 0 and self._has_tables():
            self._conn.close()
            raise StoreError(Errors.E011.format(path=self.path, detail="tables without a schema version"))
        self.migrated_from = found
        #: The automatic backup made before this open's migration, if there was one.
        self.last_backup: Path | None = None
        with self._lock:
            raw = self._conn.raw
            if 0 < found < SCHEMA_VERSION:
                from .backup import auto_backup

                self.last_backup = auto_backup(raw, self.path, f"before-migrate-v{found}")
            try:
                migrate(raw)
            except sqlite3.OperationalError as exc:
                if not _no_room(exc):
                    raise
                self._conn.close()
                raise self._no_room_error(exc) from exc
        self._depth = 0
        self._reading = False  # a snapshot's read transaction is open (``snapshot``)
        if found < SCHEMA_VERSION and str(self.path) != ":memory:":
            self.identity()  # a new or migrated store gets its id now, so `restore` can tell studies apart

    def _connect(self, *, exclusive: bool) -> int:
        """Open the connection and set it up; returns the schema version found. ``exclusive`` keeps SQLite's
        wal-index in memory instead of the -shm file, holding the store to this connection while it is open."""
        raw = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        raw.row_factory = sqlite3.Row
        self._conn: Any = _Serialised(raw, self._lock, self.path)
        try:
            if exclusive:
                self._conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            return schema_version(self._conn)
        except BaseException:
            raw.close()  # a half-open connection would keep its locks from the next try
            raise

    def _no_room_error(self, exc: sqlite3.Error) -> StoreError:
        """E034 for a store that could not be opened for want of room (or an I/O error): not damage (E011)."""
        detail = (f"{exc}: no room on the disk holding {self.path.parent} for the store or its -wal and -shm files, "
                  "or that disk failed; the store itself was not changed, do not restore a backup for this")
        return StoreError(Errors.E034.format(path=self.path, detail=detail))

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (committed data is already on disk); using the store afterwards raises E042."""
        self._conn.close()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called (a closed store raises E042 when used)."""
        return bool(self._conn.closed)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _has_tables(self) -> bool:
        return self._conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return schema_version(self._conn)

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """One atomic write: everything inside commits together or not at all (nests).

        The calling thread holds the store's lock until the outermost transaction ends.
        """
        with self._lock:
            if self._depth == 0 and self._reading:
                self._end_read()  # a write inside a snapshot ends it: BEGIN IMMEDIATE needs the newest store
            if self._depth == 0:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as exc:
                    raise self._coded(exc) from exc
            self._depth += 1
            try:
                yield self
            except BaseException as exc:
                self._depth -= 1
                if self._depth == 0:
                    self._rollback()
                    if isinstance(exc, sqlite3.Error):
                        raise self._coded(exc) from exc
                raise
            self._depth -= 1
            if self._depth == 0:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise self._coded(exc) from exc

    @contextmanager
    def snapshot(self) -> Iterator["Store"]:
        """Reads inside see the store at one moment, whatever other connections commit meanwhile (nests).

        A deferred read transaction: in WAL mode its first read fixes what it sees, and it blocks no writer.
        Inside a write transaction it joins that; a write inside it ends it (the write sees the newest store and
        commits as usual, and later reads see each commit). The calling thread holds the store's lock until the
        outermost one ends.
        """
        with self._lock:
            own = self._depth == 0 and not self._reading
            if own:
                self._begin_read()
            try:
                yield self
            finally:
                if own and self._reading:
                    self._end_read()

    def _begin_read(self) -> None:
        self._conn.execute("BEGIN")
        self._reading = True

    def _end_read(self) -> None:
        """End a snapshot's read transaction (it wrote nothing, so rolling back ends it as COMMIT would)."""
        self._reading = False
        if not self._conn.closed:
            self._rollback()

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite already rolled back (disk full, I/O error): keep the first error, not this one

    def _coded(self, exc: sqlite3.Error) -> StoreError:
        """A coded StoreError for a failed write: E033 locked, else E034 (disk full, I/O error...)."""
        detail = str(exc)
        if "locked" in detail or "busy" in detail:
            return StoreError(Errors.E033.format(path=self.path, timeout=self.timeout))
        if _moved(exc):
            return StoreError(Errors.E049.format(path=self.path))
        return StoreError(Errors.E034.format(path=self.path, detail=detail))

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    # -- meta --------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A value stored under ``key`` (settings the store remembers between runs)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def identity(self) -> str:
        """This store's random id, made on first use: files it exports carry it, so a file from another
        study is recognised on import (a backup or copy of the store keeps the id)."""
        found = self.get_meta("store_id")
        if found:
            return found
        import uuid

        with self.transaction():
            found = self.get_meta("store_id") or uuid.uuid4().hex
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('store_id', ?)", (found,))
        return found

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        with self.transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def backup(self, target: str | Path | None = None, *, reason: str | None = None, force: bool = False) -> Path:
        """Copy the store with SQLite's online backup API (safe while others write); returns the copy's path.

        ``reason`` makes it an automatic backup in ``backups/`` (the newest five are kept). A folder as ``target``
        gets the default name; an existing file is replaced only if it is a backup and ``force`` is set (E056).
        """
        from .backup import auto_backup, backup_store

        if reason is not None:
            with self._lock:
                return auto_backup(self._conn.raw, self.path, reason)
        with self._lock:
            return backup_store(self._conn.raw, self.path, target, force=force)

    def counts(self) -> dict[str, Any]:
        """Totals for `thematic status`: documents, segments, participants (who speak, as tables count N; ``roster``:
        those on record), codings by status and coder (an accepted suggestion is its reviewer's), read at one moment."""
        one = lambda sql: self._conn.execute(sql).fetchone()[0]  # noqa: E731
        with self.snapshot():  # the totals agree with each other while another process writes
            by = self._rows("SELECT status, CASE WHEN status='accepted' AND reviewer IS NOT NULL THEN reviewer "
                            "ELSE coder END AS coder, count(*) AS n FROM codings GROUP BY 1, 2 ORDER BY 1, 2")
            return {
                "documents": one("SELECT count(*) FROM documents"),
                "segments": one("SELECT count(*) FROM segments"),
                "participants": one("SELECT count(DISTINCT participant_id) FROM segments "
                                    "WHERE participant_id IS NOT NULL AND NOT is_interviewer"),
                "roster": one("SELECT count(*) FROM participants"),
                "codings": one("SELECT count(*) FROM codings"),
                "flagged": one("SELECT count(*) FROM codings WHERE flag IS NOT NULL"),
                "by_status_coder": [(r["status"], r["coder"], r["n"]) for r in by],
                "by_codebook_version": [
                    (r[0], r[1]) for r in self._rows(
                        "SELECT coalesce(codebook_version, '?'), count(*) FROM codings GROUP BY 1 ORDER BY 1")
                ],
            }


__all__ = ["Store", "coding_from_row"]
