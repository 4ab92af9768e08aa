"""What each coder saw and the consensus decisions of a document <-> a JSON file beside its text.

REFI-QDA has no place for coverage (the segments a coder read, coded or not) or for a consensus (the
segments ``thematic reconcile`` settled and the decisions logged there), yet agreement and every table
depend on them. A thematic export writes ``sources/<GUID>.records.json`` next to the text and its
``.segments.json`` (other programs ignore it); a thematic import reads it back onto the same segments,
so a round trip keeps the tables. Segments are named by their place in the layout file; like it, the
file names the hash of the text it describes and is not used for a text changed since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .layout import text_hash

VERSION = 1
SUFFIX = ".records.json"
#: A coverage record's source when ``thematic reconcile`` made it (the consensus coder's settled segments).
RECONCILE_SOURCE = "reconcile"


@dataclass(slots=True)
class Seen:
    """One coder saw one segment (its place among the document's segments), recorded by ``source``."""

    segment: int
    coder: str
    source: str


@dataclass(slots=True)
class Decision:
    """One logged consensus decision on one code of one segment (see ``store.decisions``)."""

    segment: int
    consensus: str
    coders: str
    code: str
    applied: bool
    decided_by: str
    route: str
    memo: str | None = None
    code_guid: str | None = None  # the code's REFI GUID, so an import that renames the code still finds it


@dataclass(slots=True)
class Records:
    """A document's coverage and consensus decisions."""

    seen: list[Seen] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.seen or self.decisions)


def records_json(text: str, records: Records) -> str:
    """The records file of a document whose text is ``text``."""
    seen = [{"segment": s.segment, "coder": s.coder, "source": s.source} for s in records.seen]
    decisions = [{k: v for k, v in (("segment", d.segment), ("consensus", d.consensus), ("coders", d.coders),
                                    ("code", d.code), ("code_guid", d.code_guid), ("applied", d.applied),
                                    ("memo", d.memo), ("decided_by", d.decided_by), ("route", d.route))
                  if v is not None} for d in records.decisions]
    return json.dumps({"thematic_records": VERSION, "text_sha256": text_hash(text), "seen": seen,
                       "decisions": decisions}, ensure_ascii=False, separators=(",", ":"))


def records_ref(text_ref: str) -> str | None:
    """The reference of the records file beside ``internal://<GUID>.txt``; None for other references."""
    if not text_ref.lower().startswith("internal://") or not text_ref.lower().endswith(".txt"):
        return None
    return text_ref[:-4] + SUFFIX


def _name(row: Mapping[str, Any], key: str) -> str:
    value = row[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(key)
    return value


def read_records(text: str, n_segments: int, data: bytes) -> tuple[Records | None, str | None]:
    """The records a file gives a text of ``n_segments`` segments, or (None, why not) when it does not fit."""
    try:
        payload = json.loads(data.decode("utf-8"))
        if not isinstance(payload, dict) or payload.get("thematic_records") != VERSION:
            return None, "an unknown version"
        if payload.get("text_sha256") != text_hash(text):
            return None, "the text differs from the one it describes"
        out = Records()
        for row in payload.get("seen") or []:
            out.seen.append(Seen(int(row["segment"]), _name(row, "coder"), _name(row, "source")))
        for row in payload.get("decisions") or []:
            memo = row.get("memo")
            out.decisions.append(Decision(
                int(row["segment"]), _name(row, "consensus"), str(row.get("coders") or ""), _name(row, "code"),
                bool(row["applied"]), _name(row, "decided_by"), _name(row, "route"),
                memo=str(memo) if memo is not None else None,
                code_guid=str(row["code_guid"]) if row.get("code_guid") else None))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        return None, f"it cannot be read ({type(exc).__name__})"
    beyond = [r.segment for r in (*out.seen, *out.decisions) if not 0 <= r.segment < n_segments]
    if beyond:
        return None, f"it names segment {beyond[0]}, and the text has {n_segments}"
    return out, None


def consensus_coders(seen: Iterable[tuple[str, str]]) -> set[str]:
    """The coders among ``(coder, source)`` records whose segments ``thematic reconcile`` settled."""
    return {coder for coder, source in seen if source.startswith(RECONCILE_SOURCE)}
