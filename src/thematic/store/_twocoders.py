"""The store's tables for double coding (schema v3): coverage, samples and consensus decisions.

Coverage records which segments a coder has seen and decided on (ticked or not), with where that
was recorded (``sheet``, ``widget``, ``review``, ``api``, ``reconcile``...) and when; agreement
compares coders over the segments they all saw. Each record (coder, segment, source, batch) is kept
once, with its first time: a later record never replaces an earlier one, and undoing a batch removes
that batch's records only, so a segment seen since by another record stays seen. A sample is a recorded, seeded draw of segments
for a second coder; a decision is one settled disagreement written by ``reconcile``.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from ..errors import Errors, InputError, NotFoundError
from ..models import Segment, utcnow
from ._sql import TableMixin

COVERAGE_COLUMNS = ["coder", "segment_id", "document_id", "source", "seen_at"]
#: The source of a review's seen record: it says a suggestion was decided there, not which turns were read.
REVIEW_SOURCE = "review"
SAMPLE_COLUMNS = ["sample_id", "coder", "params", "created_at", "n_segments"]
DECISION_COLUMNS = ["decision_id", "consensus", "coders", "segment_id", "document_id", "code_id", "applied", "memo",
                    "decided_by", "route", "decided_at"]


def spelt_as_known(names: Iterable[str], known: Iterable[str]) -> list[str]:
    """Each coder name as ``known`` spells it: exactly, else in another case (or Unicode form) when that names one
    known coder (``ht`` is ``HT``), as the tables match coders; any other name is kept for the caller's error."""
    people = sorted({str(k) for k in known}, key=str.casefold)

    def key(name: str) -> str:
        return unicodedata.normalize("NFC", name).strip().casefold()

    out = []
    for name in names:
        same = [k for k in people if key(k) == key(name)]
        out.append(name if name in people or len(same) != 1 else same[0])
    return out


#: The columns of the records that follow a turn (a coder's seen record, a sample row), by table.
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "coverage": ("coder", "segment_id", "document_id", "source", "seen_at", "batch_id"),
    "sample_segments": ("sample_id", "segment_id", "document_id", "stratum"),
}


