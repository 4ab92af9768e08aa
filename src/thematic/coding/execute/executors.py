"""Where a suggester's chunks run, and the suggestions they give as Codings.

A suggester runs in-process (``base.InProcessExecutor``) or, for a large job, in a pool of
``workers()`` forked processes (``ForkPoolExecutor``: the fitted suggester and the segments are
inherited by the fork, only each chunk's suggestions frame travels back). ``executor_for`` is the
one place that choice is made. Results come back in chunk order either way, so a run is
deterministic whatever the number of processes. Linux only; ``THEMATIC_WORKERS=1`` keeps everything
in one process. Whether a suggester runs in a forked *runner* process instead (``wants_runner``) is
decided here too, from the same thresholds.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

import pandas as pd

from ...codebook import Codebook
from ...config import CodeSettings
from ...models import Coding, Provenance, utcnow
from . import runner as _runner
from .base import Executor, InProcessExecutor

if TYPE_CHECKING:
    from ..suggest.base import Suggester

CHUNK = 2000
#: Segments per chunk a runner process sends back: small, so writing overlaps suggesting (and in a
#: fresh process larger chunks cost more: their big arrays are new memory the kernel must supply).
RUNNER_CHUNK = 1000
#: Below this many segments a run stays in one process (forking costs more than it saves).
PARALLEL_MIN = 4000
_JOB: dict[str, Any] = {}
#: Suggesters that already ran a small job in a runner because this process had not loaded their imports.
_COLD_RUNS: set[str] = set()


def workers() -> int:
    """How many processes a large run uses: ``THEMATIC_WORKERS``, else up to 2 on Linux, else 1."""
    env = os.environ.get("THEMATIC_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    return min(2, os.cpu_count() or 1) if sys.platform.startswith("linux") else 1


def fork_safe(s: "Suggester") -> bool:
    """False when PyTorch is loaded here and ``s`` is not forkable (it may use PyTorch, whose thread
    pool does not survive a fork: a forked child computing embeddings can hang for ever)."""
    return bool(s.forkable) or "torch" not in sys.modules


def _chunk(bounds: tuple[int, int]) -> pd.DataFrame:
    """The suggestions for one chunk (a frame: cheap to send back from a worker, unlike records)."""
    return _JOB["s"].suggest(_JOB["segs"].iloc[bounds[0]:bounds[1]])


class ForkPoolExecutor:
    """Chunks in ``n_workers`` forked processes that inherit the fitted suggester and the segments."""

    def __init__(self, n_workers: int) -> None:
        self.n_workers = n_workers

    def chunks(self, suggester: "Suggester", segments: pd.DataFrame, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """The suggestions of each chunk, computed in the pool, yielded in chunk order."""
        import multiprocessing

        n = len(segments)
        bounds = [(i, min(i + size, n)) for i in range(0, n, size)]
        _JOB.update(s=suggester, segs=segments)  # set before the fork: the workers inherit it
        try:
            with multiprocessing.get_context("fork").Pool(self.n_workers) as pool:
                for b, res in zip(bounds, pool.imap(_chunk, bounds)):
                    yield b[1], res
        finally:
            _JOB.clear()

    def close(self) -> None:
        """Nothing to release: each ``chunks`` call closes its own pool."""


def executor_for(suggester: "Suggester", n_segments: int, settings: CodeSettings | None = None,
                 n_workers: int | None = None) -> Executor:
    """The executor for ``n_segments`` of ``suggester``: the one place the execute stage picks one.

    A run with ``settings.scheduler`` (thematic.toml ``[code] scheduler``) goes to a Dask cluster instead
    (``dask_executor``, ``cluster_run``) and does not come here. A large job of a suggester that can split its work runs in a local fork pool (never
    one that may use PyTorch once it is loaded, see ``fork_safe``), anything else in-process.
    """
    n = workers() if n_workers is None else n_workers
    if n > 1 and n_segments >= PARALLEL_MIN and suggester.parallel_chunks and fork_safe(suggester):
        return ForkPoolExecutor(n)
    return InProcessExecutor()


def chunk_size(s: "Suggester") -> int:
    """Segments per chunk: the suggester's own ``chunk_size``, else ``CHUNK``."""
    return int(getattr(s, "chunk_size", None) or CHUNK)


