"""The store's coding tables: batches, codings (current state) and their append-only event log."""

from __future__ import annotations

import json
import unicodedata
import uuid
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

import pandas as pd

from .. import schemas
from ..errors import Errors, InputError, NotFoundError, StoreError
from ..models import CODING_STATUSES, Coding, coding_id, utcnow
from ._sql import CODING_COLS, TableMixin, derived_id, frame, q, to_json


@dataclass(frozen=True, slots=True)
class BatchUndo:
    """What undoing a batch did: codings removed and restored, memos put back, segments un-seen."""

    removed: int
    restored: int = 0
    memos: int = 0
    unseen: int = 0
    #: Suggestions of the batch a person accepted or rejected since: decisions, so kept.
    kept: int = 0
    #: Codings a codebook merge had folded into one the undo removed, put back (see ``coding.undo``).
    unfolded: int = 0
    #: Codings of the batch kept because a later batch still standing ticked them again (``confirm_codings``):
    #: they now belong to that batch, so undoing it removes them with the seen records that came with them.
    reconfirmed: int = 0
    #: Codings of the batch kept because their coder coded them again by hand since (a ``confirm`` event with
    #: no batch): they are now codings made by hand, in no batch.
    by_hand: int = 0
    #: Memos the batch edited that were written again since (by hand, or by a later import): the newer memo stays.
    memos_kept: int = 0
    #: Documents an undone REFI import had brought in, removed with it (``coding.undo``), and their texts' files.
    documents: int = 0
    files: int = 0
    #: What an undone import left, and why ([W551]-[W553]).
    notes: tuple[str, ...] = ()


#: The event kind ``set_status`` logs for a status.
_STATUS_KIND = {"accepted": "accept", "rejected": "reject"}

#: Codings of a batch (``?`` three times: the batch) that are accepted or rejected by a decision logged after the
#: batch added them and outside the batch (a review, another batch's sheet): the ones an undo keeps.
_DECIDED_SINCE = (
    "SELECT c.coding_id FROM codings c WHERE c.batch_id=? AND c.status IN ('accepted', 'rejected') AND EXISTS ("
    " SELECT 1 FROM coding_events e WHERE e.coding_id=c.coding_id AND e.kind IN ('accept', 'reject', 'status')"
    " AND (e.batch_id IS NULL OR e.batch_id != ?) AND e.event_id > (SELECT coalesce(max(a.event_id), 0)"
    " FROM coding_events a WHERE a.coding_id=c.coding_id AND a.kind='add' AND a.batch_id=?))"
)

#: Codings of a batch (``?`` three times: the batch) with the latest batch still standing, other than it, that
#: ticked them again (a ``confirm`` event) after the batch added them: an undo hands each to that batch.
_CONFIRMED_SINCE = (
    "SELECT c.coding_id, (SELECT e.batch_id FROM coding_events e JOIN batches b ON b.batch_id=e.batch_id"
    " WHERE e.coding_id=c.coding_id AND e.kind='confirm' AND e.batch_id != ? AND b.undone_at IS NULL"
    " AND e.event_id > (SELECT coalesce(max(a.event_id), 0) FROM coding_events a WHERE a.coding_id=c.coding_id"
    " AND a.kind='add' AND a.batch_id=?) ORDER BY e.event_id DESC LIMIT 1) AS later"
    " FROM codings c WHERE c.batch_id=? AND c.status IN ('manual', 'accepted')"
)

#: Codings of a batch (``?`` twice: the batch) that their coder coded again by hand (a ``confirm`` event with no
#: batch) after the batch added them: an undo keeps each as a coding made by hand, in no batch.
_CODED_BY_HAND_SINCE = (
    "SELECT c.coding_id, (SELECT e.actor FROM coding_events e WHERE e.coding_id=c.coding_id AND e.kind='confirm'"
    " AND e.batch_id IS NULL AND e.event_id > (SELECT coalesce(max(a.event_id), 0) FROM coding_events a"
    " WHERE a.coding_id=c.coding_id AND a.kind='add' AND a.batch_id=?) ORDER BY e.event_id DESC LIMIT 1) AS who"
    " FROM codings c WHERE c.batch_id=? AND c.status IN ('manual', 'accepted')"
)


def _named(who: str, what: str) -> None:
    """Refuse a blank coder, reviewer or actor: a coding nobody can be traced to is no evidence."""
    if not isinstance(who, str) or not who.strip():
        raise InputError(Errors.E018.format(what=what, value=who))


#: Names beginning so are suggesters' (thematic.rules.v1, thematic.ensemble.v1, ...), never a person's.
SUGGESTER_PREFIX = "thematic."


