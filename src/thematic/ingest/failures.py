"""Files the last ingest could not read, remembered so `thematic status` can say so (not "new")."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..store import Store
    from .report import IngestRow

_KEY = "ingest:failed"


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def failed_files(store: "Store") -> dict[str, tuple[str | None, str]]:
    """Path -> (hash of the bytes that failed, the error), as recorded by the last ingest of each file."""
    raw = store.get_meta(_KEY)
    if not raw:
        return {}
    return {path: (entry.get("hash"), entry.get("error", "")) for path, entry in json.loads(raw).items()}


def record_failures(store: "Store", root: Path, rows: Iterable["IngestRow"], *, full: bool) -> None:
    """Remember this run's failed files; a file read since (or, on a full run, gone) is forgotten."""
    rows = list(rows)
    known = {} if full else {p: {"hash": h, "error": e} for p, (h, e) in failed_files(store).items()}
    for row in rows:
        known.pop(row.path, None)
        if row.status == "failed":
            path = Path(row.path) if Path(row.path).is_absolute() else root / row.path
            known[row.path] = {"hash": file_hash(path), "error": row.error or ""}
    if known or store.get_meta(_KEY):
        store.set_meta(_KEY, json.dumps(known, sort_keys=True))
