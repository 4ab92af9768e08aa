"""The columns and dtypes of every DataFrame that crosses the public API.

One definition each; ``empty_frame(SCHEMA)`` builds a typed empty frame and ``validate_frame``
checks a frame handed in by a user, naming what is missing.
"""

from __future__ import annotations

from typing import Mapping

import pandas as pd

from .errors import InputError

Schema = Mapping[str, str]

DOCUMENTS: Schema = {
    "document_id": "string",
    "path": "string",
    "format": "string",
    "title": "string",
    "content_hash": "string",
    "n_chars": "Int64",
    "n_segments": "Int64",
    "ingested_at": "string",
}

SEGMENTS: Schema = {
    "segment_id": "string",
    "document_id": "string",
    "index": "Int64",
    "start": "Int64",
    "end": "Int64",
    "speaker": "string",
    "participant_id": "string",
    "is_interviewer": "boolean",
    "kind": "string",
    "time_start": "Float64",
    "time_end": "Float64",
    "question": "string",
    "text": "string",
}

PARTICIPANTS: Schema = {"participant_id": "string"}  # plus one column per attribute

CODINGS: Schema = {
    "coding_id": "string",
    "document_id": "string",
    "segment_id": "string",
    "start": "Int64",
    "end": "Int64",
    "code_id": "string",
    "coder": "string",
    "status": "string",
    "confidence": "Float64",
    "codebook_version": "string",
    "source": "string",
    "suggester": "string",
    "params": "string",
    "batch_id": "string",
    "memo": "string",
    "reviewer": "string",
    "flag": "string",
    "text": "string",
    "created_at": "string",
    "updated_at": "string",
}

EVENTS: Schema = {
    "event_id": "Int64",
    "coding_id": "string",
    "kind": "string",
    "actor": "string",
    "at": "string",
    "batch_id": "string",
    "note": "string",
    "payload": "string",
}

#: What a suggester returns from ``suggest``: one row per proposed coding.
SUGGESTIONS: Schema = {
    "segment_id": "string",
    "document_id": "string",
    "start": "Int64",
    "end": "Int64",
    "code_id": "string",
    "confidence": "Float64",
    "evidence": "string",
}


def empty_frame(schema: Schema) -> pd.DataFrame:
    """An empty DataFrame with the schema's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in schema.items()})


def coerce_frame(df: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Order and type the schema's columns (extra columns are kept after them)."""
    out = df.copy()
    for col, dtype in schema.items():
        if col not in out.columns:
            out[col] = pd.Series([pd.NA] * len(out), dtype=dtype, index=out.index)
        else:
            out[col] = out[col].astype(dtype)
    extra = [c for c in out.columns if c not in schema]
    return out[list(schema) + extra]


def validate_frame(df: pd.DataFrame, schema: Schema, *, name: str, required: tuple[str, ...] = ()) -> None:
    """Raise InputError naming the missing columns if ``df`` lacks any of ``required``."""
    needed = required or tuple(schema)
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise InputError(
            f"[E030] The {name} frame lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(map(str, df.columns)) or 'none'}. See thematic.schemas.{name.upper()}."
        )