def _registered_suggester(name: str) -> bool:
    """Whether a suggester of this name is registered (in the ``thematic.suggesters`` catalogue loaded so far)."""
    import catalogue

    return bool(catalogue.check_exists("thematic", "suggesters", name))


def person_name(who: Any, what: str = "coder", *, suggesters: Iterable[str] = (),
                known: Iterable[str] = ()) -> str:
    """A person's name as stored: trimmed and NFC-normalised (Zoë typed on a Mac is Zoë typed on Windows).

    Refuses a blank name (E018), a suggester's (E357: a ``thematic.`` name, a registered one or one of
    ``suggesters``) and a new name with a comma (E358: coder filters split on commas; a name in ``known``
    is an existing coder and kept)."""
    _named(who, what)
    name = unicodedata.normalize("NFC", who).strip()
    if name.casefold().startswith(SUGGESTER_PREFIX):
        why = f"names beginning '{SUGGESTER_PREFIX}' are kept for thematic's suggesters"
    elif name in set(suggesters):
        why = "it stored suggestions in this study"
    elif _registered_suggester(name):
        why = "a registered suggester"
    else:
        why = ""
    if why:
        raise InputError(Errors.E357.format(name=name, why=why, what=what))
    if "," in name and name not in set(known):
        raise InputError(Errors.E358.format(name=name, what=what))
    return name


