"""Which raw files an ingest would read anew: new, changed since they were stored, or gone."""

from __future__ import annotations

import hashlib

from ..context import HasContext, StudyContext, context_of
from .discover import discover_inputs


def stale_inputs(study: StudyContext | HasContext) -> dict[str, list[str]]:
    """Raw files not yet ingested (``new``), changed since (``changed``), or gone (``missing``)."""
    ctx = context_of(study)
    stored = {path: h for _, (path, h) in ctx.store.document_hashes().items()}
    out: dict[str, list[str]] = {"new": [], "changed": [], "missing": []}
    seen = set()
    for f in discover_inputs(ctx.paths.raw):
        rel = f.relative_to(ctx.root).as_posix()
        seen.add(rel)
        if rel not in stored:
            out["new"].append(rel)
        elif hashlib.sha256(f.read_bytes()).hexdigest() != stored[rel]:
            out["changed"].append(rel)
    out["missing"] = sorted(p for p in stored if p not in seen)
    return out
