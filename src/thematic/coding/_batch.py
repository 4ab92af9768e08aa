"""One suggester over many segments: in a runner process or in-process (chunks, worker processes), Codings.

A forkable suggester (rules, model) with a large job, or one whose heavy imports are not loaded
yet, runs in a ``_runner.Runner`` process that streams each chunk's suggestions back while the
parent writes them (``Job.pieces``). Otherwise a suggester runs in-process; a large in-process run
is split into chunks processed by ``workers`` forked processes (the fitted suggester and the
segments are inherited by the fork, only each chunk's suggestions frame travels back). Results are
gathered in chunk order either way, so a run is deterministic whatever the number of processes.
Linux only; ``THEMATIC_WORKERS=1`` keeps everything in one process.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, StudyError
from ..models import Coding, Provenance, utcnow

if TYPE_CHECKING:
    from ..study import Study
    from ._runner import Runner
    from .suggest.base import Suggester

HUMAN_STATUSES = ("manual", "accepted", "rejected")
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


def load_segments(study: "Study", docs: Sequence[str], include_interviewer: bool,
                  cache: dict[tuple[Any, ...], Any]) -> tuple[pd.DataFrame, int]:
    """The documents' segments with text (empty ones dropped) and their word count, read once per run."""
    key = (tuple(docs), include_interviewer)
    if key not in cache:
        segs = study.store.segments(document=list(docs), include_interviewer=include_interviewer)
        segs = segs[segs["text"].fillna("").str.strip() != ""].reset_index(drop=True)
        words = sum(len(t.split()) for t in segs["text"].tolist())
        cache[key] = (segs, words)
    return cache[key]


def decided(study: "Study", segs: pd.DataFrame, docs: Sequence[str], name: str,
            cache: dict[tuple[Any, ...], Any] | None = None) -> dict[str, set[str]]:
    """Codes already on each segment: decided by a human, or suggested before by this suggester.

    ``cache`` keeps the documents' codings for the next suggester of the same run.
    """
    from .suggest._labels import segment_codes

    if not docs:
        return {}
    key = ("codings", tuple(docs))
    cache = {} if cache is None else cache
    if key not in cache:
        cache[key] = study.store.codings(document=list(docs))
    existing = cache[key]
    mine = (existing["status"].isin(HUMAN_STATUSES) | (existing["coder"] == name)).fillna(False)
    return segment_codes(segs, existing[mine.to_numpy(dtype=bool)], statuses=(*HUMAN_STATUSES, "suggested"))


def to_codings(s: "Suggester", sug: pd.DataFrame, text_of: Mapping[str, str], cb: Codebook,
               already: dict[str, set[str]], learned: Mapping[str, Any] | None = None) -> tuple[list[Coding], int]:
    """Suggestions as ``suggested`` Codings with provenance, minus those already on their segment.

    ``learned``: the fitted suggester's ``learned_provenance()`` when ``s`` was fitted elsewhere (a runner).
    """
    if learned is None:
        learned = {"training_hash_": s.training_hash_} if hasattr(s, "training_hash_") else {}
    base = {**s.fingerprint()["params"], "codebook_version": cb.version}
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


def _chunk(bounds: tuple[int, int]) -> pd.DataFrame:
    """The suggestions for one chunk (a frame: cheap to send back from a worker, unlike records)."""
    return _JOB["s"].suggest(_JOB["segs"].iloc[bounds[0]:bounds[1]])


def _results(n: int, n_workers: int) -> Iterator[tuple[int, pd.DataFrame]]:
    size = int(getattr(_JOB["s"], "chunk_size", None) or CHUNK)
    bounds = [(i, min(i + size, n)) for i in range(0, n, size)]
    if n_workers > 1 and n >= PARALLEL_MIN and _JOB["s"].parallel_chunks and fork_safe(_JOB["s"]):
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


def runners_enabled() -> bool:
    """True when suggesters may run in runner processes (Linux, and more than one worker allowed)."""
    from ._runner import available

    return available() and workers() > 1


def wants_runner(s: "Suggester", n_segments: int) -> bool:
    """Run ``s`` in a runner process: it is forkable and the job is large, or its imports are not loaded.

    A runner loads spaCy without PyTorch (see ``_runner``), faster than this process could. For a
    small job that holds once per suggester and process (a command-line run): the next small job
    loads the imports here (a notebook, a test session), so later runs start at once.
    """
    if not (s.forkable and runners_enabled()):
        return False
    return n_segments >= PARALLEL_MIN or (not s.is_warm() and s.name not in _COLD_RUNS)


