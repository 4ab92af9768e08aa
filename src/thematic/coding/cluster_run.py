"""`thematic code --scheduler`: suggest on a Dask cluster, store each document's suggestions as they arrive.

This process fits every suggester once, then streams chunks of segments through an executor
(``dask_executor.DaskExecutor``; a suggester that paces its own work, the llm, runs here) and stays
the only writer to the store. Whenever the results received (in segment order) complete one or
more documents, their suggestions are written and the suggester's state (``assisted:<name>`` in the
meta table: its fingerprint and the content hash of every document it coded) records those
documents, in one transaction. An interrupted run (Ctrl-C, a worker's fault: E702/E703) so keeps
everything it committed, and the next run plans only the documents not recorded, so it sends only
what is missing. A run stopped by the language-model server (E650/E652/E654, as ``ServiceError``)
stores nothing, as a local run: its batch is undone and the suggesters' records put back (the
answers received are cached, so the next run sends only what is missing all the same). All
suggestions of a run go into one batch (created by its first write). The rows stored are those of
a local run. A document another command re-ingested after its segments were read gets none of its
suggestions and is not recorded (W390 in the run's notes), as in a local run (``write``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator

import pandas as pd

from ..codebook import Codebook
from ..errors import ServiceError
from ..models import Coding

from ..context import StudyContext
from .execute import dask_executor
from .execute.base import InProcessExecutor
from .execute.executors import to_codings
from .execute.jobs import decided, fit, load_segments
from .plan import META_PREFIX, SuggesterPlan, changed_since_plan, new_state, try_out
from .report import Progress, SuggesterRun, TransientSkip, scored_documents

if TYPE_CHECKING:
    from .suggest.base import Suggester

#: Segments per task on the cluster (``THEMATIC_DASK_CHUNK`` overrides; a suggester's own
#: ``chunk_size`` applies when it is smaller): large enough that scheduling costs little per passage.
DASK_CHUNK = dask_executor.DASK_CHUNK


def dask_chunk(s: "Suggester") -> int:
    """Segments per task for ``s``: ``THEMATIC_DASK_CHUNK`` (E416 when it is not a whole number from 1 to
    ``dask_executor.MAX_CHUNK``), else the smaller of ``DASK_CHUNK`` and its own."""
    env = dask_executor.chunk_setting()
    if env is not None:
        return env
    own = getattr(s, "chunk_size", None)
    return int(min(own, DASK_CHUNK)) if own else DASK_CHUNK


@dataclass
class _Stream:
    """One fitted suggester's results on its way to the store."""

    plan: SuggesterPlan
    run: SuggesterRun
    segs: pd.DataFrame
    results: Iterator[tuple[int, pd.DataFrame]]
    already: dict[str, set[str]]
    text_of: dict[str, str]
    #: (rows before which a document is complete, document id), in segment order.
    ends: list[tuple[int, str]]
    started: float
    pending: list[Coding] = field(default_factory=list)
    done_docs: list[str] = field(default_factory=list)
    added: int = 0
    known: int = 0


def run_on_cluster(study: StudyContext, executor: Any, plans: list[SuggesterPlan], cb: Codebook,
                   training: pd.DataFrame | None, hashes: dict[str, tuple[str, str]], names: list[str],
                   coder: str | None, cache: dict[tuple[Any, ...], Any], progress: Progress | None
                   ) -> tuple[str | None, list[SuggesterRun], tuple[str, ...]]:
    """Fit the plans' suggesters here, suggest through ``executor``, and commit per group of completed documents.

    Returns the batch id (None when nothing was stored), one SuggesterRun per plan and the documents left out
    because they changed since their segments were read. A ``ServiceError``
    (the language-model server failed) is raised after undoing everything the run stored (see ``_undo``).
    """
    store = study.store
    actor = coder or "thematic"
    batch: list[str] = []
    before = {p.suggester.name: store.get_meta(META_PREFIX + p.suggester.name) for p in plans}
    try:
        return _run(study, executor, plans, cb, training, hashes, names, coder, cache, progress, batch)
    except ServiceError:
        _undo(study, batch, before, actor)
        raise


def _undo(study: StudyContext, batch: list[str], before: dict[str, str | None], actor: str) -> None:
    """Take back what a run stopped by the language-model server stored: undo its batch (a suggestion a person
    decided on meanwhile stays, as ``thematic undo`` keeps it) and put back each suggester's record of the
    documents it has done, so the run stores nothing, as a local run."""
    store = study.store
    with store.transaction():
        if batch:
            store.revert_batch(batch[0], actor=actor)
        for name, value in before.items():
            if value is None:
                store.delete_meta(META_PREFIX + name)
            else:
                store.set_meta(META_PREFIX + name, value)


