"""The store's document tables: documents and their segments, participants, exclusions, codebook versions."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, Callable, Iterable, Mapping

import pandas as pd

from .. import schemas
from ..errors import Errors, NotFoundError
from ..models import FLAG_ORPHANED, Document, Participant, Segment, utcnow
from ._participants import (STORED_SOURCE, AttributeConflict, attribute_conflicts, document_source,
                            merge_attributes)
from ._sql import PAGE, TableMixin, frame, to_json

_DIRECT_RANK = 40
#: Meta key prefix of a document's stored-form hash (``stored_hash``), written with the document.
STORED_PREFIX = "document:stored:"


def stored_hash(doc: Document) -> str:
    """A hash of what a suggester reads of ``doc``: its text and its segments' bounds, speakers and kinds
    (the raw file's ``content_hash`` stays the same when a re-read changes these)."""
    bounds = [[s.start, s.end, s.is_interviewer, s.speaker, s.participant_id, s.kind, s.question]
              for s in doc.segments]
    return hashlib.sha256(json.dumps([doc.text, bounds], ensure_ascii=False).encode()).hexdigest()


def _whole_numbers(values: Iterable[Any]) -> bool:
    """Whether every value given is a whole number (not a bool) or missing: a column to keep as stored."""
    return all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in values)


def _redacted(payload: Any) -> Any:
    """A logged payload without the words of a purged document: ``text`` and ``memo`` values erased."""
    if isinstance(payload, dict):
        return {k: (None if k in ("text", "memo") else _redacted(v)) for k, v in payload.items()}
    if isinstance(payload, list):
        return [_redacted(v) for v in payload]
    return payload


