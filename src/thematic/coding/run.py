"""`thematic code`: ingest what changed, run the suggesters on new or changed documents, store suggestions.

Each suggester remembers, in the store's meta table, the fingerprint it last ran with (its name,
parameters, the codebook version and content hash, and for the model a signature of its training
codings) and the content hash of every document it coded. A run then does only what is needed:
every document when the fingerprint changed, else the documents that are new or whose content
changed. Nothing to do is decided from hashes alone (no text is read), so it is fast.

Suggestions are stored as ``suggested`` codings in one batch (undo it with ``store.undo_batch``;
written by ``Store.add_codings_bulk``, the rules of ``add_codings`` with far fewer queries),
coder = the suggester's versioned name, with confidence and provenance (name, parameters, codebook
version, the threshold that let the suggestion through). A suggestion is never stored twice, and
never where a human already applied, accepted or rejected that code on that segment, nor where the
same suggester already suggested it on that segment (even on a span since moved by re-ingest).

On a large study (or when spaCy or scikit-learn is not loaded yet) the rules and the model each run
in a forked runner process (``_runner``; started before the ingest when they will have work, see
``_early``), and this process writes their suggestions as they arrive, a chunk of segments of each
suggester in turn, inside the run's one transaction: matching, predicting and writing overlap. The
rows written, and their order, are the same as in one process (``THEMATIC_WORKERS=1``).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import pandas as pd

from ..codebook import Codebook, load_codebook
from ..errors import Errors, InputError, StudyError
from ..models import Coding
from ._batch import Job
from ._early import early_runners

if TYPE_CHECKING:
    from ..ingest.report import IngestReport
    from ..study import Study
    from ._runner import Runner
    from .suggest.base import Suggester

#: progress(stage, done, total): stage is "ingest" or "suggest:<name>".
Progress = Callable[[str, int, int], None]
HUMAN_STATUSES = ("manual", "accepted", "rejected")
_META = "assisted:"


@dataclass(frozen=True, slots=True)
class SuggesterRun:
    """What one suggester did in a run: ``status`` is ran, up to date, or skipped (with ``reason``)."""

    name: str
    status: str
    reason: str | None = None
    documents: int = 0
    segments: int = 0
    words: int = 0
    added: int = 0
    already: int = 0
    fit_seconds: float = 0.0
    seconds: float = 0.0
    skipped_codes: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeRunReport:
    """The result of ``code()``: the ingest report, one row per suggester, the batch holding the suggestions."""

    runs: tuple[SuggesterRun, ...]
    codebook_version: str
    batch_id: str | None = None
    ingest: "IngestReport | None" = None
    seconds: float = 0.0

    @property
    def added(self) -> int:
        """Suggestions stored by this run."""
        return sum(r.added for r in self.runs)

    @property
    def nothing_changed(self) -> bool:
        """True when no document changed and no suggester had anything to do."""
        changed = bool(self.ingest.changed_documents) if self.ingest is not None else False
        return not changed and not any(r.status == "ran" for r in self.runs)

    def table(self) -> pd.DataFrame:
        """One row per suggester (for display and notebooks)."""
        return pd.DataFrame([{
            "suggester": r.name, "status": r.status, "documents": r.documents, "segments": r.segments,
            "suggested": r.added, "already decided or stored": r.already, "seconds": round(r.seconds, 2),
            "note": r.reason or "",
        } for r in self.runs])


@dataclass
class _Plan:
    suggester: "Suggester"
    fingerprint: str
    documents: list[str]
    state: dict[str, Any]
    skip: str | None = None
    trial: tuple[int | None, int | None] | None = None  # (limit, sample): a try-out on a few passages


def study_codebook(study: "Study") -> Codebook:
    """The study's default codebook (E373 if there is none)."""
    path = study.codebook_path
    if path is None or not path.is_file():
        raise StudyError(study.codebook_problem(Errors.E373.format(path=study.root)))
    return load_codebook(path)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def training_codings(study: "Study", coder: str | None) -> pd.DataFrame:
    """Human decisions (manual, accepted, rejected) a supervised suggester learns from, optionally one coder's."""
    cods = study.store.codings(status=list(HUMAN_STATUSES))
    if coder is not None:
        mine = (cods["coder"] == coder) | (cods["reviewer"] == coder)
        cods = cods[mine.fillna(False).to_numpy(dtype=bool)]
    return cods


def _training_signature(cods: pd.DataFrame, hashes: dict[str, tuple[str, str]]) -> str:
    keys = sorted(zip(cods["document_id"].astype(str), cods["start"].astype(int), cods["end"].astype(int),
                      cods["code_id"].astype(str), cods["status"].astype(str)))
    docs = sorted({k[0] for k in keys})
    return _digest([keys, [hashes.get(d, ("", ""))[1] for d in docs]])


