"""One suggester over many segments: chunks (in parallel worker processes when it pays), filtering, Codings.

Large runs are split into chunks processed by ``workers`` forked processes (Linux only; the fitted
suggester and the segments are inherited by the fork, only each chunk's suggestions frame travels
back, and the parent turns it into Codings), so the rules and the model use both cores of a small machine. Results are gathered in chunk
order, so a run is deterministic whatever the number of workers. ``THEMATIC_WORKERS=1`` turns it off.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ..models import Coding, Provenance, utcnow

if TYPE_CHECKING:
    from ..study import Study
    from .suggest.base import Suggester

HUMAN_STATUSES = ("manual", "accepted", "rejected")
CHUNK = 2000
#: Below this many segments a run stays in one process (forking costs more than it saves).
PARALLEL_MIN = 4000
_JOB: dict[str, Any] = {}


def workers() -> int:
    """How many processes a large run uses: ``THEMATIC_WORKERS``, else up to 2 on Linux, else 1."""
    env = os.environ.get("THEMATIC_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return min(2, os.cpu_count() or 1) if sys.platform.startswith("linux") else 1


def load_segments(study: "Study", docs: Sequence[str], include_interviewer: bool,
                  cache: dict[tuple[Any, ...], tuple[pd.DataFrame, int]]) -> tuple[pd.DataFrame, int]:
    """The documents' segments with text (empty ones dropped) and their word count, read once per run."""
    key = (tuple(docs), include_interviewer)
    if key not in cache:
        segs = study.store.segments(document=list(docs), include_interviewer=include_interviewer)
        segs = segs[segs["text"].fillna("").str.strip() != ""].reset_index(drop=True)
        words = int(segs["text"].str.count(r"\S+").sum()) if len(segs) else 0
        cache[key] = (segs, words)
    return cache[key]


def decided(study: "Study", segs: pd.DataFrame, docs: Sequence[str], name: str) -> dict[str, set[str]]:
    """Codes already on each segment: decided by a human, or suggested before by this suggester."""
    from .suggest._labels import segment_codes

    if not docs:
        return {}
    existing = study.store.codings(document=list(docs))
    mine = (existing["status"].isin(HUMAN_STATUSES) | (existing["coder"] == name)).fillna(False)
    return segment_codes(segs, existing[mine.to_numpy(dtype=bool)], statuses=(*HUMAN_STATUSES, "suggested"))


def to_codings(s: "Suggester", sug: pd.DataFrame, text_of: Mapping[str, str], cb: Codebook,
               already: dict[str, set[str]]) -> tuple[list[Coding], int]:
    """Suggestions as ``suggested`` Codings with provenance, minus those already on their segment."""
    base = {**s.fingerprint()["params"], "codebook_version": cb.version}
    if hasattr(s, "training_hash_"):
        base["training_hash"] = s.training_hash_
    shared: dict[float | None, Provenance] = {}  # one provenance object per threshold
    now = utcnow()
    out, dropped = [], 0
    for row in sug.itertuples(index=False):
        sid = str(row.segment_id)
        if row.code_id in already.get(sid, ()):
            dropped += 1
            continue
        threshold = None if pd.isna(row.threshold) else float(row.threshold)
        if threshold not in shared:
            shared[threshold] = Provenance("suggester", s.name, {**base, "threshold": threshold})
        out.append(Coding(
            document_id=str(row.document_id), start=int(row.start), end=int(row.end), code_id=str(row.code_id),
            coder=s.name, status="suggested", text=text_of[sid], segment_id=sid, confidence=float(row.confidence),
            codebook_version=cb.version, provenance=shared[threshold], created_at=now,
            memo=None if pd.isna(row.evidence) else str(row.evidence)))
    return out, dropped


def _chunk(bounds: tuple[int, int]) -> pd.DataFrame:
    """The suggestions for one chunk (a frame: cheap to send back from a worker, unlike records)."""
    return _JOB["s"].suggest(_JOB["segs"].iloc[bounds[0]:bounds[1]])


def _results(n: int, n_workers: int) -> Iterator[tuple[int, pd.DataFrame]]:
    bounds = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    if n_workers > 1 and n >= PARALLEL_MIN:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(n_workers) as pool:
            for b, res in zip(bounds, pool.imap(_chunk, bounds)):
                yield b[1], res
        return
    for b in bounds:
        yield b[1], _chunk(b)


def run_suggester(s: "Suggester", segs: pd.DataFrame, cb: Codebook, already: dict[str, set[str]],
                  progress: Callable[[int, int], None] | None = None,
                  n_workers: int | None = None) -> tuple[list[Coding], int]:
    """Codings suggested by the fitted ``s`` on ``segs`` (in chunks), and how many were already there."""
    _JOB.update(s=s, segs=segs)
    text_of = dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))
    out: list[Coding] = []
    dropped = 0
    try:
        for done, sug in _results(len(segs), workers() if n_workers is None else n_workers):
            new, n = to_codings(s, sug, text_of, cb, already)
            out.extend(new)
            dropped += n
            if progress is not None:
                progress(done, len(segs))
    finally:
        _JOB.clear()
    if progress is not None and not len(segs):
        progress(0, 0)
    return out, dropped
