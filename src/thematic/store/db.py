"""The study's SQLite store: the only module that writes SQL (with ``_twocoders``, its double-coding tables).

Every write runs in a transaction (``BEGIN IMMEDIATE``; nested calls join the outer one), the
database is in WAL mode so a notebook and a CLI run can work at once, and codings are kept as an
append-only event log (``coding_events``) beside a table of their current state (``codings``),
updated in the same transaction as each event. A Store may be used from any thread (ipykernel 7
runs widget callbacks off the main thread): its one connection sits behind a re-entrant lock that
each statement takes, and a transaction holds from BEGIN to COMMIT, so another thread waits for it
instead of joining it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import pandas as pd

from .._perms import create_private_file
from ..errors import Errors, NotFoundError, StoreError
from ..models import (
    CODING_STATUSES,
    Coding,
    Document,
    Participant,
    Segment,
    coding_id,
    utcnow,
)
from .. import schemas
from ._twocoders import TwoCoderTables
from .schema import SCHEMA_VERSION, migrate, schema_version

_CODING_COLS = (
    "coding_id", "document_id", "segment_id", "start", "end", "code_id", "coder", "status",
    "confidence", "codebook_version", "source", "suggester", "params", "batch_id", "memo",
    "reviewer", "flag", "text", "created_at", "updated_at",
)


def _q(col: str) -> str:
    return '"end"' if col == "end" else col


def _derived_id(c: Coding) -> bool:
    """True when ``c.id`` is the id its own span gives (not one passed in explicitly)."""
    return c.id == coding_id(c.document_id, c.start, c.end, c.code_id, c.coder)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)



#: The page a segment starts on, for documents that stored their page start offsets (PDF); else NULL.
_PAGE = ("CASE WHEN instr(d.attributes, '\"pages\"') THEN (SELECT NULLIF(count(*), 0)"
         " FROM json_each(d.attributes, '$.pages') j WHERE j.value <= s.start) END")


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


class _Serialised:
    """A connection shared between threads: each statement runs, and its rows are read, under ``lock``."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self._raw, self._lock = conn, lock

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Rows:
        with self._lock:
            cur = self._raw.execute(sql, params)
            return _Rows(cur.fetchall(), cur.rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> _Rows:
        with self._lock:
            return _Rows([], self._raw.executemany(sql, rows).rowcount)

    def close(self) -> None:
        with self._lock:
            self._raw.close()

    @property
    def raw(self) -> sqlite3.Connection:
        """The underlying connection, for calls that need it whole (the backup API); hold the lock."""
        return self._raw


class Store(TwoCoderTables):
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
            raw = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
            raw.row_factory = sqlite3.Row
            self._conn: Any = _Serialised(raw, self._lock)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            found = schema_version(self._conn)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(Errors.E033.format(path=self.path, timeout=timeout)) from exc
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
            if 0 < found < SCHEMA_VERSION:
                from .backup import auto_backup

                self.last_backup = auto_backup(raw, self.path, f"before-migrate-v{found}")
            migrate(raw)
        self._depth = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (committed data is already on disk)."""
        self._conn.close()

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
        return StoreError(Errors.E034.format(path=self.path, detail=detail))

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    # -- meta --------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A value stored under ``key`` (settings the store remembers between runs)."""
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        with self.transaction():
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- documents and segments --------------------------------------------------------------
    def save_document(self, doc: Document) -> None:
        """Insert or replace a document and all its segments (codings are left as they are)."""
        now = utcnow().isoformat()
        with self.transaction():
            self._conn.execute("DELETE FROM segments WHERE document_id=?", (doc.id,))
            self._conn.execute(
                "INSERT OR REPLACE INTO documents(document_id, path, format, title, text, content_hash,"
                " attributes, warnings, ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.path, doc.format, doc.title, doc.text, doc.content_hash,
                 _json(dict(doc.attributes)), _json(list(doc.warnings)), now),
            )
            self._conn.executemany(
                'INSERT INTO segments(segment_id, document_id, idx, start, "end", speaker, participant_id,'
                " is_interviewer, kind, time_start, time_end, question) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (s.id, doc.id, s.index, s.start, s.end, s.speaker, s.participant_id,
                     int(s.is_interviewer), s.kind, s.time_start, s.time_end, s.question)
                    for s in doc.segments
                ],
            )

    def delete_document(self, document_id: str) -> None:
        """Remove a document and its segments; its codings stay, flagged as orphaned."""
        with self.transaction():
            self._require_document(document_id)
            self._conn.execute("DELETE FROM documents WHERE document_id=?", (document_id,))
            ids = [r[0] for r in self._rows("SELECT coding_id FROM codings WHERE document_id=?", (document_id,))]
            self.flag_codings(ids, "orphaned: document removed", actor="thematic")

    def _require_document(self, document_id: str) -> sqlite3.Row:
        row = self._conn.execute("SELECT * FROM documents WHERE document_id=?", (document_id,)).fetchone()
        if row is None:
            raise NotFoundError(Errors.E012.format(document=document_id))
        return row

    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """``{document_id: (path, content_hash)}`` to find changed inputs without loading texts."""
        return {r[0]: (r[1], r[2]) for r in self._rows("SELECT document_id, path, content_hash FROM documents")}

    def document(self, document_id: str) -> Document:
        """The stored document with its text and segments."""
        row = self._require_document(document_id)
        text = row["text"]
        segs = tuple(
            Segment(
                document_id=document_id, index=r["idx"], start=r["start"], end=r["end"],
                text=text[r["start"]:r["end"]], speaker=r["speaker"], participant_id=r["participant_id"],
                is_interviewer=bool(r["is_interviewer"]), kind=r["kind"], time_start=r["time_start"],
                time_end=r["time_end"], question=r["question"],
            )
            for r in self._rows("SELECT * FROM segments WHERE document_id=? ORDER BY idx", (document_id,))
        )
        return Document(
            id=document_id, path=row["path"], format=row["format"], text=text,
            content_hash=row["content_hash"], segments=segs, title=row["title"],
            attributes=json.loads(row["attributes"]), warnings=tuple(json.loads(row["warnings"])),
        )

    def document_text(self, document_id: str) -> str:
        """The normalised text of a document."""
        return str(self._require_document(document_id)["text"])

    def documents(self) -> pd.DataFrame:
        """One row per document (see ``schemas.DOCUMENTS``)."""
        rows = self._rows(
            "SELECT d.document_id, d.path, d.format, d.title, d.content_hash, length(d.text) AS n_chars,"
            " (SELECT count(*) FROM segments s WHERE s.document_id=d.document_id) AS n_segments,"
            " d.ingested_at FROM documents d ORDER BY d.document_id"
        )
        return self._frame(rows, schemas.DOCUMENTS)

    def segments(
        self,
        *,
        document: str | Iterable[str] | None = None,
        include_interviewer: bool = True,
        with_text: bool = True,
    ) -> pd.DataFrame:
        """Segments in document order (see ``schemas.SEGMENTS``), optionally for some documents."""
        where, params = [], []
        if document is not None:
            docs = [document] if isinstance(document, str) else list(document)
            where.append(f"s.document_id IN ({','.join('?' * len(docs))})")
            params.extend(docs)
        if not include_interviewer:
            where.append("s.is_interviewer = 0")
        text_col = 'substr(d.text, s.start + 1, s."end" - s.start)' if with_text else "NULL"
        sql = (
            f'SELECT s.segment_id, s.document_id, s.idx AS "index", s.start, s."end", s.speaker,'
            f" s.participant_id, s.is_interviewer, s.kind, s.time_start, s.time_end, s.question,"
            f" {text_col} AS text, {_PAGE} AS page FROM segments s JOIN documents d USING (document_id)"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY s.document_id, s.idx"
        )
        rows = self._rows(sql, params)
        df = self._frame(rows, schemas.SEGMENTS)
        df["is_interviewer"] = df["is_interviewer"].astype("boolean")
        df["page"] = pd.array([r["page"] for r in rows], dtype="Int64")
        return df

    def segment(self, segment_id: str) -> Segment:
        """One segment by id."""
        df = self._frame(
            self._rows(
                'SELECT s.segment_id, s.document_id, s.idx AS "index", s.start, s."end", s.speaker,'
                " s.participant_id, s.is_interviewer, s.kind, s.time_start, s.time_end, s.question,"
                ' substr(d.text, s.start + 1, s."end" - s.start) AS text'
                " FROM segments s JOIN documents d USING (document_id) WHERE s.segment_id=?",
                (segment_id,),
            ),
            schemas.SEGMENTS,
        )
        if df.empty:
            raise NotFoundError(Errors.E015.format(segment=segment_id))
        r = df.iloc[0]
        na = pd.isna
        return Segment(
            document_id=str(r.document_id), index=int(r["index"]), start=int(r.start), end=int(r.end),
            text=str(r.text), speaker=None if na(r.speaker) else str(r.speaker),
            participant_id=None if na(r.participant_id) else str(r.participant_id),
            is_interviewer=bool(r.is_interviewer), kind=str(r.kind),  # type: ignore[arg-type]
            time_start=None if na(r.time_start) else float(r.time_start),
            time_end=None if na(r.time_end) else float(r.time_end),
            question=None if na(r.question) else str(r.question),
        )

    # -- participants and exclusions ---------------------------------------------------------
    def save_participants(self, participants: Iterable[Participant]) -> int:
        """Insert or replace participants with their attributes; returns how many."""
        rows = [(p.id, _json(dict(p.attributes))) for p in participants]
        with self.transaction():
            self._conn.executemany(
                "INSERT OR REPLACE INTO participants(participant_id, attributes) VALUES (?, ?)", rows
            )
        return len(rows)

    def participants(self) -> pd.DataFrame:
        """One row per participant: ``participant_id`` then one column per attribute."""
        rows = self._rows("SELECT participant_id, attributes FROM participants ORDER BY participant_id")
        records = [{"participant_id": r[0], **json.loads(r[1])} for r in rows]
        df = pd.DataFrame.from_records(records, columns=None if records else ["participant_id"])
        return df.astype({"participant_id": "string"})

    def save_exclusions(self, document_id: str, exclusions: Mapping[str, str]) -> None:
        """Record screened-out survey respondents and why (replaces the document's previous list)."""
        with self.transaction():
            self._conn.execute("DELETE FROM exclusions WHERE document_id=?", (document_id,))
            self._conn.executemany(
                "INSERT INTO exclusions(document_id, respondent, reason) VALUES (?,?,?)",
                [(document_id, k, v) for k, v in exclusions.items()],
            )

    def exclusions(self) -> pd.DataFrame:
        """Screened-out respondents: document_id, respondent, reason."""
        rows = self._rows("SELECT document_id, respondent, reason FROM exclusions ORDER BY 1, 2")
        return pd.DataFrame([dict(r) for r in rows], columns=["document_id", "respondent", "reason"])

    # -- codebook versions -------------------------------------------------------------------
    def save_codebook_version(self, name: str, version: str, content: str, content_hash: str) -> bool:
        """Record a released codebook version; False if that (name, version) is already stored."""
        with self.transaction():
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO codebook_versions(name, version, content_hash, content, released_at)"
                " VALUES (?,?,?,?,?)",
                (name, version, content_hash, content, utcnow().isoformat()),
            )
        return cur.rowcount == 1

    def codebook_versions(self, name: str | None = None) -> pd.DataFrame:
        """Released codebook versions: name, version, content_hash, released_at (oldest first)."""
        sql = "SELECT name, version, content_hash, released_at FROM codebook_versions"
        rows = self._rows(sql + (" WHERE name=?" if name else "") + " ORDER BY released_at", (name,) if name else ())
        return pd.DataFrame([dict(r) for r in rows], columns=["name", "version", "content_hash", "released_at"])

    def codebook_content(self, name: str, version: str) -> str:
        """The YAML text of a released codebook version."""
        row = self._conn.execute(
            "SELECT content FROM codebook_versions WHERE name=? AND version=?", (name, version)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"[E018] Codebook '{name}' version {version} was never released in this study.")
        return str(row[0])

    # -- batches -----------------------------------------------------------------------------
    def new_batch(self, kind: str, *, actor: str, params: Mapping[str, Any] | None = None) -> str:
        """Start a named batch (a search, a suggester run, an import) that can be undone as one."""
        batch_id = f"{kind.split(':')[0]}-{uuid.uuid4().hex[:10]}"
        with self.transaction():
            self._conn.execute(
                "INSERT INTO batches(batch_id, kind, actor, params, created_at) VALUES (?,?,?,?,?)",
                (batch_id, kind, actor, _json(dict(params or {})), utcnow().isoformat()),
            )
        return batch_id

    def backup(self, target: str | Path | None = None, *, reason: str | None = None) -> Path:
        """Copy the store with SQLite's online backup API (safe while others write); returns the copy's path.

        ``reason`` makes it an automatic backup in ``backups/`` (the newest five are kept).
        """
        from .backup import auto_backup, backup_store

        if reason is not None:
            with self._lock:
                return auto_backup(self._conn.raw, self.path, reason)
        with self._lock:
            return backup_store(self._conn.raw, self.path, target)

    def batches(self) -> pd.DataFrame:
        """All batches with how many codings each still holds."""
        rows = self._rows(
            "SELECT b.batch_id, b.kind, b.actor, b.params, b.created_at, b.undone_at,"
            " (SELECT count(*) FROM codings c WHERE c.batch_id=b.batch_id) AS n_codings"
            " FROM batches b ORDER BY b.created_at"
        )
        cols = ["batch_id", "kind", "actor", "params", "created_at", "undone_at", "n_codings"]
        return pd.DataFrame([dict(r) for r in rows], columns=cols)

    def undo_batch(self, batch_id: str, *, actor: str) -> int:
        """Remove every coding a batch added (logged as removals); returns how many."""
        with self.transaction():
            if self._conn.execute("SELECT 1 FROM batches WHERE batch_id=?", (batch_id,)).fetchone() is None:
                raise NotFoundError(Errors.E017.format(batch=batch_id))
            ids = [r[0] for r in self._rows("SELECT coding_id FROM codings WHERE batch_id=?", (batch_id,))]
            self.remove_codings(ids, actor=actor, note=f"undo batch {batch_id}", batch_id=batch_id)
            self._conn.execute("UPDATE batches SET undone_at=? WHERE batch_id=?", (utcnow().isoformat(), batch_id))
        return len(ids)

    # -- codings: writes ---------------------------------------------------------------------
    def _event(self, coding_id: str, kind: str, actor: str, payload: Mapping[str, Any],
               note: str | None = None, batch_id: str | None = None) -> None:
        self._conn.execute(
            "INSERT INTO coding_events(coding_id, kind, actor, at, note, payload, batch_id)"
            " VALUES (?,?,?,?,?,?,?)",
            (coding_id, kind, actor, utcnow().isoformat(), note, _json(payload), batch_id),
        )

    def _current(self, coding_id: str) -> dict[str, Any]:
        row = self._conn.execute("SELECT * FROM codings WHERE coding_id=?", (coding_id,)).fetchone()
        if row is None:
            raise NotFoundError(Errors.E013.format(coding=coding_id))
        return dict(row)

    def add_codings(self, codings: Iterable[Coding], *, batch_id: str | None = None,
                    actor: str | None = None) -> tuple[int, int]:
        """Add codings unless the same (document, span, code, coder) is already stored in any status.

        A suggestion that was rejected is therefore never suggested again. Returns (added, skipped).
        """
        added = skipped = 0
        with self.transaction():
            for c in codings:
                if c.status not in CODING_STATUSES:
                    raise StoreError(Errors.E016.format(status=c.status, allowed=", ".join(CODING_STATUSES)))
                exists = self._conn.execute(
                    'SELECT 1 FROM codings WHERE document_id=? AND start=? AND "end"=? AND code_id=? AND coder=?'
                    " LIMIT 1",
                    (c.document_id, c.start, c.end, c.code_id, c.coder),
                ).fetchone()
                if exists or (not _derived_id(c) and self._conn.execute(
                        "SELECT 1 FROM codings WHERE coding_id=?", (c.id,)).fetchone()):
                    skipped += 1
                    continue
                c = self._free_id(c)
                row = self._coding_row(c, batch_id)
                self._conn.execute(
                    f"INSERT INTO codings({', '.join(map(_q, _CODING_COLS))}) VALUES ({','.join('?' * len(_CODING_COLS))})",
                    [row[k] for k in _CODING_COLS],
                )
                self._event(c.id, "add", actor or c.coder, row, batch_id=batch_id)
                added += 1
        return added, skipped

    def _free_id(self, c: Coding, taken: set[str] | None = None) -> Coding:
        """``c``, or ``c`` with a salted id when its id is held by a coding re-anchored away from this span."""
        from dataclasses import replace

        salt, cid = 0, c.id
        while (taken is not None and cid in taken) or self._conn.execute(
                "SELECT 1 FROM codings WHERE coding_id=?", (cid,)).fetchone():
            salt += 1
            cid = coding_id(c.document_id, c.start, c.end, c.code_id, c.coder, salt)
        return c if cid == c.id else replace(c, id=cid)

    @staticmethod
    def _coding_row(c: Coding, batch_id: str | None) -> dict[str, Any]:
        now = utcnow().isoformat()
        return {
            "coding_id": c.id, "document_id": c.document_id, "segment_id": c.segment_id,
            "start": c.start, "end": c.end, "code_id": c.code_id, "coder": c.coder, "status": c.status,
            "confidence": c.confidence, "codebook_version": c.codebook_version,
            "source": c.provenance.source, "suggester": c.provenance.name,
            "params": _json(dict(c.provenance.params)), "batch_id": batch_id, "memo": c.memo,
            "reviewer": None, "flag": None, "text": c.text, "created_at": c.created_at.isoformat(),
            "updated_at": now,
        }

    def _update(self, coding_id: str, kind: str, changes: Mapping[str, Any], *, actor: str,
                note: str | None = None, batch_id: str | None = None) -> None:
        before = self._current(coding_id)
        values = {**changes, "updated_at": utcnow().isoformat()}
        sets = ", ".join(f"{_q(k)}=?" for k in values)
        self._conn.execute(f"UPDATE codings SET {sets} WHERE coding_id=?", [*values.values(), coding_id])
        self._event(coding_id, kind, actor, {"before": {k: before[k] for k in changes}, "after": dict(changes)},
                    note=note, batch_id=batch_id)

    def set_status(self, coding_ids: Iterable[str], status: str, *, actor: str, note: str | None = None) -> int:
        """Accept or reject suggestions (or change any status); logs one event per coding."""
        if status not in CODING_STATUSES:
            raise StoreError(Errors.E016.format(status=status, allowed=", ".join(CODING_STATUSES)))
        kind = {"accepted": "accept", "rejected": "reject"}.get(status, "status")
        n = 0
        with self.transaction():
            for cid in coding_ids:
                self._update(cid, kind, {"status": status, "reviewer": actor}, actor=actor, note=note)
                n += 1
        return n

    def remove_codings(self, coding_ids: Iterable[str], *, actor: str, note: str | None = None,
                       batch_id: str | None = None) -> int:
        """Remove codings from the current state; the event log keeps their full record."""
        n = 0
        with self.transaction():
            for cid in coding_ids:
                before = self._current(cid)
                self._conn.execute("DELETE FROM codings WHERE coding_id=?", (cid,))
                self._event(cid, "remove", actor, before, note=note, batch_id=batch_id)
                n += 1
        return n

    def update_codings(self, changes: Mapping[str, Mapping[str, Any]], *, kind: str, actor: str,
                       note: str | None = None) -> int:
        """Apply per-coding field changes (remap, re-anchor, memo) as logged events of ``kind``.

        Allowed fields: code_id, start, end, segment_id, text, codebook_version, memo, flag, status.
        """
        allowed = {"code_id", "start", "end", "segment_id", "text", "codebook_version", "memo", "flag", "status"}
        with self.transaction():
            for cid, fields in changes.items():
                bad = set(fields) - allowed
                if bad:
                    raise StoreError(f"[E019] Codings cannot change {', '.join(sorted(bad))} in place.")
                self._update(cid, kind, fields, actor=actor, note=note)
        return len(changes)

    def flag_codings(self, coding_ids: Iterable[str], flag: str | None, *, actor: str) -> int:
        """Mark codings for review (a split, a retired code, a moved quote); None clears the flag."""
        return self.update_codings({cid: {"flag": flag} for cid in coding_ids}, kind="flag", actor=actor, note=flag)

    # -- codings: reads ----------------------------------------------------------------------
    def codings(
        self,
        *,
        coder: str | Iterable[str] | None = None,
        code: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        document: str | Iterable[str] | None = None,
        batch: str | None = None,
        flagged: bool | None = None,
    ) -> pd.DataFrame:
        """Current codings (see ``schemas.CODINGS``), filtered by any combination of fields."""
        where: list[str] = []
        params: list[Any] = []
        for col, value in (("coder", coder), ("code_id", code), ("status", status), ("document_id", document),
                           ("batch_id", batch)):
            if value is None:
                continue
            vals = [value] if isinstance(value, str) else list(value)
            where.append(f"{col} IN ({','.join('?' * len(vals))})")
            params.extend(vals)
        if flagged is not None:
            where.append("flag IS NOT NULL" if flagged else "flag IS NULL")
        sql = f"SELECT {', '.join(map(_q, _CODING_COLS))} FROM codings"
        sql += (f" WHERE {' AND '.join(where)}" if where else "") + ' ORDER BY document_id, start, "end", code_id, coder'
        return self._frame(self._rows(sql, params), schemas.CODINGS)

    def coding(self, coding_id: str) -> dict[str, Any]:
        """One current coding as a dict of its columns."""
        return self._current(coding_id)

    def events(self, *, coding_id: str | None = None) -> pd.DataFrame:
        """The coding event log, oldest first (see ``schemas.EVENTS``)."""
        sql = "SELECT event_id, coding_id, kind, actor, at, batch_id, note, payload FROM coding_events"
        rows = self._rows(sql + (" WHERE coding_id=?" if coding_id else "") + " ORDER BY event_id",
                          (coding_id,) if coding_id else ())
        return self._frame(rows, schemas.EVENTS)

    def replay_events(self) -> pd.DataFrame:
        """Rebuild the current codings from the event log alone (an audit of the current table)."""
        state: dict[str, dict[str, Any]] = {}
        for r in self._rows("SELECT coding_id, kind, payload FROM coding_events ORDER BY event_id"):
            payload = json.loads(r["payload"])
            if r["kind"] == "add":
                state[r["coding_id"]] = payload
            elif r["kind"] == "remove":
                state.pop(r["coding_id"], None)
            else:
                state[r["coding_id"]].update(payload["after"])
        df = pd.DataFrame(list(state.values()), columns=list(_CODING_COLS))
        return schemas.coerce_frame(df, schemas.CODINGS).sort_values(
            ["document_id", "start", "end", "code_id", "coder"], ignore_index=True
        )

    def counts(self) -> dict[str, Any]:
        """Totals for `thematic status`: documents, segments, participants, codings by status and coder."""
        one = lambda sql: self._conn.execute(sql).fetchone()[0]  # noqa: E731
        by = self._rows("SELECT status, coder, count(*) AS n FROM codings GROUP BY status, coder ORDER BY 1, 2")
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "segments": one("SELECT count(*) FROM segments"),
            "participants": one("SELECT count(*) FROM participants"),
            "codings": one("SELECT count(*) FROM codings"),
            "flagged": one("SELECT count(*) FROM codings WHERE flag IS NOT NULL"),
            "by_status_coder": [(r["status"], r["coder"], r["n"]) for r in by],
            "by_codebook_version": [
                (r[0], r[1]) for r in self._rows(
                    "SELECT coalesce(codebook_version, '?'), count(*) FROM codings GROUP BY 1 ORDER BY 1")
            ],
        }

    # -- refi (REFI-QDA export/import) ---------------------------------------------------------
    def participant_records(self) -> list[Participant]:
        """Participants with their attributes exactly as stored (types kept, unlike the DataFrame)."""
        rows = self._rows("SELECT participant_id, attributes FROM participants ORDER BY participant_id")
        return [Participant(r[0], json.loads(r[1])) for r in rows]

    # -- assisted coding: bulk suggestions -----------------------------------------------------
    def add_codings_bulk(self, codings: Iterable[Coding], *, batch_id: str | None = None,
                         actor: str | None = None) -> tuple[int, int]:
        """``add_codings`` for many rows at once (a suggester run): same rules, same events, far fewer queries.

        A coding whose (document, span, code, coder) or id is already stored, in any status, is
        skipped. The existing keys are read with one covering-index query per 500 documents
        (only the coders being added: the key includes the coder) and the ids with one primary-key
        query per 900 new ids; rows and their ``add`` events (the full row as JSON, exactly as
        ``add_codings`` writes it) are written with ``executemany``. Returns (added, skipped).
        """
        items = codings if isinstance(codings, list) else list(codings)
        bad = {c.status for c in items}.difference(CODING_STATUSES)
        if bad:
            raise StoreError(Errors.E016.format(status=sorted(bad)[0], allowed=", ".join(CODING_STATUSES)))
        now = utcnow().isoformat()
        with self.transaction():
            keys, ids = self._stored_keys(items)
            rows: list[tuple[Any, ...]] = []
            events: list[tuple[Any, ...]] = []
            encode = self._bulk_encoder(batch_id, now)
            for c in items:
                key = (c.document_id, c.start, c.end, c.code_id, c.coder)
                if key in keys:
                    continue
                if c.id in ids:
                    if not _derived_id(c):
                        continue  # an explicit id that is taken: skipped, as always
                    c = self._free_id(c, taken=ids)  # held by a coding re-anchored elsewhere: a fresh id
                keys.add(key)
                ids.add(c.id)
                row, payload = encode(c)
                rows.append(row)
                events.append((c.id, "add", actor or c.coder, now, None, payload, batch_id))
            self._conn.executemany(
                f"INSERT INTO codings({', '.join(map(_q, _CODING_COLS))}) VALUES ({','.join('?' * len(_CODING_COLS))})",
                rows,
            )
            self._conn.executemany(
                "INSERT INTO coding_events(coding_id, kind, actor, at, note, payload, batch_id) VALUES (?,?,?,?,?,?,?)",
                events,
            )
        return len(rows), len(items) - len(rows)

    def _stored_keys(self, items: Sequence[Coding]) -> tuple[set[tuple[Any, ...]], set[str]]:
        """The stored (document, start, end, code, coder) keys of ``items``' documents and coders, and
        which of ``items``' ids are stored (in any document: a coding id is unique)."""
        keys: set[tuple[Any, ...]] = set()
        docs = sorted({c.document_id for c in items})
        coders = sorted({c.coder for c in items})
        for i in range(0, len(docs), 500):
            part = docs[i:i + 500]
            keys.update(tuple(r) for r in self._conn.execute(  # tuples: a sqlite3.Row never equals a tuple
                'SELECT document_id, start, "end", code_id, coder FROM codings'
                f" WHERE document_id IN ({','.join('?' * len(part))}) AND coder IN ({','.join('?' * len(coders))})",
                [*part, *coders]).fetchall())
        wanted = sorted({c.id for c in items})
        ids: set[str] = set()
        for i in range(0, len(wanted), 900):
            part = wanted[i:i + 900]
            ids.update(r[0] for r in self._conn.execute(
                f"SELECT coding_id FROM codings WHERE coding_id IN ({','.join('?' * len(part))})", part))
        return keys, ids

    @staticmethod
    def _bulk_encoder(batch_id: str | None, now: str) -> Any:
        """A function turning a Coding into (its ``codings`` row in ``_CODING_COLS`` order, the JSON of
        that row), the JSON identical to ``_json(row)`` (tested) but filled into a template: strings
        are encoded by json's own C encoder, the params' JSON is made once per params object, and
        any value other than str/int/float/None falls back to ``_json`` of the whole row."""
        from json.encoder import encode_basestring as esc  # raises TypeError unless given a str

        template = "{" + ", ".join(f"{esc(k)}: %s" for k in sorted(_CODING_COLS)) + "}"
        batch, stamp = _json(batch_id), _json(now)
        params_json: dict[int, tuple[Any, str, str]] = {}
        created: list[Any] = [None, "", ""]
        last = [None, "null", None, "null", None, "null"]  # consecutive codings often share these strings
        big = float("inf")

        def quoted(v: Any) -> str:
            """The JSON of a str or None; "" (never valid JSON) for anything else."""
            if v is None:
                return "null"
            try:
                return esc(v)
            except TypeError:
                return ""

        def encode(c: Coding) -> tuple[tuple[Any, ...], str]:
            prov = c.provenance
            got = params_json.get(id(prov.params))
            if got is None or got[0] is not prov.params:
                text = _json(dict(prov.params))
                got = params_json[id(prov.params)] = (prov.params, text, esc(text))
            if c.created_at is not created[0]:
                iso = c.created_at.isoformat()
                created[:] = [c.created_at, iso, esc(iso)]
            start, end, conf, memo, version, name = c.start, c.end, c.confidence, c.memo, c.codebook_version, prov.name
            if c.text is not last[0] or c.segment_id is not last[2] or c.document_id is not last[4]:
                last[:] = [c.text, quoted(c.text), c.segment_id, quoted(c.segment_id), c.document_id,
                           quoted(c.document_id)]
            row = (c.id, c.document_id, c.segment_id, start, end, c.code_id, c.coder, c.status, conf, version,
                   prov.source, name, got[1], batch_id, memo, None, None, c.text, created[1], now)
            plain_conf = conf is None or type(conf) is int or (type(conf) is float and -big < conf < big)
            if type(start) is not int or type(end) is not int or not plain_conf:
                return row, _json(dict(zip(_CODING_COLS, row)))
            try:  # the keys in sorted order: batch_id, code_id, codebook_version, coder, coding_id, ...
                payload = template % (
                    batch, esc(c.code_id), "null" if version is None else esc(version), esc(c.coder), esc(c.id),
                    "null" if conf is None else repr(conf), created[2], last[5] or esc(c.document_id), repr(end),
                    "null", "null" if memo is None else esc(memo), got[2], "null", last[3] or esc(c.segment_id),
                    esc(prov.source), repr(start), esc(c.status), "null" if name is None else esc(name),
                    last[1] or esc(c.text), stamp)
            except TypeError:  # a value that is not a str where one is expected
                payload = _json(dict(zip(_CODING_COLS, row)))
            return row, payload

        return encode

    @staticmethod
    def _frame(rows: list[sqlite3.Row], schema: schemas.Schema) -> pd.DataFrame:
        df = pd.DataFrame([dict(r) for r in rows], columns=list(schema))
        return schemas.coerce_frame(df, schema)


def coding_from_row(row: Mapping[str, Any]) -> Coding:
    """Turn a ``codings()`` row back into a Coding record (keeps its id)."""
    from datetime import datetime

    from ..models import Provenance

    def val(k: str) -> Any:
        v = row.get(k)
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    return Coding(
        document_id=str(row["document_id"]), start=int(row["start"]), end=int(row["end"]),
        code_id=str(row["code_id"]), coder=str(row["coder"]), status=str(row["status"]),  # type: ignore[arg-type]
        text=str(val("text") or ""), segment_id=val("segment_id"),
        confidence=None if val("confidence") is None else float(row["confidence"]),
        codebook_version=val("codebook_version"),
        provenance=Provenance(str(row["source"]), val("suggester"), json.loads(val("params") or "{}")),
        memo=val("memo"), created_at=datetime.fromisoformat(str(row["created_at"])), id=str(row["coding_id"]),
    )


__all__ = ["Store", "coding_from_row"]