def fork_safe(s: "Suggester") -> bool:
    """False when PyTorch is loaded here and ``s`` is not forkable (it may use PyTorch, whose thread
    pool does not survive a fork: a forked child computing embeddings can hang for ever)."""
    return bool(s.forkable) or "torch" not in sys.modules


def runner_used(s: "Suggester", n_segments: int) -> None:
    """Record that ``s`` ran in a runner (a small job while its imports were not loaded counts, once)."""
    if n_segments < PARALLEL_MIN and not s.is_warm():
        _COLD_RUNS.add(s.name)


@dataclass
class Job:
    """One suggester's share of a run, to be written: Codings computed in-process, or a runner's stream.

    ``pieces`` yields the suggestions one list per ``RUNNER_CHUNK`` segments, in segment order, the
    same pieces whether they were computed here or streamed from a runner (so a run writes the
    same rows in the same order either way); the caller adds what the store ``added`` and
    ``skipped``, and ``result()`` is then the final SuggesterRun.
    """

    run: Any
    plan: Any = None
    codings: list[Coding] = field(default_factory=list)
    suggester: "Suggester | None" = None
    runner: "Runner | None" = None
    segs: pd.DataFrame | None = None
    cb: Codebook | None = None
    already: dict[str, set[str]] = field(default_factory=dict)
    refit: Callable[[], str | None] | None = None
    started: float = 0.0
    added: int = 0
    skipped: int = 0
    _final: dict[str, Any] = field(default_factory=dict)

    def pieces(self, progress: Callable[[int, int], None] | None = None) -> Iterator[list[Coding]]:
        """The suggestions to write, one list per chunk of segments (streamed from the runner, if any)."""
        if self.runner is None:
            yield from _split(self.codings, self.segs)
            return
        try:
            yield from self._stream(progress)
        finally:
            self.runner.close()

    def result(self) -> Any:
        """The SuggesterRun, once every piece was written."""
        if self.runner is None:
            return replace(self.run, added=self.added, already=self.run.already + self.skipped)
        final = dict(self._final)
        if final.get("status") == "skipped":
            return replace(self.run, **final)
        final["already"] = final.pop("dropped", 0) + self.skipped
        return replace(self.run, added=self.added, **final)

    def _stream(self, progress: Callable[[int, int], None] | None) -> Iterator[list[Coding]]:
        from ._runner import RunnerFailed, RunnerSkipped

        assert self.runner is not None and self.suggester is not None and self.segs is not None
        assert self.cb is not None
        s, segs, runner = self.suggester, self.segs, self.runner
        text_of = dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))
        dropped = done = 0
        try:
            for done, sug in runner.results():
                new, n = to_codings(s, sug, text_of, self.cb, self.already, runner.learned)
                dropped += n
                yield new
                if progress is not None:
                    progress(done, len(segs))
            learned, fit_s = runner.learned, runner.fit_seconds
        except RunnerSkipped as exc:
            self._final = {"status": "skipped", "reason": str(exc), "documents": 0, "segments": 0, "words": 0,
                           "fit_seconds": runner.fit_seconds}
            return
        except RunnerFailed as exc:  # finish in this process, from the first chunk not received
            t = time.perf_counter()
            reason = self.refit() if self.refit is not None else "nothing to fit it with"
            if reason is not None:
                raise StudyError(Errors.E380.format(name=s.name, detail=exc, reason=reason)) from exc
            fit_s, learned = time.perf_counter() - t, s.learned_provenance()
            new, n = run_suggester(s, segs.iloc[done:], self.cb, self.already, n_workers=1)
            dropped += n
            yield from _split(new, segs, done)
        if progress is not None and not len(segs):
            progress(0, 0)
        self._final = {"dropped": dropped, "fit_seconds": fit_s, "seconds": time.perf_counter() - self.started,
                       "skipped_codes": dict(learned.get("skipped_codes_", {}))}


def _split(codings: list[Coding], segs: pd.DataFrame | None, start: int = 0) -> Iterator[list[Coding]]:
    """``codings`` (in segment order) cut where the segments of ``segs[start:]`` cross a chunk boundary."""
    if segs is None:
        yield codings
        return
    position = {sid: i for i, sid in enumerate(segs["segment_id"].astype(str).tolist())}
    piece: list[Coding] = []
    end = start + RUNNER_CHUNK
    for c in codings:
        while position[str(c.segment_id)] >= end:
            yield piece
            piece, end = [], end + RUNNER_CHUNK
        piece.append(c)
    yield piece
    for _ in range(end, len(segs), RUNNER_CHUNK):  # the chunks after the last coding's
        yield []