def _run(study: StudyContext, executor: Any, plans: list[SuggesterPlan], cb: Codebook,
         training: pd.DataFrame | None, hashes: dict[str, tuple[str, str]], names: list[str],
         coder: str | None, cache: dict[tuple[Any, ...], Any], progress: Progress | None, batch: list[str]
         ) -> tuple[str | None, list[SuggesterRun], tuple[str, ...]]:
    """``run_on_cluster``'s work; ``batch`` gets the run's batch id when it first stores something."""
    store = study.store
    actor = coder or "thematic"
    runs: dict[str, SuggesterRun] = {}
    streams: list[_Stream] = []
    local = InProcessExecutor()
    changed: set[str] = set()

    def remember(plan: SuggesterPlan, run: SuggesterRun, docs: list[str]) -> None:
        if plan.skip is not None or plan.trial is not None or isinstance(run.reason, TransientSkip):
            return
        state = new_state(replace(plan, documents=docs), run.status, run.reason, hashes, cb.version, changed)
        plan.state = state
        store.set_meta(META_PREFIX + run.name, json.dumps(state, sort_keys=True))

    for plan in plans:  # fit every suggester first, so all their tasks can be queued on the cluster
        s = plan.suggester
        if plan.skip is not None:
            runs[s.name] = SuggesterRun(s.name, "skipped", plan.skip)
            continue
        if not plan.documents:
            runs[s.name] = SuggesterRun(s.name, "up to date", "no new or changed documents")
            continue
        t = time.perf_counter()
        reason = fit(plan, study, cb, training)
        fit_s = time.perf_counter() - t
        if reason is not None:
            runs[s.name] = run = SuggesterRun(s.name, "skipped", reason, fit_seconds=fit_s)
            with store.transaction():
                remember(plan, run, [])
            continue
        segs, words = try_out(*load_segments(study, plan.documents, study.config.ingest.code_interviewer, cache),
                               plan)
        last = {d: i + 1 for i, d in enumerate(segs["document_id"].astype(str).tolist())}
        ends = sorted((last.get(d, 0), d) for d in plan.documents)
        ex = executor if s.parallel_chunks else local
        streams.append(_Stream(
            plan, SuggesterRun(s.name, "ran", None, scored_documents(segs), len(segs), words, fit_seconds=fit_s),
            segs, ex.chunks(s, segs, dask_chunk(s)), decided(study, segs, plan.documents, s.name, cache),
            dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str))), ends, t))

    def commit(st: _Stream, done: int) -> None:
        """Write the suggestions of the documents complete after ``done`` rows, and record those documents."""
        complete = [d for end, d in st.ends if end <= done]
        if not complete and done < len(st.segs):
            return
        finished = set(complete)
        with store.transaction():
            changed.update(changed_since_plan(study, [st.plan], hashes, complete))
            ready = [c for c in st.pending if c.document_id in finished and c.document_id not in changed]
            if ready:
                if not batch:
                    batch.append(store.new_batch("suggest:" + ",".join(names), actor=actor,
                                                 params={"suggesters": names, "coder": coder}))
                added, skipped = store.add_codings_bulk(ready, batch_id=batch[0], actor=actor)
                st.added, st.known = st.added + added, st.known + skipped
            remember(st.plan, st.run, [*st.done_docs, *complete])
        st.ends = [(end, d) for end, d in st.ends if end > done]
        st.done_docs.extend(complete)
        st.pending = [c for c in st.pending if c.document_id not in finished]

    try:
        active = list(streams)
        for st in active:
            if not len(st.segs):
                commit(st, 0)
        active = [st for st in active if len(st.segs)]
        while active:  # a chunk of each suggester in turn, as in a local run
            for st in list(active):
                item = next(st.results, None)
                if item is None:
                    active.remove(st)
                    commit(st, len(st.segs))
                    continue
                done, sug = item
                new, dropped = to_codings(st.plan.suggester, sug, st.text_of, cb, st.already)
                st.pending.extend(new)
                st.known += dropped
                commit(st, done)
                if progress is not None:
                    progress(f"suggest:{st.run.name}", done, len(st.segs))
    finally:
        for st in streams:
            close = getattr(st.results, "close", None)
            if close is not None:
                close()
    for st in streams:
        s = st.plan.suggester
        runs[s.name] = replace(st.run, added=st.added, already=st.known, seconds=time.perf_counter() - st.started,
                               skipped_codes=dict(getattr(s, "skipped_codes_", {})), notes=tuple(s.run_notes()))
    return (batch[0] if batch else None), [runs[p.suggester.name] for p in plans], tuple(sorted(changed))
