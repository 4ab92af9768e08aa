"""A document's segments (units, speakers, participants, questions, cue times) <-> a JSON file beside its text.

REFI-QDA has no place for how a text is cut into units. A thematic export writes
``sources/<GUID>.segments.json`` next to ``sources/<GUID>.txt`` (other programs ignore it), and a thematic
import reads it back, so a round trip keeps the segments exactly: a VTT's cues with their times, a
file set to ``unit = "paragraph"``, a survey's answers. The file names the hash of the text it
describes; a text changed by another program is segmented afresh instead.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

from ..models import Segment

VERSION = 1
SUFFIX = ".segments.json"
_FIELDS = ("start", "end", "speaker", "participant_id", "is_interviewer", "kind", "question", "time_start", "time_end")
_KINDS = {"turn", "paragraph", "sentence", "answer"}


def text_hash(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes (what the layout file is valid for)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def layout_json(text: str, segments: Iterable[Segment]) -> str:
    """The layout file of a document: its text's hash and one record per segment."""
    rows = [{k: v for k in _FIELDS if (v := getattr(s, k)) is not None and v is not False} for s in segments]
    return json.dumps({"thematic_segments": VERSION, "text_sha256": text_hash(text), "segments": rows},
                      ensure_ascii=False, separators=(",", ":"))


def layout_ref(text_ref: str) -> str | None:
    """The reference of the layout file beside ``internal://<GUID>.txt``; None for other references."""
    if not text_ref.lower().startswith("internal://") or not text_ref.lower().endswith(".txt"):
        return None
    return text_ref[:-4] + SUFFIX


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def _opt_float(v: Any) -> float | None:
    return None if v is None else float(v)


def read_layout(doc_id: str, text: str, data: bytes) -> tuple[tuple[Segment, ...] | None, str | None]:
    """The segments a layout file gives ``text``, or (None, why not) when it is not for this text or is broken."""
    try:
        payload = json.loads(data.decode("utf-8"))
        if not isinstance(payload, dict) or payload.get("thematic_segments") != VERSION:
            return None, "an unknown layout version"
        if payload.get("text_sha256") != text_hash(text):
            return None, "the text differs from the one it describes"
        out: list[Segment] = []
        last_start = 0
        for row in payload["segments"]:
            start, end = int(row["start"]), int(row["end"])
            kind = str(row.get("kind", "turn"))
            if not (last_start <= start <= end <= len(text)) or kind not in _KINDS:
                return None, f"segment {len(out)} ({start}:{end}) does not fit the text"
            out.append(Segment(doc_id, len(out), start, end, text[start:end], speaker=_opt_str(row.get("speaker")),
                               participant_id=_opt_str(row.get("participant_id")),
                               is_interviewer=bool(row.get("is_interviewer", False)), kind=kind,  # type: ignore[arg-type]
                               time_start=_opt_float(row.get("time_start")), time_end=_opt_float(row.get("time_end")),
                               question=_opt_str(row.get("question"))))
            last_start = start
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        return None, f"it cannot be read ({type(exc).__name__})"
    return (tuple(out) or None), (None if out else "it lists no segments")