class DocumentTables(TableMixin):
    """Mixed into ``Store``: reads and writes of documents, segments, participants and codebook versions."""

    flag_codings: Callable[..., int]  # from CodingTables (an annotation only: a stub here would shadow it)
    _event: Callable[..., None]  # from CodingTables, likewise
    _park_turns: Callable[[str], None]  # from TwoCoderTables, likewise

    # -- documents and segments --------------------------------------------------------------
    def save_document(self, doc: Document) -> None:
        """Insert or replace a document and all its segments (codings are left as they are)."""
        now = utcnow().isoformat()
        with self.transaction():
            excluded = self._screened_out()
            before = {str(r[0]) for r in self._rows(
                "SELECT DISTINCT participant_id FROM segments WHERE document_id=? AND participant_id IS NOT NULL",
                (doc.id,))}
            speakers = {pid.casefold() for pid in before} if excluded else set()
            self._conn.execute("DELETE FROM segments WHERE document_id=?", (doc.id,))
            self._conn.execute(
                "INSERT OR REPLACE INTO documents(document_id, path, format, title, text, content_hash,"
                " attributes, warnings, ingested_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.path, doc.format, doc.title, doc.text, doc.content_hash,
                 to_json(dict(doc.attributes)), to_json(list(doc.warnings)), now),
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
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                               (STORED_PREFIX + doc.id, stored_hash(doc)))
            speakers |= {s.participant_id.casefold() for s in doc.segments if s.participant_id}
            if self._retire_stored(before - {s.participant_id for s in doc.segments if s.participant_id}) or (
                    speakers & excluded):  # a screened-out respondent's other turns came or went: on record or off
                self._merge_participants()

    def _retire_stored(self, gone: set[str]) -> int:
        """Drop what a store made before sources were kept said of participants a re-read document no longer names
        and no segment speaks for (a respondent the reader now numbers otherwise): no ghost stays on record."""
        if not gone:
            return 0
        speaking = {str(r[0]) for r in self._rows(
            "SELECT DISTINCT participant_id FROM segments WHERE participant_id IS NOT NULL")}
        ghosts = sorted(gone - speaking)
        if not ghosts:
            return 0
        return int(self._conn.execute(
            f"DELETE FROM participant_sources WHERE source=? AND participant_id IN ({','.join('?' * len(ghosts))})",
            (STORED_SOURCE, *ghosts)).rowcount)

    def delete_meta(self, key: str) -> None:
        """Forget what the store remembers under ``key``."""
        with self.transaction():
            self._conn.execute("DELETE FROM meta WHERE key=?", (key,))

    def delete_document(self, document_id: str) -> None:
        """Remove a document and its segments; its codings stay, flagged as orphaned, and the coders' seen records
        and its sample rows are kept aside with their turns' words (so nothing counts, or waits on a segment id
        another file may get); its consensus decisions stay as the log. ``returned_turns`` and ``restore_parked``
        bring them back when the document does."""
        with self.transaction():
            self._require_document(document_id)
            self._park_turns(document_id)
            self._conn.execute("DELETE FROM documents WHERE document_id=?", (document_id,))
            self._conn.execute("DELETE FROM meta WHERE key=?", (STORED_PREFIX + document_id,))
            self._conn.execute("DELETE FROM participant_sources WHERE source=?", (document_source(document_id),))
            self._merge_participants()
            ids = [r[0] for r in self._rows("SELECT coding_id FROM codings WHERE document_id=?", (document_id,))]
            self.flag_codings(ids, FLAG_ORPHANED, actor="thematic")

    def document_references(self, document_id: str) -> dict[str, int]:
        """What refers to a document, by what: ``codings`` (any status, any batch or none), ``seen records`` and
        ``sample rows``, with how many of each (only those there are): what keeps it when an undo would remove it."""
        out = {}
        for what, table in (("codings", "codings"), ("seen records", "coverage"), ("sample rows", "sample_segments")):
            n = int(self._conn.execute(f"SELECT count(*) FROM {table} WHERE document_id=?", (document_id,)).fetchone()[0])
            if n:
                out[what] = n
        return out

    def flags_before_removal(self, document_id: str) -> dict[str, str | None]:
        """{coding id: the flag it had before ``delete_document`` flagged it orphaned} for the document's orphaned
        codings, read from the log (a split or a re-ingest's flag goes back with the document)."""
        out: dict[str, str | None] = {}
        for cid, payload in self._rows(
                "SELECT e.coding_id, e.payload FROM coding_events e JOIN codings c USING (coding_id) WHERE "
                "c.document_id=? AND c.flag=? AND e.kind='flag' AND e.note=? ORDER BY e.event_id",
                (document_id, FLAG_ORPHANED, FLAG_ORPHANED)):
            before = json.loads(payload).get("before") or {}
            out[str(cid)] = before.get("flag") if before.get("flag") != FLAG_ORPHANED else out.get(str(cid))
        return out

    def purge_documents(self, document_ids: Iterable[str], *, actor: str) -> int:
        """Erase documents from the store (a participant withdrew consent): their text, segments,
        codings, coverage, samples, decisions, respondents, and the text and memos of their codings'
        logged events (the events stay, redacted, so the log still replays). Works on documents
        pruned earlier too. Returns the codings removed; call ``compact()`` after, so no deleted text
        stays in the file's free pages."""
        docs = list(dict.fromkeys(str(d) for d in document_ids))
        if not docs:
            return 0
        marks = ",".join("?" * len(docs))
        with self.transaction():
            ids = [r[0] for r in self._rows(f"SELECT coding_id FROM codings WHERE document_id IN ({marks})", docs)]
            gone = {r[0] for r in self._rows(
                f"SELECT DISTINCT coding_id FROM coding_events WHERE json_extract(payload, '$.document_id') IN ({marks})",
                docs)}
            self._redact_events(sorted(gone | set(ids)))
            self._conn.execute(f"DELETE FROM codings WHERE document_id IN ({marks})", docs)
            for cid in ids:
                self._event(cid, "remove", actor, {"coding_id": cid, "purged": True},
                            note="purged: the document was erased (consent withdrawn)")
            for table in ("documents", "coverage", "sample_segments", "decisions", "exclusions", "parked_records"):
                self._conn.execute(f"DELETE FROM {table} WHERE document_id IN ({marks})", docs)
            self._conn.executemany("DELETE FROM participant_sources WHERE source=?",
                                   [(document_source(d),) for d in docs])
            self._conn.executemany("DELETE FROM meta WHERE key=?", [(STORED_PREFIX + d,) for d in docs])
            self._merge_participants()
        return len(ids)

    def purge_coding_words(self, coding_ids: Iterable[str], *, actor: str, note: str) -> tuple[str, ...]:
        """Erase the text and memos from every logged event of these codings (a respondent withdrew) and log
        a "purged" remove event for each; events stay so the log still replays. Returns the codings whose
        log held words (already-purged ones are left alone). Call ``compact()`` after."""
        ids = list(dict.fromkeys(str(c) for c in coding_ids))
        with self.transaction():
            todo = [cid for cid in ids if any(
                _redacted(json.loads(payload)) != json.loads(payload)
                for (payload,) in self._rows("SELECT payload FROM coding_events WHERE coding_id=?", (cid,)))]
            self._redact_events(todo)
            for cid in todo:
                self._event(cid, "remove", actor, {"coding_id": cid, "purged": True}, note=note)
        return tuple(todo)

    def _redact_events(self, coding_ids: Iterable[str]) -> None:
        for cid in coding_ids:
            for event_id, payload in self._rows("SELECT event_id, payload FROM coding_events WHERE coding_id=?",
                                                (cid,)):
                self._conn.execute("UPDATE coding_events SET payload=? WHERE event_id=?",
                                   (json.dumps(_redacted(json.loads(payload))), event_id))

    def compact(self) -> None:
        """Rewrite the store file without free pages (VACUUM) and empty its write-ahead log, so text
        that was deleted cannot be read back from the file."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute("VACUUM")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def document_in_use(self, document_id: str) -> bool:
        """True when a coding, a coder's coverage, a sample or a consensus decision refers to the document."""
        return any(self._conn.execute(f"SELECT 1 FROM {table} WHERE document_id=? LIMIT 1", (document_id,)).fetchone()
                   for table in ("codings", "coverage", "sample_segments", "decisions"))

    def _require_document(self, document_id: str) -> sqlite3.Row:
        row = self._conn.execute("SELECT * FROM documents WHERE document_id=?", (document_id,)).fetchone()
        if row is None:
            raise NotFoundError(Errors.E012.format(document=document_id))
        return row

    def document_hashes(self) -> dict[str, tuple[str, str]]:
        """``{document_id: (path, content_hash)}`` to find changed inputs without loading texts."""
        return {r[0]: (r[1], r[2]) for r in self._rows("SELECT document_id, path, content_hash FROM documents")}

    def stored_hashes(self) -> dict[str, str]:
        """``{document_id: stored_hash}`` (text and segment bounds as stored; "" for a document saved before
        thematic kept it), read without loading texts: what `thematic code` compares to find changed documents."""
        rows = self._rows("SELECT d.document_id, m.value FROM documents d"
                          " LEFT JOIN meta m ON m.key = ? || d.document_id", (STORED_PREFIX,))
        return {r[0]: r[1] or "" for r in rows}

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

    def survey_question_ids(self) -> dict[str, dict[str, str]]:
        """Per survey document, each question's text -> the column id its file names it by (``Q3``), where the
        two differ; so a table can be asked for a question by either."""
        out: dict[str, dict[str, str]] = {}
        for r in self._rows("SELECT document_id, attributes FROM documents WHERE attributes LIKE '%\"questions\"%'"):
            attrs = json.loads(r["attributes"])
            ids = (attrs.get("columns") or {}).get("questions") if isinstance(attrs, dict) else None
            texts = attrs.get("questions") if isinstance(attrs, dict) else None
            if isinstance(ids, list) and isinstance(texts, list) and len(ids) == len(texts):
                out[str(r["document_id"])] = {str(t): str(i) for i, t in zip(ids, texts) if str(i) != str(t)}
        return out

    def documents(self) -> pd.DataFrame:
        """One row per document (see ``schemas.DOCUMENTS``)."""
        rows = self._rows(
            "SELECT d.document_id, d.path, d.format, d.title, d.content_hash, length(d.text) AS n_chars,"
            " (SELECT count(*) FROM segments s WHERE s.document_id=d.document_id) AS n_segments,"
            " d.ingested_at FROM documents d ORDER BY d.document_id"
        )
        return frame(rows, schemas.DOCUMENTS)

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
        sql = (
            f'SELECT s.segment_id, s.document_id, s.idx AS "index", s.start, s."end", s.speaker,'
            f" s.participant_id, s.is_interviewer, s.kind, s.time_start, s.time_end, s.question,"
            f" NULL AS text, {PAGE} AS page FROM segments s JOIN documents d USING (document_id)"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY s.document_id, s.idx"
        )
        rows: list[Any] = self._rows(sql, params)
        if with_text:
            rows = self._with_texts(rows)
        df = frame(rows, schemas.SEGMENTS)
        df["is_interviewer"] = df["is_interviewer"].astype("boolean")
        df["page"] = pd.array([r["page"] for r in rows], dtype="Int64")
        return df

    def _with_texts(self, rows: list[Any]) -> list[dict[str, Any]]:
        """``rows`` (in document order) with each segment's text sliced from its document's text, read once
        per document (a ``substr`` per row re-read the whole text each time: quadratic in its length)."""
        out: list[dict[str, Any]] = []
        doc_id, text = None, ""
        for row in rows:
            r = dict(row)
            if r["document_id"] != doc_id:
                doc_id = r["document_id"]
                found = self._rows("SELECT text FROM documents WHERE document_id=?", (doc_id,))
                text = found[0][0] if found and found[0][0] is not None else ""
            start, end = r["start"], r["end"]
            # as SQLite's substr(text, start + 1, end - start), code points both: a negative length is
            # the characters before start
            r["text"] = text[start:end] if end >= start else text[max(end, 0):max(start, 0)]
            out.append(r)
        return out

    def segment(self, segment_id: str) -> Segment:
        """One segment by id (built from its row directly: no DataFrame per call, as ``code()`` runs it twice)."""
        rows = self._rows(
            'SELECT s.segment_id, s.document_id, s.idx AS "index", s.start, s."end", s.speaker,'
            " s.participant_id, s.is_interviewer, s.kind, s.time_start, s.time_end, s.question,"
            ' substr(d.text, s.start + 1, s."end" - s.start) AS text'
            " FROM segments s JOIN documents d USING (document_id) WHERE s.segment_id=?",
            (segment_id,),
        )
        if not rows:
            raise NotFoundError(Errors.E015.format(segment=segment_id))
        r = rows[0]

        def opt(value: Any, cast: Callable[[Any], Any]) -> Any:
            return None if value is None else cast(value)

        return Segment(
            document_id=str(r["document_id"]), index=int(r["index"]), start=int(r["start"]), end=int(r["end"]),
            text=str(r["text"]), speaker=opt(r["speaker"], str), participant_id=opt(r["participant_id"], str),
            is_interviewer=bool(r["is_interviewer"]), kind=str(r["kind"]),  # type: ignore[arg-type]
            time_start=opt(r["time_start"], float), time_end=opt(r["time_end"], float),
            question=opt(r["question"], str),
        )

    # -- participants and exclusions ---------------------------------------------------------
    def save_participants(self, participants: Iterable[Participant]) -> int:
        """Insert or replace participants given directly (the API's own source); returns how many."""
        rows = [("direct", p.id, to_json(dict(p.attributes)), _DIRECT_RANK) for p in participants]
        with self.transaction():
            self._write_sources(rows)
        return len(rows)

    def set_participant_source(self, source: str, participants: Iterable[Participant], rank: int) -> int:
        """Replace everything ``source`` says of participants, then re-merge the participants table.

        A lower ``rank`` wins where two sources give an attribute different values; ties go to the
        source named first. Returns how many participants the source names.
        """
        rows = [(source, p.id, to_json(dict(p.attributes)), rank) for p in participants]
        stored = self._rows("SELECT source, participant_id, attributes, rank FROM participant_sources WHERE source=?",
                            (source,))
        if sorted(map(tuple, stored)) == sorted(set(rows)):
            return len(rows)  # nothing changed: no write (every ingest saves participants.csv again)
        with self.transaction():
            self._conn.execute("DELETE FROM participant_sources WHERE source=?", (source,))
            self._write_sources(rows)
        return len(rows)

    def _write_sources(self, rows: list[tuple[str, str, str, int]]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO participant_sources(source, participant_id, attributes, rank)"
                               " VALUES (?,?,?,?)", rows)
        self._merge_participants()

    def participant_sources(self) -> pd.DataFrame:
        """What each source says: source, rank, participant_id, attributes (a dict), in merge order."""
        rows = self._rows("SELECT source, rank, participant_id, attributes FROM participant_sources"
                          " ORDER BY rank, source, participant_id")
        return pd.DataFrame([(r[0], r[1], r[2], json.loads(r[3])) for r in rows],
                            columns=["source", "rank", "participant_id", "attributes"])

    def retire_stored_participants(self) -> int:
        """Drop what a store made before sources were kept says of participants a current source names.

        Called after a complete ingest: those participants' attributes are then exactly what their
        files say. Participants no current source names (from an older REFI import) keep theirs.
        """
        with self.transaction():
            n = self._conn.execute(
                "DELETE FROM participant_sources WHERE source=? AND participant_id IN"
                " (SELECT participant_id FROM participant_sources WHERE source<>?)",
                (STORED_SOURCE, STORED_SOURCE)).rowcount
            if n:
                self._merge_participants()
        return int(n)

    def participant_conflicts(self) -> list[AttributeConflict]:
        """Attributes two sources give different values (the merged table keeps the lower rank's)."""
        return attribute_conflicts(self.participant_sources())

    def _merge_participants(self) -> None:
        merged = merge_attributes(self.participant_sources())
        for pid in self._off_record(merged):
            del merged[pid]
        self._conn.execute("DELETE FROM participants")
        self._conn.executemany("INSERT INTO participants(participant_id, attributes) VALUES (?, ?)",
                               [(pid, to_json(attrs)) for pid, attrs in merged.items()])

    def participants(self) -> pd.DataFrame:
        """One row per participant: ``participant_id`` then one column per attribute."""
        rows = self._rows("SELECT participant_id, attributes FROM participants ORDER BY participant_id")
        records = [{"participant_id": r[0], **json.loads(r[1])} for r in rows]
        df = pd.DataFrame.from_records(records, columns=None if records else ["participant_id"])
        for col in df.columns[1:]:  # whole numbers with a gap (a REFI Integer, a blank) would read 1.0, 2.0
            if df[col].dtype.kind == "f" and _whole_numbers(r.get(col) for r in records):
                df[col] = pd.Series([r.get(col) for r in records], index=df.index, dtype=object)
        return df.astype({"participant_id": "string"})

    def _screened_out(self) -> set[str]:
        """Respondent ids (casefolded) screened out of a stored survey document."""
        return {str(r[0]).casefold() for r in self._rows(
            "SELECT DISTINCT e.respondent FROM exclusions e JOIN documents d ON d.document_id = e.document_id")}

    def _off_record(self, ids: Iterable[str]) -> list[str]:
        """Those of ``ids`` screened out of a survey (``exclusions``, case aside) who are no segment's participant:
        a participants.csv row alone keeps nobody on record, so no N, table or export counts them."""
        excluded = self._screened_out()
        candidates = [pid for pid in ids if pid.casefold() in excluded]
        if not candidates:
            return []
        speaking = {str(r[0]).casefold() for r in self._rows(
            "SELECT DISTINCT participant_id FROM segments WHERE participant_id IS NOT NULL AND NOT is_interviewer")}
        return [pid for pid in candidates if pid.casefold() not in speaking]

    def save_exclusions(self, document_id: str, exclusions: Mapping[str, str]) -> None:
        """Record screened-out survey respondents and why (replaces the document's previous list); those with no
        other answer or turn leave the participants on record."""
        with self.transaction():
            self._conn.execute("DELETE FROM exclusions WHERE document_id=?", (document_id,))
            self._conn.executemany(
                "INSERT INTO exclusions(document_id, respondent, reason) VALUES (?,?,?)",
                [(document_id, k, v) for k, v in exclusions.items()],
            )
            self._merge_participants()

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

    # -- refi (REFI-QDA export/import) ---------------------------------------------------------
    def participant_records(self) -> list[Participant]:
        """Participants with their attributes exactly as stored (types kept, unlike the DataFrame)."""
        rows = self._rows("SELECT participant_id, attributes FROM participants ORDER BY participant_id")
        return [Participant(r[0], json.loads(r[1])) for r in rows]