def _make(name: str, study: "Study") -> "Suggester":
    from .suggest import get_suggester
    from .suggest.base import SHORT_NAMES

    s = get_suggester(name)
    short = next((k for k, v in SHORT_NAMES.items() if v == name), name)
    runtime = {**study.config.suggester_options.get(short, {}),
               "model_dir": str(study.paths.coded / "models"), "cache_dir": str(study.paths.coded / "cache")}
    return s.set_params(**{k: v for k, v in runtime.items() if k in s.get_params()})


def _try_out(segs: pd.DataFrame, words: int, plan: _Plan) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` or a seeded random ``sample`` of ``segs`` when the run is a try-out."""
    if plan.trial is None:
        return segs, words
    limit, sample = plan.trial
    if sample is not None and sample < len(segs):
        segs = segs.sample(n=sample, random_state=0).sort_index()
    if limit is not None:
        segs = segs.iloc[:limit]
    return segs.reset_index(drop=True), sum(len(t.split()) for t in segs["text"].tolist())


def _codebook_file(study: "Study") -> tuple[Path, str]:
    """The study's codebook file and a hash of its bytes (E373 if there is none)."""
    path = study.codebook_path
    if path is None or not path.is_file():
        raise StudyError(study.codebook_problem(Errors.E373.format(path=study.root)))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def _plan(study: "Study", name: str, cb_hash: str, hashes: dict[str, tuple[str, str]], changed: set[str],
          training: pd.DataFrame | None) -> _Plan:
    s = _make(name, study)
    signature = _training_signature(training, hashes) if s.needs_codings and training is not None else None
    fp = _digest([s.fingerprint(), cb_hash, signature])
    state = json.loads(study.store.get_meta(_META + s.name) or "{}")
    if state.get("fingerprint") != fp:
        return _Plan(s, fp, sorted(hashes), {})
    if state.get("skipped"):
        return _Plan(s, fp, [], state, skip=state["skipped"])
    done = state.get("documents", {})
    todo = sorted(d for d, (_, h) in hashes.items() if done.get(d) != h or d in changed)
    return _Plan(s, fp, todo, state)


def _fit_args(s: "Suggester", study: "Study", cb: Codebook, training: pd.DataFrame | None) -> tuple[Any, ...]:
    """The arguments of ``s.fit`` in a run: the training codings and their documents' segments, the codebook."""
    if not s.needs_codings:
        background = study.store.segments(include_interviewer=False) if s.uses_background else None
        return (background, None, cb)
    docs = sorted(set(training["document_id"].astype(str))) if training is not None else []
    return (study.store.segments(document=docs, include_interviewer=False), training, cb)


def _fit(plan: _Plan, study: "Study", cb: Codebook, training: pd.DataFrame | None) -> str | None:
    """Fit the plan's suggester; the reason it must be skipped, or None."""
    from ..errors import OptionalDependencyError, ServiceUnavailableError

    s = plan.suggester
    try:
        s.fit(*_fit_args(s, study, cb, training))
    except ServiceUnavailableError as exc:
        return _Transient(exc)
    except (InputError, OptionalDependencyError) as exc:
        return str(exc)
    return None


#: With the default [code] suggesters, this many human-coded segments make the ensemble the default.
ENSEMBLE_MIN_SEGMENTS = 60


def default_suggesters(study: "Study", coder: str | None = None) -> tuple[str, ...]:
    """thematic.toml's [code] suggesters; left at the default (rules, model), the ensemble once enough is coded."""
    configured = tuple(study.config.suggesters)
    if set(configured) != {"rules", "model"}:
        return configured
    cods = training_codings(study, coder)
    coded = cods[cods["status"].isin(["manual", "accepted"]).fillna(False).to_numpy(dtype=bool)]
    return ("ensemble",) if coded["segment_id"].nunique() >= ENSEMBLE_MIN_SEGMENTS else configured


class _Transient(str):
    """A skip reason that may not hold next time (a server not started yet): not remembered by the run."""


def code(study: "Study", *, suggesters: Sequence[str] | None = None, coder: str | None = None,
         progress: Progress | None = None, ingest: bool = True, limit: int | None = None,
         sample: int | None = None, scheduler: str | None = None) -> CodeRunReport:
    """Ingest what changed, then run the suggesters on new or changed documents and store their suggestions.

    Args:
        study: the study.
        suggesters: short ("rules") or versioned names; default thematic.toml's [code] suggesters, or the
            ensemble once the study has ``ENSEMBLE_MIN_SEGMENTS`` human-coded segments and those are the default.
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
    from .suggest import resolve_name

    t0 = time.perf_counter()
    names = list(dict.fromkeys(resolve_name(n) for n in (suggesters or default_suggesters(study, coder))))
    executor = _connect(scheduler or study.config.scheduler)  # before anything is written (E700)
    early = early_runners(study, names, coder, ingest) if executor is None else {}
    jobs: list[Job] = []
    try:
        ing = _ingest(study, progress) if ingest else None
        cb_path, cb_hash = _codebook_file(study)
        hashes = study.store.document_hashes()
        changed = set(ing.changed_documents) if ing is not None else set()
        training = training_codings(study, coder)
        plans = [_plan(study, n, cb_hash, hashes, changed, training) for n in names]
        if limit is not None or sample is not None:
            for p in plans:
                p.trial = (limit, sample)
        if not any(p.documents for p in plans):  # nothing to do: decided from hashes, the YAML is not even parsed
            version = next((p.state.get("codebook_version") for p in plans if p.state.get("codebook_version")), None)
            runs = [_execute(p, study, None, training, {}, progress)[0] for p in plans]
            return CodeRunReport(tuple(runs), version or load_codebook(cb_path).version, None, ing,
                                 time.perf_counter() - t0)
        cb = load_codebook(cb_path)
        cache: dict[tuple[Any, ...], Any] = {}
        if executor is not None:
            from .cluster_run import run_on_cluster

            batch_id, runs = run_on_cluster(study, executor, plans, cb, training, hashes, names, coder, cache, progress)
            return CodeRunReport(tuple(runs), cb.version, batch_id, ing, time.perf_counter() - t0)
        for plan in plans:
            jobs.append(_start(plan, study, cb, training, cache, early.pop(plan.suggester.name, None), progress))
        batch_id, runs = _store(study, coder, names, jobs, hashes, cb.version, progress)
    finally:
        for runner in [*early.values(), *(j.runner for j in jobs if j.runner is not None)]:
            runner.close()
        if executor is not None:
            executor.close()
    return CodeRunReport(tuple(runs), cb.version, batch_id, ing, time.perf_counter() - t0)


def _connect(scheduler: str | None) -> Any:
    """A DaskExecutor on ``scheduler`` (E700 when unreachable), or None to run on this machine."""
    if not scheduler:
        return None
    from .dask_executor import connect

    return connect(scheduler, timeout=float(os.environ.get("THEMATIC_DASK_TIMEOUT") or 10))


def _start(plan: _Plan, study: "Study", cb: Codebook, training: pd.DataFrame | None,
           cache: dict[tuple[Any, ...], Any], runner: "Runner | None",
           progress: Progress | None) -> Job:
    """Start the plan's suggester: in a runner process (its stream is written by ``_store``) or computed here."""
    from ._batch import RUNNER_CHUNK, decided, load_segments, runner_used, wants_runner
    from ._runner import RunnerFailed, start_runner

    s = plan.suggester
    if plan.skip is None and plan.documents:
        t = time.perf_counter()
        segs, words = _try_out(*load_segments(study, plan.documents, study.config.ingest.code_interviewer, cache),
                               plan)
        if runner is None and wants_runner(s, len(segs)):
            runner = start_runner(s)
        if runner is not None:
            runner_used(s, len(segs))
            try:
                runner.start(_fit_args(s, study, cb, training), segs, RUNNER_CHUNK,
                             spool=study.paths.coded / "cache")
                run = SuggesterRun(s.name, "ran", None, len(plan.documents), len(segs), words)
                return Job(run, plan=plan, suggester=s, runner=runner, segs=segs, cb=cb, started=t,
                           already=decided(study, segs, plan.documents, s.name, cache),
                           refit=lambda: _fit(plan, study, cb, training))
            except BaseException as exc:
                runner.close()
                if not isinstance(exc, RunnerFailed):
                    raise
    elif runner is not None:
        runner.close()
    run, new = _execute(plan, study, cb, training, cache, progress)
    segs = (_try_out(*load_segments(study, plan.documents, study.config.ingest.code_interviewer, cache), plan)[0]
            if new else None)
    return Job(run, plan=plan, codings=new, suggester=s, segs=segs)


def _ingest(study: "Study", progress: Progress | None) -> "IngestReport":
    from ..ingest.discover import discover_inputs
    from ..ingest.run import ingest

    total = len(list(discover_inputs(study.paths.raw))) if progress is not None else 0
    done = [0]

    def tick(_path: str) -> None:
        done[0] += 1
        if progress is not None:
            progress("ingest", done[0], total)

    return ingest(study, progress=tick)


def _execute(plan: _Plan, study: "Study", cb: Codebook | None, training: pd.DataFrame | None,
             cache: dict[tuple[Any, ...], Any], progress: Progress | None
             ) -> tuple[SuggesterRun, list[Coding]]:
    from ._batch import decided, load_segments, run_suggester

    s = plan.suggester
    if plan.skip is not None:
        return SuggesterRun(s.name, "skipped", plan.skip), []
    if not plan.documents or cb is None:
        return SuggesterRun(s.name, "up to date", "no new or changed documents"), []
    t = time.perf_counter()
    reason = _fit(plan, study, cb, training)
    fit_s = time.perf_counter() - t
    if reason is not None:
        return SuggesterRun(s.name, "skipped", reason, fit_seconds=fit_s), []
    segs, words = _try_out(*load_segments(study, plan.documents, study.config.ingest.code_interviewer, cache), plan)
    stage = f"suggest:{s.name}"
    tick = (lambda done, total: progress(stage, done, total)) if progress is not None else None
    new, dropped = run_suggester(s, segs, cb, decided(study, segs, plan.documents, s.name, cache), tick)
    return SuggesterRun(s.name, "ran", None, len(plan.documents), len(segs), words, len(new), dropped, fit_s,
                        time.perf_counter() - t, dict(getattr(s, "skipped_codes_", {})), tuple(s.run_notes())), new


def _new_state(plan: _Plan, run: SuggesterRun, hashes: dict[str, tuple[str, str]], version: str) -> dict[str, Any]:
    if run.status == "skipped":
        return {"fingerprint": plan.fingerprint, "skipped": run.reason, "codebook_version": version}
    docs = dict(plan.state.get("documents", {}))
    docs.update({d: hashes[d][1] for d in plan.documents if d in hashes})
    return {"fingerprint": plan.fingerprint, "documents": {d: h for d, h in docs.items() if d in hashes},
            "codebook_version": version}


def _store(study: "Study", coder: str | None, names: list[str], jobs: list[Job], hashes: dict[str, tuple[str, str]],
           version: str, progress: Progress | None) -> tuple[str | None, list[SuggesterRun]]:
    """Write every job's suggestions as one batch, and the suggesters' new states, in one transaction.

    The suggesters' pieces (each the suggestions for ``RUNNER_CHUNK`` segments) are written in turn:
    the first piece of each suggester in the order asked, then the second, and so on.
    """
    store = study.store
    actor = coder or "thematic"
    batch: list[str] = []

    def write(codings: list[Coding]) -> tuple[int, int]:
        if not batch:
            batch.append(store.new_batch("suggest:" + ",".join(names), actor=actor,
                                         params={"suggesters": names, "coder": coder}))
        return store.add_codings_bulk(codings, batch_id=batch[0], actor=actor)

    pieces = []
    for job in jobs:
        stage = f"suggest:{job.run.name}"
        tick = (lambda done, total, stage=stage: progress(stage, done, total)) if progress is not None else None
        pieces.append((job, job.pieces(tick)))
    runs = []
    with store.transaction():
        while pieces:  # a piece of each suggester in turn: writing one overlaps the runners computing the next
            for item in list(pieces):
                job, gen = item
                piece = next(gen, None)
                if piece is None:
                    pieces.remove(item)
                elif piece:
                    added, skipped = write(piece)
                    job.added, job.skipped = job.added + added, job.skipped + skipped
        for job in jobs:
            run = job.result()
            runs.append(run)
            if (run.status in {"ran", "skipped"} and job.plan.skip is None and job.plan.trial is None
                    and not isinstance(run.reason, _Transient)):
                state = _new_state(job.plan, run, hashes, version)
                store.set_meta(_META + run.name, json.dumps(state, sort_keys=True))
    return (batch[0] if batch else None), runs


def suggest_frame(study: "Study", segments: pd.DataFrame | None = None, *, suggester: str = "rules",
                  coder: str | None = None, **params: Any) -> pd.DataFrame:
    """One suggester's proposals for ``segments`` (default: all participant segments), without storing them.

    Raises InputError (E376) when the model has too little training data, E372 without the embeddings extra.
    """
    from .suggest import resolve_name

    cb = study_codebook(study)
    s = _make(resolve_name(suggester), study).set_params(**params)
    training = training_codings(study, coder) if s.needs_codings else None
    if s.needs_codings:
        docs = sorted(set(training["document_id"].astype(str)))
        s.fit(study.store.segments(document=docs, include_interviewer=False), training, cb)
    else:
        s.fit(study.store.segments(include_interviewer=False) if s.uses_background else None, None, cb)
    if segments is None:
        segments = study.store.segments(include_interviewer=study.config.ingest.code_interviewer)
    return s.suggest(segments)

