"""The store's SQL schema as explicit, numbered migration steps (Alembic style).

A new database runs every step in order; an older one runs the steps it lacks on open. The
schema version is SQLite's ``PRAGMA user_version``. Never edit a released step: add a new one.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

Step = Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statements one by one (``executescript`` would commit the open transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1(conn: sqlite3.Connection) -> None:
    """Documents, segments, participants, codebook versions, codings and their event log."""
    _run(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            document_id TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            format TEXT NOT NULL,
            title TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE segments (
            segment_id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(document_id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            speaker TEXT,
            participant_id TEXT,
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            kind TEXT NOT NULL,
            time_start REAL,
            time_end REAL,
            question TEXT,
            CHECK (start <= "end")
        );
        CREATE INDEX segments_document ON segments(document_id, idx);
        CREATE TABLE participants (
            participant_id TEXT PRIMARY KEY,
            attributes TEXT NOT NULL DEFAULT '{}'
        );
        CREATE TABLE codebook_versions (
            name TEXT NOT NULL,
            version TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            content TEXT NOT NULL,
            released_at TEXT NOT NULL,
            PRIMARY KEY (name, version)
        );
        CREATE TABLE coding_events (
            event_id INTEGER PRIMARY KEY AUTOINCREMENT,
            coding_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            note TEXT,
            payload TEXT NOT NULL
        );
        CREATE INDEX coding_events_coding ON coding_events(coding_id);
        CREATE TABLE codings (
            coding_id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL,
            segment_id TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            code_id TEXT NOT NULL,
            coder TEXT NOT NULL,
            status TEXT NOT NULL,
            confidence REAL,
            codebook_version TEXT,
            source TEXT NOT NULL,
            suggester TEXT,
            params TEXT NOT NULL DEFAULT '{}',
            memo TEXT,
            reviewer TEXT,
            flag TEXT,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX codings_key ON codings(document_id, start, "end", code_id, coder);
        CREATE INDEX codings_code ON codings(code_id);
        CREATE INDEX codings_segment ON codings(segment_id);
        """
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Batches (one reversible run: a search, a suggester run, an import) and survey exclusions."""
    _run(
        conn,
        """
        CREATE TABLE batches (
            batch_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            undone_at TEXT
        );
        ALTER TABLE codings ADD COLUMN batch_id TEXT;
        ALTER TABLE coding_events ADD COLUMN batch_id TEXT;
        CREATE INDEX codings_batch ON codings(batch_id);
        CREATE TABLE exclusions (
            document_id TEXT NOT NULL,
            respondent TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (document_id, respondent)
        );
        """
    )


def _v3(conn: sqlite3.Connection) -> None:
    """Two coders: what each coder saw (coverage), double-coding samples, consensus decisions."""
    _run(
        conn,
        """
        CREATE TABLE coverage (
            coder TEXT NOT NULL,
            segment_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            source TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (coder, segment_id)
        );
        CREATE INDEX coverage_document ON coverage(document_id);
        CREATE TABLE samples (
            sample_id TEXT PRIMARY KEY,
            coder TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        );
        CREATE TABLE sample_segments (
            sample_id TEXT NOT NULL REFERENCES samples(sample_id) ON DELETE CASCADE,
            segment_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            stratum TEXT,
            PRIMARY KEY (sample_id, segment_id)
        );
        CREATE TABLE decisions (
            decision_id INTEGER PRIMARY KEY AUTOINCREMENT,
            consensus TEXT NOT NULL,
            coders TEXT NOT NULL,
            segment_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            code_id TEXT NOT NULL,
            applied INTEGER NOT NULL,
            memo TEXT,
            decided_by TEXT NOT NULL,
            route TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX decisions_segment ON decisions(consensus, segment_id, code_id)
        """
    )


def _v4(conn: sqlite3.Connection) -> None:
    """What each source (participants.csv, a survey file, a REFI import) says of each participant.

    The participants table becomes their merge, so re-reading one file never drops another's
    attributes. Rows stored before this step are kept as the lowest-ranked source, ``stored``.
    """
    _run(
        conn,
        """
        CREATE TABLE participant_sources (
            source TEXT NOT NULL,
            participant_id TEXT NOT NULL,
            attributes TEXT NOT NULL DEFAULT '{}',
            rank INTEGER NOT NULL,
            PRIMARY KEY (source, participant_id)
        );
        INSERT INTO participant_sources(source, participant_id, attributes, rank)
            SELECT 'stored', participant_id, attributes, 90 FROM participants
        """
    )


def _v5(conn: sqlite3.Connection) -> None:
    """Coverage remembers the batch that first recorded it, so undoing a sheet import un-sees its rows."""
    _run(
        conn,
        """
        ALTER TABLE coverage ADD COLUMN batch_id TEXT;
        CREATE INDEX coverage_batch ON coverage(batch_id)
        """
    )


def _v6(conn: sqlite3.Connection) -> None:
    """An index on the coder of codings: every person's name is checked against the suggesters' at each write."""
    _run(conn, "CREATE INDEX codings_coder ON codings(coder)")


def _v7(conn: sqlite3.Connection) -> None:
    """Coverage keeps one record per (coder, segment, source, batch): a later record (a review) no longer
    replaces an earlier one (a sheet), and undoing a batch removes only that batch's records."""
    _run(
        conn,
        """
        CREATE TABLE coverage_v7 (
            coder TEXT NOT NULL,
            segment_id TEXT NOT NULL,
            document_id TEXT NOT NULL,
            source TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            batch_id TEXT
        );
        INSERT INTO coverage_v7(coder, segment_id, document_id, source, seen_at, batch_id)
            SELECT coder, segment_id, document_id, source, seen_at, batch_id FROM coverage;
        DROP TABLE coverage;
        ALTER TABLE coverage_v7 RENAME TO coverage;
        CREATE UNIQUE INDEX coverage_record ON coverage(coder, segment_id, source, coalesce(batch_id, ''));
        CREATE INDEX coverage_document ON coverage(document_id);
        CREATE INDEX coverage_batch ON coverage(batch_id)
        """
    )


def _v8(conn: sqlite3.Connection) -> None:
    """Seen records and sample rows a re-ingest dropped (their turn's words changed) are kept aside with a hash of
    those words, so they come back when a later re-ingest gives a turn the very same words again."""
    _run(
        conn,
        """
        CREATE TABLE parked_records (
            document_id TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            batch_id TEXT,
            parked_at TEXT NOT NULL
        );
        CREATE INDEX parked_document ON parked_records(document_id, text_hash)
        """
    )


#: Step N upgrades a store from version N-1 to N.
MIGRATIONS: dict[int, Step] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7, 8: _v8}
SCHEMA_VERSION = max(MIGRATIONS)


def schema_version(conn: "sqlite3.Connection | Any") -> int:
    """The schema version recorded in the database (0 for a new, empty file); ``conn`` may be the store's wrapper."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Run the steps between the database's version and ``target``, each in its own transaction.

    Returns the versions applied. The caller holds no open transaction.
    """
    applied: list[int] = []
    current = schema_version(conn)
    for version in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= version:  # another process got there first
                conn.execute("ROLLBACK")
                continue
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (disk full, I/O error): keep the first error
            raise
        applied.append(version)
    return applied
