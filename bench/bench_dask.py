"""Benchmark suggesting on a Dask cluster: passages/s here and on a 2-worker LocalCluster, and the overhead per task.

A study of ``--passages`` passages (default 200,000) is generated from the example study's
transcripts: each passage is two to five of their sentences drawn at random (seed 0), in documents
of 200 passages. The suggester (``--suggester``: similarity by default, or rules, model) is fitted
once here, then its ``suggest`` runs over chunks of ``--chunk`` passages:

- locally: chunk after chunk in this process (what ``thematic code`` does in one process);
- on a LocalCluster of ``--workers`` spawned worker processes (one thread each) through
  ``DaskExecutor``, the path of ``thematic code --scheduler``.

The overhead per task is measured with a suggester that suggests nothing, on the same chunks: the
cluster's wall time per task, times the number of workers (what each task costs a worker beyond
its own work). Storing is left out (the client writes while the cluster computes). On a 2-core
machine the cluster cannot beat the local run (two workers plus the client share two cores): the
figure to watch is the overhead, small next to a chunk's work. The similarity suggester runs at
tens of passages/s per core, so 200,000 passages take hours here; ``--passages 5000`` is a quick
check. Usage::

    python bench/bench_dask.py                        # 200,000 passages, similarity
    python bench/bench_dask.py --passages 5000 --suggester rules
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

import pandas as pd  # noqa: E402

from thematic.codebook import load_codebook  # noqa: E402
from thematic.coding.suggest import get_suggester, resolve_name  # noqa: E402
from thematic.coding.suggest.base import SUGGESTION_COLUMNS, Suggester  # noqa: E402

CODEBOOK = REPO / "codebooks" / "peer-work-desistance.yaml"
PER_DOC = 200


def sentences() -> list[str]:
    """The sentences of the example study's plain-text and WebVTT transcripts (speaker labels dropped)."""
    out: list[str] = []
    for path in sorted((REPO / "data" / "raw").rglob("*")):
        if path.suffix not in {".txt", ".vtt"}:
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = re.sub(r"^[^:]{1,40}:\s*", "", line.strip())
            if "-->" in line or line.startswith("WEBVTT") or not line:
                continue
            out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 4)
    return out


def generate(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` passages in documents of ``PER_DOC``, each two to five example sentences drawn at random."""
    pool = sentences()
    rng = random.Random(seed)
    rows, offsets = [], {}
    for i in range(n):
        doc = f"gen-{i // PER_DOC:05d}"
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        start = offsets.get(doc, 0)
        offsets[doc] = start + len(text) + 1
        rows.append((f"{doc}:{i % PER_DOC}", doc, i % PER_DOC, start, start + len(text), "interview", text))
    return pd.DataFrame(rows, columns=["segment_id", "document_id", "index", "start", "end", "kind", "text"])


class Nothing(Suggester):
    """Suggests nothing: what a task costs besides the suggester's own work."""

    name = "bench.nothing.v1"

    def fit(self, segments: Any = None, codings: Any = None, codebook: Any = None) -> "Nothing":
        """Nothing to learn."""
        self.fitted_ = True
        return self

    def suggest(self, segments: pd.DataFrame) -> pd.DataFrame:
        """No suggestions, in the suggestions schema."""
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in SUGGESTION_COLUMNS.items()})


def fitted(name: str, segs: pd.DataFrame) -> Suggester:
    """The suggester fitted once here: on the codebook (and a background sample), or on synthetic codings."""
    cb = load_codebook(CODEBOOK)
    s = get_suggester(resolve_name(name))
    if not s.needs_codings:
        background = generate(min(2000, len(segs)), seed=1) if s.uses_background else None  # not the scored ones
        return s.fit(background, None, cb)
    rules = get_suggester(resolve_name("rules")).fit(None, None, cb)  # the rules' suggestions as training codings
    train = generate(min(1000, len(segs)), seed=2)  # not the scored ones: fitting must not cache their vectors
    sug = rules.suggest(train)
    cods = sug.assign(coder="bench", status="manual")
    return s.fit(train, cods, cb)


def local(s: Suggester, segs: pd.DataFrame, chunk: int) -> tuple[float, int]:
    """Seconds and suggestions for ``s.suggest`` over the chunks, in this process."""
    t = time.perf_counter()
    n = sum(len(s.suggest(segs.iloc[i:i + chunk])) for i in range(0, len(segs), chunk))
    return time.perf_counter() - t, n


def on_cluster(executor: Any, s: Suggester, segs: pd.DataFrame, chunk: int) -> tuple[float, int]:
    """Seconds and suggestions for ``s`` through the DaskExecutor, results in segment order."""
    t = time.perf_counter()
    n = sum(len(sug) for _, sug in executor.chunks(s, segs, chunk))
    return time.perf_counter() - t, n


def main() -> None:
    """Generate, fit, time here and on the LocalCluster, print."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=200_000, help="passages in the generated study (default 200,000)")
    ap.add_argument("--suggester", default="similarity", help="similarity (default), rules, model or ensemble")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    ap.add_argument("--chunk", type=int, default=2000, help="passages per task (default 2000, as thematic code)")
    ap.add_argument("--skip-local", action="store_true", help="time only the cluster")
    args = ap.parse_args()

    from thematic.coding.execute.dask_executor import connect

    segs = generate(args.passages)
    words = int(segs["text"].str.split().str.len().sum())
    print(f"generated: {len(segs):,} passages, {words:,} words, {segs['document_id'].nunique():,} documents")
    t = time.perf_counter()
    s = fitted(args.suggester, segs)
    print(f"{s.name}: fitted once here in {time.perf_counter() - t:.1f} s; chunks of {args.chunk:,} passages")

    import pickle

    shipped = pickle.loads(pickle.dumps(s))  # as fitted: the local run below fills s's in-memory vector cache
    if not args.skip_local:
        s.suggest(segs.iloc[:50])  # load models before the clock starts, as a warm worker has
        secs, n_local = local(s, segs, args.chunk)
        print(f"local (1 process):      {len(segs) / secs:10,.1f} passages/s  ({secs:.1f} s, {n_local:,} suggestions)")

    t = time.perf_counter()
    executor = connect(f"local:{args.workers}", timeout=60)
    try:
        print(f"LocalCluster of {args.workers} workers started in {time.perf_counter() - t:.1f} s")
        warm = executor.client.run(lambda: None)  # workers up
        assert len(warm) == args.workers
        on_cluster(executor, shipped, segs.iloc[:50 * args.workers], 50)  # models loaded once per worker
        secs, n_cluster = on_cluster(executor, shipped, segs, args.chunk)
        tasks = executor.last_tasks
        print(f"cluster ({args.workers} workers):     {len(segs) / secs:10,.1f} passages/s  ({secs:.1f} s, "
              f"{n_cluster:,} suggestions, {tasks} tasks)")
        if not args.skip_local and n_cluster != n_local:
            print(f"WARNING: {n_cluster} suggestions on the cluster, {n_local} locally")
        nothing = Nothing().fit()
        secs0, _ = on_cluster(executor, nothing, segs, args.chunk)
        per_task = secs0 / max(1, executor.last_tasks) * args.workers
        print(f"overhead per task:      {per_task * 1000:10,.1f} ms  (a task that suggests nothing on "
              f"{args.chunk:,} passages: shipping the chunk, scheduling, returning the frame)")
        if args.passages >= args.chunk:
            work = secs * args.workers / max(1, tasks)
            print(f"work per task:          {work * 1000:10,.1f} ms  (overhead {per_task / work:.1%} of it)")
    finally:
        executor.close()


if __name__ == "__main__":
    main()
