"""`thematic code`: ingest what changed, then plan -> execute -> store, one stage per module.

1. ``plan``: which suggesters run on which documents (new or changed ones, or all on a new
   fingerprint), decided from hashes and the store's meta table alone.
2. ``execute``: fit each suggester and compute its suggestions, in-process, in a local process pool
   or in a forked runner process (``execute.jobs``; runners may start before the ingest).
3. ``write``: the suggestions as one batch and each suggester's new state, in one transaction,
   a chunk of segments of each suggester in turn, so matching, predicting and writing overlap.

Calls go one way (run -> plan, execute, write; write -> execute -> plan). The rows written, and
their order, are the same whatever runs where (``THEMATIC_WORKERS=1`` keeps one process).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Sequence

import pandas as pd

from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of
from ..errors import Warnings
from .execute.dask_executor import connect_scheduler
from .execute.jobs import Job, early_runners, fit_args, run_here, start_job
from .plan import (ENSEMBLE_MIN_SEGMENTS, HUMAN_STATUSES, default_suggesters, make_suggester, migrate_pending,
                   plan_run, study_codebook, training_codings)
from .report import CodeRunReport, Progress, SuggesterRun
from .write import write_jobs

if TYPE_CHECKING:
    from ..ingest.report import IngestReport

__all__ = ["ENSEMBLE_MIN_SEGMENTS", "HUMAN_STATUSES", "CodeRunReport", "Progress", "SuggesterRun", "code",
           "default_suggesters", "study_codebook", "suggest_frame", "training_codings"]


def code(study: StudyContext | HasContext, *, suggesters: str | Sequence[str] | None = None, coder: str | None = None,
         progress: Progress | None = None, ingest: bool = True, limit: int | None = None,
         sample: int | None = None, scheduler: str | None = None) -> CodeRunReport:
    """Ingest what changed, then run the suggesters on new or changed documents and store their suggestions.

    Codings made under an older released codebook version are first migrated to the current one
    (``plan.migrate_pending``, as `thematic codebook migrate`), W386 in the report's ``notes``. A document
    another command re-ingests while the suggestions are computed gets none of them and is left to the next
    run (W390 in ``notes``).

    Args:
        study: the study.
        suggesters: short ("rules") or versioned names; default thematic.toml's [code] suggesters (the
            ensemble, also where they are the older default ["rules", "model"]).
        coder: train the model on this person's manual codings and reviews only (default: everyone's);
            the batch is recorded under this name.
        progress: called as ``progress(stage, done, total)``.
        ingest: run ``thematic.ingest.run.ingest`` first (False when the caller just did).
        limit, sample: try the suggesters on the first ``limit`` passages, or on ``sample`` passages drawn
            at random (seed 0), of those to do; a try-out is not remembered, so the next run does them all.
        scheduler: suggest on a Dask cluster (``tcp://HOST:8786``, or ``"local"``; default thematic.toml's
            [code] scheduler), storing each document's suggestions as they arrive (see ``cluster_run``).

    Returns:
        A CodeRunReport; ``nothing_changed`` is True when there was nothing to do.

    Example:
        >>> report = code(Study.open(), suggesters=["rules", "model"])
        >>> report.table()
    """
    from .suggest import resolve_name, split_names

    t0 = time.perf_counter()
    study = context_of(study)
    asked = split_names(suggesters)  # a string is comma-separated names, as on the command line
    names = list(dict.fromkeys(resolve_name(n) for n in (asked or default_suggesters(study, coder))))
    executor = None
    early: dict[str, Any] = {}
    jobs: list[Job] = []
    try:  # a Ctrl-C from here on still closes the cluster and the early runners
        executor = connect_scheduler(scheduler or study.config.code.scheduler)  # before anything is written (E700)
        early = early_runners(study, names, coder, ingest) if executor is None else {}
        ing = _ingest(study, progress) if ingest else None
        changed = set(ing.changed_documents) if ing is not None else set()
        migrated = migrate_pending(study, coder or "thematic")  # W386: codings under an older version first
        plans, cb_path, hashes, training = plan_run(study, names, coder, changed, limit, sample)
        if not any(p.documents for p in plans):  # nothing to do: decided from hashes, the YAML is not even parsed
            version = next((p.state.get("codebook_version") for p in plans if p.state.get("codebook_version")), None)
            runs = [run_here(p, study, None, training, {}, progress)[0] for p in plans]
            return CodeRunReport(tuple(runs), version or load_codebook(cb_path).version, None, ing,
                                 time.perf_counter() - t0, _notes(migrated))
        cb = load_codebook(cb_path)
        cache: dict[tuple[Any, ...], Any] = {}
        if executor is not None:
            from .cluster_run import run_on_cluster

            batch_id, runs, changed = run_on_cluster(study, executor, plans, cb, training, hashes, names, coder,
                                                     cache, progress)
            return CodeRunReport(tuple(runs), cb.version, batch_id, ing, time.perf_counter() - t0,
                                 _notes(migrated, changed))
        for plan in plans:
            jobs.append(start_job(plan, study, cb, training, cache, early.pop(plan.suggester.name, None), progress))
        batch_id, runs, changed = write_jobs(study, coder, names, jobs, hashes, cb.version, progress)
    finally:
        for runner in [*early.values(), *(j.runner for j in jobs if j.runner is not None)]:
            runner.close()
        if executor is not None:
            executor.close()
    return CodeRunReport(tuple(runs), cb.version, batch_id, ing, time.perf_counter() - t0, _notes(migrated, changed))


def _notes(migrated: str | None, changed: Sequence[str] = ()) -> tuple[str, ...]:
    """Warnings about the whole run: W386 when codings were migrated to the current codebook first, W390 when
    documents were re-ingested by another command while this run suggested (none of theirs stored)."""
    notes = () if migrated is None else (migrated,)
    if changed:
        notes += (Warnings.W390.format(n=len(changed), documents=", ".join(changed)),)
    return notes


def _ingest(study: StudyContext, progress: Progress | None) -> "IngestReport":
    from ..ingest.discover import discover_inputs
    from ..ingest.run import ingest

    total = len(list(discover_inputs(study.paths.raw, study.root))) if progress is not None else 0
    done = [0]

    def tick(_path: str) -> None:
        done[0] += 1
        if progress is not None:
            progress("ingest", done[0], total)

    return ingest(study, progress=tick)


def suggest_frame(study: StudyContext | HasContext, segments: pd.DataFrame | None = None, *,
                  suggester: str = "rules", coder: str | None = None, **params: Any) -> pd.DataFrame:
    """One suggester's proposals for ``segments`` (default: all participant segments), without storing them.

    Raises InputError (E376) when the model has too little training data, E372 without the embeddings extra.
    """
    from .suggest import resolve_name

    study = context_of(study)
    cb: Codebook = study_codebook(study)
    s = make_suggester(resolve_name(suggester), study).set_params(**params)
    training = training_codings(study, coder) if s.needs_codings else None
    s.fit(*fit_args(s, study, cb, training))  # as a run fits it
    if segments is None:
        segments = study.store.segments(include_interviewer=study.config.ingest.code_interviewer)
    return s.suggest(segments)
