"""What the store's table modules share: column lists, quoting, JSON and frame conversion."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from typing import Any, Sequence

import pandas as pd

from .. import schemas
from ..models import Coding, coding_id

CODING_COLS = (
    "coding_id", "document_id", "segment_id", "start", "end", "code_id", "coder", "status",
    "confidence", "codebook_version", "source", "suggester", "params", "batch_id", "memo",
    "reviewer", "flag", "text", "created_at", "updated_at",
)


def q(col: str) -> str:
    return '"end"' if col == "end" else col


def derived_id(c: Coding) -> bool:
    """True when ``c.id`` is the id its own span gives (not one passed in explicitly)."""
    return c.id == coding_id(c.document_id, c.start, c.end, c.code_id, c.coder)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


#: The page a segment starts on, for documents that stored their page start offsets (PDF); else NULL.
PAGE = ("CASE WHEN instr(d.attributes, '\"pages\"') THEN (SELECT NULLIF(count(*), 0)"
         " FROM json_each(d.attributes, '$.pages') j WHERE j.value <= s.start) END")


def frame(rows: list[sqlite3.Row], schema: schemas.Schema) -> pd.DataFrame:
    """Rows as a DataFrame with ``schema``'s columns and types."""
    df = pd.DataFrame([dict(r) for r in rows], columns=list(schema))
    return schemas.coerce_frame(df, schema)


class TableMixin:
    """The base of ``Store``'s table mixins: what they use of ``Store`` (whose own definitions win the MRO)."""

    _conn: Any

    def transaction(self) -> AbstractContextManager[Any]:  # provided by Store
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:  # provided by Store
        raise NotImplementedError
