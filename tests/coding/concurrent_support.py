"""Another command committing at a chosen moment of this one, for the tests of imports that overlap others.

The other command runs on a second ``Study`` of the same folder (its own SQLite connection, as another process
has), called from sqlite3's trace callback of the first one's connection just before it runs ``BEGIN IMMEDIATE``:
the moment it asks for the write lock. Imported as ``coding.concurrent_support`` (``tests/`` is on sys.path).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator


@contextmanager
def as_it_takes_the_lock(study: Any, action: Callable[[], object]) -> Iterator[list[object]]:
    """Run ``action`` once, just before ``study``'s store asks for the write lock; yields what it returned."""
    done: list[object] = []

    def trace(sql: str) -> None:
        if sql.startswith("BEGIN IMMEDIATE") and not done:
            try:
                done.append(action())
            except Exception as exc:  # noqa: BLE001 - an error in a trace callback would be swallowed
                done.append(exc)

    raw = study.store._conn.raw
    raw.set_trace_callback(trace)
    try:
        yield done
    finally:
        raw.set_trace_callback(None)
    assert done and not isinstance(done[0], Exception), done


def stale(study: Any) -> list[tuple[str, str, str]]:
    """Codings whose stored text is not the document's text at their offsets: (segment, stored, at offsets)."""
    out = []
    for c in study.store.codings().itertuples():
        text = study.store.document(c.document_id).text
        if text[c.start:c.end] != c.text:
            out.append((c.segment_id, c.text, text[c.start:c.end]))
    return out