def _text_hash(text: str) -> str:
    """The hash a kept-aside record is filed under: a turn's exact words."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _turn_for(record: Mapping[str, Any], targets: Sequence[Segment]) -> str | None:
    """The id of the turn among ``targets`` (those with the kept-aside record's words) it comes back to, or None.

    A record kept aside at a prune knows its turn's speaker and question and how many turns of its document had
    the same words, speaker and question (``turn``): it goes to the one such turn only when that turn was one of
    a kind on both sides, else to the one with its old id (an identical file), never to another speaker's like
    words. A record a re-ingest dropped (W117) goes to the one turn with its words."""
    turn = record.get("turn")
    if not isinstance(turn, Mapping):
        return targets[0].id if len(targets) == 1 else None
    same = [s for s in targets if s.speaker == turn.get("speaker") and s.question == turn.get("question")]
    if len(same) == 1 and turn.get("twins", 1) == 1:
        return same[0].id
    return next((s.id for s in same if s.id == record.get("segment_id")), None)


def _by_words(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    out: dict[str, list[Segment]] = {}
    for seg in segments:
        out.setdefault(_text_hash(seg.text), []).append(seg)
    return out


class TwoCoderTables(TableMixin):
    """Mixed into ``Store``: reads and writes of the coverage, samples and decisions tables."""

    # -- coverage ----------------------------------------------------------------------------
    def _documents_of(self, segment_ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for i in range(0, len(segment_ids), 900):
            part = segment_ids[i:i + 900]
            found.update((r[0], r[1]) for r in self._rows(
                f"SELECT segment_id, document_id FROM segments WHERE segment_id IN ({','.join('?' * len(part))})", part))
        return found

    def mark_seen(self, segment_ids: Iterable[str], *, coder: str, source: str, batch_id: str | None = None) -> int:
        """Record that ``coder`` saw and decided on these segments (coded or not); returns how many.

        Each (source, batch) record of a segment is kept once, with its first time: seeing a segment again
        adds a record and never replaces one (a review after a sheet leaves the sheet's record, which says
        which turns were read; see ``coverage``). Unknown segment ids raise E600 and nothing is written.
        ``batch_id`` ties the records to that batch, so undoing it removes them (``_unsee_batch``).
        """
        ids = list(dict.fromkeys(str(s) for s in segment_ids))
        if not coder or not str(coder).strip():
            raise InputError(Errors.E602.format(what="coder"))
        coder = self.person(coder, "coder")  # type: ignore[attr-defined]  # ' AB ' is AB (NFC), never a suggester
        if not source or not str(source).strip():
            raise InputError(Errors.E602.format(what="source"))
        docs = self._documents_of(ids)
        missing = [s for s in ids if s not in docs]
        if missing:
            raise NotFoundError(Errors.E600.format(n=len(missing), examples=", ".join(missing[:3])))
        now = utcnow().isoformat()
        with self.transaction():
            self._conn.executemany(  # the unique index coverage_record keeps the first of each record
                "INSERT OR IGNORE INTO coverage(coder, segment_id, document_id, source, seen_at, batch_id)"
                " VALUES (?,?,?,?,?,?)",
                [(coder, s, docs[s], source, now, batch_id) for s in ids],
            )
        return len(ids)

    def _unsee_batch(self, batch_id: str) -> int:
        """Remove the seen records a batch made (inside the caller's transaction); returns how many segments
        are no longer recorded as seen (one another record also saw, e.g. a later review, stays seen)."""
        gone = self._conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT coder, segment_id FROM coverage c WHERE c.batch_id=? AND NOT "
            "EXISTS (SELECT 1 FROM coverage o WHERE o.coder=c.coder AND o.segment_id=c.segment_id AND "
            "o.batch_id IS NOT c.batch_id))", (batch_id,)).fetchone()[0]
        self._conn.execute("DELETE FROM coverage WHERE batch_id=?", (batch_id,))
        self._conn.execute("DELETE FROM parked_records WHERE kind='coverage' AND batch_id=?", (batch_id,))
        return int(gone)

    def unmark_seen(self, segment_ids: Iterable[str], *, coder: str) -> int:
        """Forget that ``coder`` saw these segments (every record of them); returns how many segments."""
        ids = list(dict.fromkeys(str(s) for s in segment_ids))
        n = 0
        with self.transaction():
            for i in range(0, len(ids), 900):
                part = ids[i:i + 900]
                where = f"coder=? AND segment_id IN ({','.join('?' * len(part))})"
                n += self._conn.execute(f"SELECT count(DISTINCT segment_id) FROM coverage WHERE {where}",
                                        [coder, *part]).fetchone()[0]
                self._conn.execute(f"DELETE FROM coverage WHERE {where}", [coder, *part])
        return n

    def has_seen(self, segment_id: str, coder: str) -> bool:
        """True when ``coder`` has recorded ``segment_id`` as seen (finished)."""
        row = self._conn.execute("SELECT 1 FROM coverage WHERE coder=? AND segment_id=?",
                                 (str(coder), str(segment_id))).fetchone()
        return row is not None

    def coders_as_stored(self, names: Iterable[str]) -> list[str]:
        """``names`` as the store spells its coders (``spelt_as_known`` over everyone with a coding, a reviewer of
        an accepted suggestion, or recorded coverage), so ``ht`` finds HT's codings and what HT saw."""
        rows = self._rows("SELECT coder FROM codings UNION SELECT reviewer FROM codings WHERE status='accepted' "
                          "UNION SELECT coder FROM coverage")
        return spelt_as_known(names, [r[0] for r in rows if isinstance(r[0], str)])

    def coverage(self, coder: str | Iterable[str] | None = None) -> pd.DataFrame:
        """Segments each coder saw, one row per coder and segment: coder, segment_id, document_id, source, seen_at.

        Where a segment has several records, the row is its first record that is not a review's (a sheet,
        the widget, mark-seen: they say which turns were read), else the review's: a review says only that
        a suggestion was decided there, so it never stands in for an earlier record.
        """
        coders = [coder] if isinstance(coder, str) else (list(coder) if coder is not None else None)
        where = f" WHERE coder IN ({','.join('?' * len(coders))})" if coders is not None else ""
        sql = ("SELECT coder, segment_id, document_id, source, seen_at FROM (SELECT *, row_number() OVER (PARTITION "
               f"BY coder, segment_id ORDER BY source = '{REVIEW_SOURCE}', seen_at, rowid) AS pick FROM coverage{where})"
               " WHERE pick = 1 ORDER BY coder, document_id, segment_id")
        rows = self._rows(sql, coders or ())
        return pd.DataFrame([dict(r) for r in rows], columns=COVERAGE_COLUMNS).astype("string")

    # -- samples -----------------------------------------------------------------------------
    def save_sample(self, coder: str, segments: pd.DataFrame, params: Mapping[str, Any]) -> str:
        """Record a double-coding sample (segment_id, document_id, stratum) drawn for ``coder``."""
        sample_id = f"sample-{coder}-{uuid.uuid4().hex[:8]}"
        with self.transaction():
            self._conn.execute("INSERT INTO samples(sample_id, coder, params, created_at) VALUES (?,?,?,?)",
                               (sample_id, coder, json.dumps(dict(params), sort_keys=True, default=str),
                                utcnow().isoformat()))
            self._conn.executemany(
                "INSERT INTO sample_segments(sample_id, segment_id, document_id, stratum) VALUES (?,?,?,?)",
                [(sample_id, str(r.segment_id), str(r.document_id), None if pd.isna(r.stratum) else str(r.stratum))
                 for r in segments.itertuples()],
            )
        return sample_id

    def rekey_segments(self, document_id: str, moves: Mapping[str, str | None],
                       texts: Mapping[str, str] | None = None) -> dict[str, int]:
        """Follow a re-ingested document's turns: every seen record, sample row and consensus decision on
        an old segment id moves to the new id of the turn holding its text (``moves``), or, when that
        text is gone (``None``), seen records and sample rows are dropped (nobody has seen the new
        text) and decisions stay as the log of what was decided. A dropped record whose old turn's words
        are in ``texts`` is kept aside with them (``restore_parked`` brings it back). Returns counts by kind."""
        changed = {old: new for old, new in moves.items() if old != new}
        if not changed:
            return {"moved": 0, "dropped": 0}
        olds = list(changed)
        marks = ",".join("?" * len(olds))
        moved: set[tuple[str, str, str]] = set()  # (table, coder or sample, old segment): a segment's records once
        dropped: set[tuple[str, str, str]] = set()
        with self.transaction():
            for table, cols in RECORD_COLUMNS.items():
                rows = [dict(r) for r in self._rows(f"SELECT {', '.join(cols)} FROM {table} WHERE document_id=? "
                                                    f"AND segment_id IN ({marks})", (document_id, *olds))]
                self._conn.execute(f"DELETE FROM {table} WHERE document_id=? AND segment_id IN ({marks})",
                                   (document_id, *olds))
                for row in rows:
                    new = changed[row["segment_id"]]
                    key = (table, str(row[cols[0]]), str(row["segment_id"]))
                    if new is None:
                        dropped.add(key)
                        if texts is not None and row["segment_id"] in texts:
                            self._park(document_id, texts[row["segment_id"]], table, row)
                        continue
                    row["segment_id"] = new
                    self._conn.execute(f"INSERT OR IGNORE INTO {table}({', '.join(cols)}) VALUES "
                                       f"({','.join('?' * len(cols))})", [row[c] for c in cols])
                    moved.add(key)
            rows = self._rows(f"SELECT decision_id, segment_id FROM decisions WHERE document_id=? "
                              f"AND segment_id IN ({marks})", (document_id, *olds))
            moves_by_id = [(changed[r["segment_id"]], r["decision_id"]) for r in rows
                           if changed[r["segment_id"]] is not None]  # by row id, so a -> b, b -> c moves each once
            self._conn.executemany("UPDATE decisions SET segment_id=? WHERE decision_id=?", moves_by_id)
        return {"moved": len(moved), "dropped": len(dropped)}

    def _park(self, document_id: str, text: str, kind: str, row: Mapping[str, Any]) -> None:
        """Keep a dropped seen record or sample row aside with a hash of its turn's words (in the caller's
        transaction)."""
        self._conn.execute(
            "INSERT INTO parked_records(document_id, text_hash, kind, record, batch_id, parked_at) VALUES (?,?,?,?,?,?)",
            (document_id, _text_hash(text), kind, json.dumps(dict(row), sort_keys=True), row.get("batch_id"),
             utcnow().isoformat()))

    def restore_parked(self, document_id: str, segments: Iterable[Segment]) -> int:
        """Bring back the records kept aside (``rekey_segments``, ``delete_document``) onto the turn of ``segments``
        (the document as re-read) that holds their very words again (``_turn_for``: a text several turns share
        takes none back, but an identical file's turn with the record's old id does). Returns how many records
        came back (each one once, also when the turn already had such a record)."""
        by_hash = _by_words(segments)
        rows = self._rows("SELECT rowid, text_hash, kind, record FROM parked_records WHERE document_id=? "
                          "AND kind IN ('coverage', 'sample_segments')", (document_id,))
        back: list[int] = []
        with self.transaction():
            for r in rows:
                record = json.loads(r["record"])
                target = _turn_for(record, by_hash.get(r["text_hash"], []))
                if target is None:
                    continue
                record.update(segment_id=target, document_id=document_id)
                if r["kind"] == "sample_segments" and not self._conn.execute(
                        "SELECT 1 FROM samples WHERE sample_id=?", (record["sample_id"],)).fetchone():
                    continue
                cols = RECORD_COLUMNS[r["kind"]]
                self._conn.execute(f"INSERT OR IGNORE INTO {r['kind']}({', '.join(cols)}) VALUES "
                                   f"({','.join('?' * len(cols))})", [record.get(c) for c in cols])
                back.append(int(r["rowid"]))
            self._conn.executemany("DELETE FROM parked_records WHERE rowid=?", [(i,) for i in back])
        return len(back)

    def parked_count(self, document_id: str) -> int:
        """How many seen records and sample rows of a document are kept aside (waiting for their words)."""
        return int(self._conn.execute("SELECT count(*) FROM parked_records WHERE document_id=? AND kind IN "
                                      "('coverage', 'sample_segments')", (document_id,)).fetchone()[0])

    def parked_documents(self) -> set[str]:
        """Every document id something is kept aside for (a pruned document's among them)."""
        return {str(r[0]) for r in self._rows("SELECT DISTINCT document_id FROM parked_records")}

    def _park_turns(self, document_id: str) -> None:
        """Before a document is removed (in the caller's transaction): keep its seen records and sample rows aside
        with their turns' words, speaker and question, and, when a coding or decision is on it, each of its turns
        likewise (``returned_turns``), so nothing counts or lands on another file's turn of the same id."""
        text = self._conn.execute("SELECT text FROM documents WHERE document_id=?", (document_id,)).fetchone()[0]
        turns = {str(r["segment_id"]): dict(r) for r in self._rows(
            'SELECT segment_id, start, "end", speaker, question FROM segments WHERE document_id=?', (document_id,))}
        words = {sid: text[t["start"]:t["end"]] for sid, t in turns.items()}
        twins: dict[tuple[Any, ...], int] = {}
        for sid, t in turns.items():
            key = (words[sid], t["speaker"], t["question"])
            twins[key] = twins.get(key, 0) + 1

        def turn(sid: str) -> dict[str, Any]:
            t = turns[sid]
            return {"speaker": t["speaker"], "question": t["question"],
                    "twins": twins[(words[sid], t["speaker"], t["question"])]}

        for table, cols in RECORD_COLUMNS.items():
            for row in self._rows(f"SELECT {', '.join(cols)} FROM {table} WHERE document_id=?", (document_id,)):
                sid = str(row["segment_id"])
                if sid in turns:
                    self._park(document_id, words[sid], table, {**dict(row), "turn": turn(sid)})
            self._conn.execute(f"DELETE FROM {table} WHERE document_id=?", (document_id,))
        if not any(self._conn.execute(f"SELECT 1 FROM {table} WHERE document_id=? LIMIT 1", (document_id,)).fetchone()
                   for table in ("codings", "decisions")):
            return
        for sid, t in turns.items():
            self._park(document_id, words[sid], "turn",
                       {"segment_id": sid, "start": t["start"], "end": t["end"], "turn": turn(sid)})

    def returned_turns(self, document_id: str, segments: Sequence[Segment]) -> dict[str, dict[str, Any]]:
        """A document removed by ``delete_document`` is back as ``segments``: for the old id of each of its turns
        (kept when a coding or decision was on the document), its old ``start``, ``speaker`` and ``question``,
        ``to``: the id of the turn that holds its very words, speaker and question again (``_turn_for``) or None,
        and ``like``: how many turns now have them. Forgets those turns (asked once, when the document is back)."""
        by_hash = _by_words(segments)
        out: dict[str, dict[str, Any]] = {}
        with self.transaction():
            for r in self._rows("SELECT text_hash, record FROM parked_records WHERE document_id=? AND kind='turn'",
                                (document_id,)):
                record = json.loads(r["record"])
                turn, targets = record["turn"], by_hash.get(r["text_hash"], [])
                like = sum(s.speaker == turn["speaker"] and s.question == turn["question"] for s in targets)
                out[str(record["segment_id"])] = {"to": _turn_for(record, targets), "start": int(record["start"]),
                                                  "speaker": turn["speaker"], "question": turn["question"],
                                                  "like": like}
            self._conn.execute("DELETE FROM parked_records WHERE document_id=? AND kind='turn'", (document_id,))
        return out

    def samples(self) -> pd.DataFrame:
        """Recorded samples, oldest first: sample_id, coder, params (JSON), created_at, n_segments."""
        rows = self._rows(
            "SELECT s.sample_id, s.coder, s.params, s.created_at,"
            " (SELECT count(*) FROM sample_segments g WHERE g.sample_id=s.sample_id) AS n_segments"
            " FROM samples s ORDER BY s.created_at, s.sample_id")
        return pd.DataFrame([dict(r) for r in rows], columns=SAMPLE_COLUMNS)

    def sample_segments(self, sample_id: str) -> pd.DataFrame:
        """The segments of a recorded sample: segment_id, document_id, stratum (E601 if unknown).

        ``latest`` or ``latest:CODER`` names the newest sample (of that coder).
        """
        sid = self.resolve_sample(sample_id)
        rows = self._rows("SELECT segment_id, document_id, stratum FROM sample_segments WHERE sample_id=?"
                          " ORDER BY document_id, segment_id", (sid,))
        return pd.DataFrame([dict(r) for r in rows], columns=["segment_id", "document_id", "stratum"])

    def resolve_sample(self, sample_id: str) -> str:
        """A sample id as stored; ``latest`` / ``latest:CODER`` pick the newest one (CODER named as the tables name
        coders: exactly, or in another case when that names one, ``latest:so`` is SO's)."""
        samples = self.samples()
        if sample_id.startswith("latest"):
            coder = sample_id.partition(":")[2]
            if coder:
                coder = spelt_as_known([coder], samples["coder"].astype(str))[0]
            pick = samples.loc[samples["coder"] == coder] if coder else samples
            if not pick.empty:
                return str(pick.iloc[-1]["sample_id"])
        elif sample_id in set(samples["sample_id"]):
            return sample_id
        known = ", ".join(samples["sample_id"].astype(str)) or "none (draw one with `thematic sample`)"
        raise NotFoundError(Errors.E601.format(sample=sample_id, known=known))

    # -- consensus decisions -----------------------------------------------------------------
    def add_decisions(self, rows: Iterable[Mapping[str, Any]]) -> int:
        """Record reconcile decisions (see ``DECISION_COLUMNS``, less id and time); returns how many."""
        now = utcnow().isoformat()
        values = [(r["consensus"], r["coders"], r["segment_id"], r["document_id"], r["code_id"], int(bool(r["applied"])),
                   r.get("memo"), r["decided_by"], r["route"], now) for r in rows]
        with self.transaction():
            self._conn.executemany(
                "INSERT INTO decisions(consensus, coders, segment_id, document_id, code_id, applied, memo, decided_by,"
                " route, decided_at) VALUES (?,?,?,?,?,?,?,?,?,?)", values)
        return len(values)

    def decisions(self, consensus: str | None = None) -> pd.DataFrame:
        """Recorded reconcile decisions, oldest first."""
        sql = f"SELECT {', '.join(DECISION_COLUMNS)} FROM decisions"
        rows = self._rows(sql + (" WHERE consensus=?" if consensus else "") + " ORDER BY decision_id",
                          (consensus,) if consensus else ())
        return pd.DataFrame([dict(r) for r in rows], columns=DECISION_COLUMNS)


__all__ = ["COVERAGE_COLUMNS", "DECISION_COLUMNS", "SAMPLE_COLUMNS", "TwoCoderTables", "spelt_as_known"]
