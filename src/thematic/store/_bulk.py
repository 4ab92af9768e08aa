"""Many suggestions written at once (a suggester run): ``add_codings``' rules and events, far fewer queries."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from ..errors import Errors, StoreError
from ..models import CODING_STATUSES, Coding, utcnow
from ._sql import CODING_COLS, TableMixin, derived_id, q, to_json


class BulkCodings(TableMixin):
    """Mixed into ``Store``: ``add_codings_bulk``."""

    _free_id: Callable[..., Coding]  # from CodingTables (an annotation only: a stub here would shadow it)

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
                    if not derived_id(c):
                        continue  # an explicit id that is taken: skipped, as always
                    c = self._free_id(c, taken=ids)  # held by a coding re-anchored elsewhere: a fresh id
                keys.add(key)
                ids.add(c.id)
                row, payload = encode(c)
                rows.append(row)
                events.append((c.id, "add", actor or c.coder, now, None, payload, batch_id))
            self._conn.executemany(
                f"INSERT INTO codings({', '.join(map(q, CODING_COLS))}) VALUES ({','.join('?' * len(CODING_COLS))})",
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
        """A function turning a Coding into (its ``codings`` row in ``CODING_COLS`` order, the JSON of
        that row), the JSON identical to ``to_json(row)`` (tested) but filled into a template: strings
        are encoded by json's own C encoder, the params' JSON is made once per params object, and
        any value other than str/int/float/None falls back to ``_json`` of the whole row."""
        from json.encoder import encode_basestring as esc  # raises TypeError unless given a str

        template = "{" + ", ".join(f"{esc(k)}: %s" for k in sorted(CODING_COLS)) + "}"
        batch, stamp = to_json(batch_id), to_json(now)
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
                text = to_json(dict(prov.params))
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
                return row, to_json(dict(zip(CODING_COLS, row)))
            try:  # the keys in sorted order: batch_id, code_id, codebook_version, coder, coding_id, ...
                payload = template % (
                    batch, esc(c.code_id), "null" if version is None else esc(version), esc(c.coder), esc(c.id),
                    "null" if conf is None else repr(conf), created[2], last[5] or esc(c.document_id), repr(end),
                    "null", "null" if memo is None else esc(memo), got[2], "null", last[3] or esc(c.segment_id or ""),
                    esc(prov.source), repr(start), esc(c.status), "null" if name is None else esc(name),
                    last[1] or esc(c.text), stamp)
            except TypeError:  # a value that is not a str where one is expected
                payload = to_json(dict(zip(CODING_COLS, row)))
            return row, payload

        return encode
