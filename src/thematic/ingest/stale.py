"""Which raw files an ingest would read anew: new, changed since they were stored, gone, or failed."""

from __future__ import annotations

from typing import Any

from ..context import HasContext, StudyContext, context_of
from .discover import discover_inputs, unread_entries
from .failures import failed_files, failure_hash


def stale_inputs(study: StudyContext | HasContext) -> dict[str, list[Any]]:
    """Raw files not yet ingested (``new``), changed since (``changed``), gone (``missing``), unchanged since
    the last ingest failed to read them (``failed``: (path, error) pairs), and entries no ingest reads
    (``unread``: (path, warning) pairs: a broken link, a pipe or device, a folder that cannot be listed). Files over
    ``max_file_mb`` or symlinked out of the study are judged by their size and time, never opened; a symlinked
    folder out of the study is listed by its own path, as the E030 row of the last ingest."""
    ctx = context_of(study)
    stored = {path: h for _, (path, h) in ctx.store.document_hashes().items()}
    failures = failed_files(ctx.store)
    out: dict[str, list[Any]] = {"new": [], "changed": [], "missing": [], "failed": [],
                                 "unread": unread_entries(ctx.root, [ctx.paths.raw])}
    seen = set()
    for f in discover_inputs(ctx.paths.raw, ctx.root):
        rel = f.relative_to(ctx.root).as_posix()
        seen.add(rel)
        error = failures[rel][1] if rel in failures else ""  # a file refused unread is compared by its status
        digest = failure_hash(f, error, root=ctx.root, limit=ctx.config.limits.max_file_bytes)
        if rel in failures and failures[rel][0] == digest:
            out["failed"].append((rel, failures[rel][1]))
        elif rel not in stored:
            out["new"].append(rel)
        elif digest != stored[rel]:
            out["changed"].append(rel)
    out["missing"] = sorted(p for p in stored if p not in seen)
    return out