def to_codings(s: "Suggester", sug: pd.DataFrame, text_of: Mapping[str, str], cb: Codebook,
               already: dict[str, set[str]], learned: Mapping[str, Any] | None = None) -> tuple[list[Coding], int]:
    """Suggestions as ``suggested`` Codings with provenance, minus those already on their segment.

    ``learned``: the fitted suggester's ``learned_provenance()`` when ``s`` was fitted elsewhere (a runner).
    """
    if learned is None:
        learned = {"training_hash_": s.training_hash_} if hasattr(s, "training_hash_") else {}
    fp = s.fingerprint()
    base = {**fp["params"], "codebook_version": cb.version}
    if "encoder" in fp.get("environment", {}):  # the encoder that read the text, not "auto"
        base["encoder"] = fp["environment"]["encoder"]
    if "training_hash_" in learned:
        base["training_hash"] = learned["training_hash_"]
    base.update({k.rstrip("_"): getattr(s, k) for k in s.provenance_attributes if hasattr(s, k)})
    shared: dict[float | None, Provenance] = {}  # one provenance object per threshold
    now = utcnow()
    out, dropped = [], 0
    cols = [sug[k].tolist() for k in ("segment_id", "document_id", "start", "end", "code_id", "confidence",
                                      "threshold", "evidence")]
    for sid, doc, start, end, code_id, conf, thr, evidence in zip(*cols):
        sid = str(sid)
        if code_id in already.get(sid, ()):
            dropped += 1
            continue
        threshold = None if _missing(thr) else float(thr)
        prov = shared.get(threshold)
        if prov is None:
            prov = shared[threshold] = Provenance("suggester", s.name, {**base, "threshold": threshold})
        out.append(Coding(
            document_id=str(doc), start=int(start), end=int(end), code_id=str(code_id), coder=s.name,
            status="suggested", text=text_of[sid], segment_id=sid, confidence=float(conf),
            codebook_version=cb.version, provenance=prov, created_at=now,
            memo=None if _missing(evidence) else str(evidence)))
    return out, dropped


def _missing(value: Any) -> bool:
    """None or a missing value (pd.NA, NaN) as ``tolist()`` of a nullable column gives it."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def run_suggester(s: "Suggester", segs: pd.DataFrame, cb: Codebook, already: dict[str, set[str]],
                  progress: Callable[[int, int], None] | None = None, n_workers: int | None = None,
                  settings: CodeSettings | None = None) -> tuple[list[Coding], int]:
    """Codings suggested by the fitted ``s`` on ``segs`` (in chunks), and how many were already there."""
    text_of = dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))
    out: list[Coding] = []
    dropped = 0
    executor = executor_for(s, len(segs), settings, n_workers)
    try:
        for done, sug in executor.chunks(s, segs, chunk_size(s)):
            new, n = to_codings(s, sug, text_of, cb, already)
            out.extend(new)
            dropped += n
            if progress is not None:
                progress(done, len(segs))
    finally:
        executor.close()
    if progress is not None and not len(segs):
        progress(0, 0)
    return out, dropped


def runners_enabled() -> bool:
    """True when suggesters may run in runner processes (Linux, and more than one worker allowed)."""
    return _runner.available() and workers() > 1


def wants_runner(s: "Suggester", n_segments: int) -> bool:
    """Run ``s`` in a runner process: it is forkable and the job is large, or its imports are not loaded.

    A runner loads spaCy without PyTorch (see ``runner``), faster than this process could. For a
    small job that holds once per suggester and process (a command-line run): the next small job
    loads the imports here (a notebook, a test session), so later runs start at once.
    """
    if not (s.forkable and runners_enabled()):
        return False
    return n_segments >= PARALLEL_MIN or (not s.is_warm() and s.name not in _COLD_RUNS)


def runner_used(s: "Suggester", n_segments: int) -> None:
    """Record that ``s`` ran in a runner (a small job while its imports were not loaded counts, once)."""
    if n_segments < PARALLEL_MIN and not s.is_warm():
        _COLD_RUNS.add(s.name)