class CodingTables(TableMixin):
    """Mixed into ``Store``: batches, coding writes (each logged as an event) and reads."""

    # -- batches -----------------------------------------------------------------------------
    def new_batch(self, kind: str, *, actor: str, params: Mapping[str, Any] | None = None) -> str:
        """Start a named batch (a search, a suggester run, an import) that can be undone as one."""
        batch_id = f"{kind.split(':')[0]}-{uuid.uuid4().hex[:10]}"
        with self.transaction():
            self._conn.execute(
                "INSERT INTO batches(batch_id, kind, actor, params, created_at) VALUES (?,?,?,?,?)",
                (batch_id, kind, actor, to_json(dict(params or {})), utcnow().isoformat()),
            )
        return batch_id

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
        """Undo a batch (see ``revert_batch``); returns how many codings it added were removed."""
        return self.revert_batch(batch_id, actor=actor).removed

    def revert_batch(self, batch_id: str, *, actor: str) -> BatchUndo:
        """Undo everything a batch did, in one transaction, every step logged: remove the codings it
        added (but not those a person accepted or rejected after the batch, outside it: those are decisions; one
        that came in accepted, or that the batch itself accepted, as an import does, goes),
        restore the ones it removed (a sheet's unticks), put back the status of suggestions it accepted or
        rejected (a sheet's untick of an accepted suggestion; not one decided again since; counted as
        restored), put back memos it edited (not one written again since: that stays, ``memos_kept``), and remove
        the seen records it made (a segment seen since by another record, e.g. a review, stays seen). A coding its
        coder coded again by hand since (``confirm_codings`` with no batch) is kept, with its status, as a coding in
        no batch (``by_hand``). A coding that a later batch still standing ticked again (the same sheet imported
        twice) is kept and handed to that batch (``reconfirmed``), so the rows that batch records as seen never
        stand without their ticks.
        A batch already undone is refused (E386)."""
        note = f"undo batch {batch_id}"
        with self.transaction():
            found = self._conn.execute("SELECT undone_at FROM batches WHERE batch_id=?", (batch_id,)).fetchone()
            if found is None:
                raise NotFoundError(Errors.E017.format(batch=batch_id))
            if found[0] is not None:
                when = str(found[0])[:19].replace("T", " ") + " UTC"
                raise InputError(Errors.E386.format(batch=batch_id, when=when))
            done = self._rows("SELECT coding_id, kind, payload FROM coding_events WHERE batch_id=? AND"
                              " (note IS NULL OR note != ?) ORDER BY event_id DESC", (batch_id, note))
            decided = {r[0] for r in self._rows(_DECIDED_SINCE, (batch_id, batch_id, batch_id))}
            hand = {r[0]: r[1] for r in self._rows(_CODED_BY_HAND_SINCE, (batch_id, batch_id))
                    if r[1] is not None and r[0] not in decided}
            later = {r[0]: r[1] for r in self._rows(_CONFIRMED_SINCE, (batch_id, batch_id, batch_id))
                     if r[1] is not None and r[0] not in decided and r[0] not in hand}
            mine = [r[0] for r in self._rows("SELECT coding_id FROM codings WHERE batch_id=?", (batch_id,))]
            ids = [cid for cid in mine if cid not in decided and cid not in later and cid not in hand]
            kept = len(mine) - len(ids) - len(later) - len(hand)
            for cid, who in hand.items():
                self._update(cid, "batch", {"batch_id": None}, actor=actor, batch_id=batch_id,
                             note=f"{note}: kept, {who} coded it again by hand since")
            for cid, other in later.items():
                self._update(cid, "batch", {"batch_id": other}, actor=actor, batch_id=batch_id,
                             note=f"{note}: kept, batch {other} ticked it again")
            self.remove_codings(ids, actor=actor, note=note, batch_id=batch_id)
            restored = memos = memos_kept = 0
            for r in done:
                payload = json.loads(r["payload"])
                current = self._conn.execute("SELECT 1 FROM codings WHERE coding_id=?", (r["coding_id"],)).fetchone()
                if r["kind"] == "remove" and current is None:
                    self.restore_coding(payload, actor=actor, note=note, batch_id=batch_id)
                    restored += 1
                elif r["kind"] == "memo" and current is not None:
                    if self._current(r["coding_id"])["memo"] != payload["after"].get("memo"):
                        memos_kept += 1  # written again since, by hand or a later import: that memo stays
                        continue
                    self._update(r["coding_id"], "memo", payload["before"], actor=actor, note=note, batch_id=batch_id)
                    memos += 1
                elif r["kind"] in ("accept", "reject") and current is not None and r["coding_id"] not in hand \
                        and all(self._current(r["coding_id"])[k] == v for k, v in payload["after"].items()):
                    before = payload["before"]
                    self._update(r["coding_id"], _STATUS_KIND.get(before["status"], "status"), before,
                                 actor=actor, note=note, batch_id=batch_id)
                    restored += 1
            unseen = self._unsee_batch(batch_id)  # type: ignore[attr-defined]  # TwoCoderTables, in Store
            self._conn.execute("UPDATE batches SET undone_at=? WHERE batch_id=?", (utcnow().isoformat(), batch_id))
        return BatchUndo(len(ids), restored, memos, unseen, int(kept), reconfirmed=len(later), by_hand=len(hand),
                         memos_kept=memos_kept)

    def restore_coding(self, row: Mapping[str, Any], *, actor: str, note: str, batch_id: str | None = None) -> None:
        """Put a removed coding back with its id and fields (``row``: its columns), logged as an ``add`` event."""
        values = {k: row.get(k) for k in CODING_COLS}
        with self.transaction():
            self._conn.execute(f"INSERT INTO codings({', '.join(map(q, CODING_COLS))}) VALUES "
                               f"({','.join('?' * len(CODING_COLS))})", [values[k] for k in CODING_COLS])
            self._event(str(values["coding_id"]), "add", actor, values, note=note, batch_id=batch_id)

    # -- people ------------------------------------------------------------------------------
    def person(self, who: Any, what: str = "coder", *, comma_ok: bool = False) -> str:
        """``who`` as a person's name for this study (see ``person_name``): trimmed and NFC; E018 blank, E357 a
        suggester's name (also one that stored suggestions here), E358 a comma in a name not already stored
        (unless ``comma_ok``: a name imported from another program is kept as it was written)."""
        _named(who, what)
        name = unicodedata.normalize("NFC", who).strip()
        stored = self._stored_spelling(name)
        known = comma_ok or ("," in name and self._stored_person(stored))
        person_name(name, what, suggesters=[name] if self._suggested(stored) else (), known=[name] if known else ())
        return stored

    def _suggested(self, name: str) -> bool:
        """Whether ``name`` is the author of a suggestion here: a suggester's row, or one another person decided."""
        return self._conn.execute(
            "SELECT 1 FROM codings WHERE coder=? AND (source='suggester' OR status='suggested' OR (status IN "
            "('accepted', 'rejected') AND reviewer IS NOT NULL AND reviewer != coder)) LIMIT 1", (name,)
        ).fetchone() is not None

    #: People the study's settings name (thematic.toml's coders and consensus), set by ``Study``: a name typed
    #: in another case is spelt as they are.
    configured_people: tuple[str, ...] = ()

    def _stored_spelling(self, name: str) -> str:
        """An existing or configured coder's name as spelt there when ``name`` differs from it only by case or
        Unicode form (``ht`` is thematic.toml's ``HT``; a store made before names were NFC-normalised), so one
        person never becomes two; an exact stored name, or one matching two spellings, is kept as typed."""
        if self._stored_person(name) or name in self.configured_people:
            return name
        rows = self._conn.execute("SELECT DISTINCT coder FROM codings UNION SELECT DISTINCT reviewer FROM codings "
                                  "UNION SELECT DISTINCT coder FROM coverage").fetchall()
        key = unicodedata.normalize("NFC", name).strip().casefold()
        people = {r[0] for r in rows if isinstance(r[0], str)} | set(self.configured_people)
        same = sorted({p for p in people if unicodedata.normalize("NFC", p).strip().casefold() == key})
        return same[0] if len(same) == 1 else name

    def _stored_person(self, name: str) -> bool:
        """Whether ``name`` already codes or decides in this study (an existing coder keeps their name)."""
        return self._conn.execute(
            "SELECT 1 FROM codings WHERE coder=? OR reviewer=? UNION SELECT 1 FROM coverage WHERE coder=? LIMIT 1",
            (name, name, name)).fetchone() is not None

    # -- codings: writes ---------------------------------------------------------------------
    def _event(self, coding_id: str, kind: str, actor: str, payload: Mapping[str, Any],
               note: str | None = None, batch_id: str | None = None) -> None:
        self._conn.execute(
            "INSERT INTO coding_events(coding_id, kind, actor, at, note, payload, batch_id)"
            " VALUES (?,?,?,?,?,?,?)",
            (coding_id, kind, actor, utcnow().isoformat(), note, to_json(payload), batch_id),
        )

    def _current(self, coding_id: str) -> dict[str, Any]:
        row = self._conn.execute("SELECT * FROM codings WHERE coding_id=?", (coding_id,)).fetchone()
        if row is None:
            raise NotFoundError(Errors.E013.format(coding=coding_id))
        return dict(row)

    def add_codings(self, codings: Iterable[Coding], *, batch_id: str | None = None,
                    actor: str | None = None, stored: dict[str, str] | None = None) -> tuple[int, int]:
        """Add codings unless the same (document, span, code, coder) is already stored in any status.

        A suggestion that was rejected is therefore never suggested again. Returns (added, skipped). ``stored``, when
        given, gets {the id each added coding came with: the id it was stored under}: a coder spelt as the study
        spells them gets a new derived id, and an id a re-anchored or remapped coding still holds is salted.
        """
        added = skipped = 0
        if actor is not None:
            _named(actor, "actor")
        people: dict[tuple[str, bool], str] = {}
        with self.transaction():
            for c in codings:
                given = c.id
                _named(c.coder, "coder")
                if c.status == "manual":  # a person's coding: their name as stored (NFC), never a suggester's
                    key = (c.coder, c.provenance.source == "refi")
                    if key not in people:
                        people[key] = self.person(c.coder, "coder", comma_ok=key[1])
                    if people[key] != c.coder:
                        c = replace(c, coder=people[key], id="" if derived_id(c) else c.id)
                if c.status not in CODING_STATUSES:
                    raise StoreError(Errors.E016.format(status=c.status, allowed=", ".join(CODING_STATUSES)))
                exists = self._conn.execute(
                    'SELECT 1 FROM codings WHERE document_id=? AND start=? AND "end"=? AND code_id=? AND coder=?'
                    " LIMIT 1",
                    (c.document_id, c.start, c.end, c.code_id, c.coder),
                ).fetchone()
                if exists or (not derived_id(c) and self._conn.execute(
                        "SELECT 1 FROM codings WHERE coding_id=?", (c.id,)).fetchone()):
                    skipped += 1
                    continue
                c = self._free_id(c)
                row = self._coding_row(c, batch_id)
                self._conn.execute(
                    f"INSERT INTO codings({', '.join(map(q, CODING_COLS))}) VALUES ({','.join('?' * len(CODING_COLS))})",
                    [row[k] for k in CODING_COLS],
                )
                self._event(c.id, "add", actor or c.coder, row, batch_id=batch_id)
                if stored is not None:
                    stored[given] = c.id
                added += 1
        return added, skipped

    def _free_id(self, c: Coding, taken: set[str] | None = None) -> Coding:
        """``c``, or ``c`` with a salted id when its id is held by a coding re-anchored away from this span."""
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
            "params": to_json(dict(c.provenance.params)), "batch_id": batch_id, "memo": c.memo,
            "reviewer": None, "flag": None, "text": c.text, "created_at": c.created_at.isoformat(),
            "updated_at": now,
        }

    def _update(self, coding_id: str, kind: str, changes: Mapping[str, Any], *, actor: str,
                note: str | None = None, batch_id: str | None = None) -> None:
        _named(actor, "reviewer" if kind in ("accept", "reject", "status") else "actor")
        before = self._current(coding_id)
        values = {**changes, "updated_at": utcnow().isoformat()}
        sets = ", ".join(f"{q(k)}=?" for k in values)
        self._conn.execute(f"UPDATE codings SET {sets} WHERE coding_id=?", [*values.values(), coding_id])
        self._event(coding_id, kind, actor, {"before": {k: before[k] for k in changes}, "after": dict(changes)},
                    note=note, batch_id=batch_id)

    def set_status(self, coding_ids: Iterable[str], status: str, *, actor: str, note: str | None = None,
                   batch_id: str | None = None) -> int:
        """Accept or reject suggestions (or change any status); logs one event per coding.

        With ``batch_id`` (a sheet import's untick) ``revert_batch`` of that batch puts the old status back."""
        if status not in CODING_STATUSES:
            raise StoreError(Errors.E016.format(status=status, allowed=", ".join(CODING_STATUSES)))
        actor = self.person(actor, "reviewer", comma_ok=True)  # a decision is a person's, never a suggester's
        kind = _STATUS_KIND.get(status, "status")
        n = 0
        with self.transaction():
            for cid in coding_ids:
                self._update(cid, kind, {"status": status, "reviewer": actor}, actor=actor, note=note,
                             batch_id=batch_id)
                n += 1
        return n

    def confirm_codings(self, coding_ids: Iterable[str], *, actor: str, batch_id: str | None,
                        note: str | None = None) -> int:
        """Log that ``batch_id`` (None: ``actor`` by hand) asserted these stored codings again (a sheet or a hand
        coding of what is already stored); nothing changes, but undoing the batch that added them keeps them
        (see ``revert_batch``)."""
        _named(actor, "actor")
        n = 0
        with self.transaction():
            for cid in dict.fromkeys(coding_ids):
                self._current(cid)  # E013 for a coding not stored
                self._event(cid, "confirm", actor, {"before": {}, "after": {}}, note=note, batch_id=batch_id)
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
                       note: str | None = None, batch_id: str | None = None) -> int:
        """Apply per-coding field changes (remap, re-anchor, memo) as logged events of ``kind``.

        Allowed fields: code_id, start, end, segment_id, text, codebook_version, memo, flag, status.
        """
        allowed = {"code_id", "start", "end", "segment_id", "text", "codebook_version", "memo", "flag", "status"}
        with self.transaction():
            for cid, fields in changes.items():
                bad = set(fields) - allowed
                if bad:
                    raise StoreError(f"[E019] Codings cannot change {', '.join(sorted(bad))} in place.")
                self._update(cid, kind, fields, actor=actor, note=note, batch_id=batch_id)
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
        sql = f"SELECT {', '.join(map(q, CODING_COLS))} FROM codings"
        sql += (f" WHERE {' AND '.join(where)}" if where else "") + ' ORDER BY document_id, start, "end", code_id, coder'
        return frame(self._rows(sql, params), schemas.CODINGS)

    def coding_ids_on_span(self, document_id: str, start: int, end: int, code_id: str, *, coder: str | None = None,
                           owner: str | None = None, status: str | None = None) -> list[str]:
        """Ids of the current codings of ``code_id`` on exactly this span, in ``codings()`` order, read by index
        (not the document's codings); ``owner``: whose coding it is (an accepted suggestion's reviewer, else coder)."""
        sql = 'SELECT coding_id FROM codings WHERE document_id=? AND start=? AND "end"=? AND code_id=?'
        params: list[Any] = [document_id, start, end, code_id]
        for clause, value in (("coder=?", coder), ("status=?", status),
                              ("(CASE WHEN status='accepted' AND reviewer IS NOT NULL THEN reviewer ELSE coder END)=?",
                               owner)):
            if value is not None:
                sql += f" AND {clause}"
                params.append(value)
        return [str(r[0]) for r in self._rows(sql + ' ORDER BY document_id, start, "end", code_id, coder', params)]

    def coding(self, coding_id: str) -> dict[str, Any]:
        """One current coding as a dict of its columns."""
        return self._current(coding_id)

    def events(self, *, coding_id: str | None = None) -> pd.DataFrame:
        """The coding event log, oldest first (see ``schemas.EVENTS``)."""
        sql = "SELECT event_id, coding_id, kind, actor, at, batch_id, note, payload FROM coding_events"
        rows = self._rows(sql + (" WHERE coding_id=?" if coding_id else "") + " ORDER BY event_id",
                          (coding_id,) if coding_id else ())
        return frame(rows, schemas.EVENTS)

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
        df = pd.DataFrame(list(state.values()), columns=list(CODING_COLS))
        return schemas.coerce_frame(df, schemas.CODINGS).sort_values(
            ["document_id", "start", "end", "code_id", "coder"], ignore_index=True
        )


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
