"""One suggester's share of a run: fitted and computed here, or streamed from a runner process.

``start_job`` turns a plan into a ``Job``: a forkable suggester with a large job (or whose heavy
imports are not loaded yet) runs in a ``runner.Runner`` that streams each chunk's suggestions back
while the store stage writes them; anything else is fitted and run here through ``executor_for``.
``early_runners`` starts runners before the ingest, so spaCy or scikit-learn loads meanwhile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import pandas as pd

from ...codebook import Codebook
from ...context import StudyContext
from ...errors import Errors, InputError, OptionalDependencyError, ServiceUnavailableError, StudyError
from ...models import Coding
from ..plan import HUMAN_STATUSES, SuggesterPlan, early_plans, try_out
from ..report import Progress, SuggesterRun, TransientSkip, scored_documents
from . import executors as _executors
from . import runner as _runner

if TYPE_CHECKING:
    from ..suggest.base import Suggester
    from .runner import Runner

Cache = dict[tuple[Any, ...], Any]


def load_segments(study: StudyContext, docs: Sequence[str], include_interviewer: bool,
                  cache: Cache) -> tuple[pd.DataFrame, int]:
    """The documents' segments with text (empty ones dropped) and their word count, read once per run."""
    key = (tuple(docs), include_interviewer)
    if key not in cache:
        segs = study.store.segments(document=list(docs), include_interviewer=include_interviewer)
        segs = segs[segs["text"].fillna("").str.strip() != ""].reset_index(drop=True)
        words = sum(len(t.split()) for t in segs["text"].tolist())
        cache[key] = (segs, words)
    return cache[key]  # type: ignore[no-any-return]


def decided(study: StudyContext, segs: pd.DataFrame, docs: Sequence[str], name: str,
            cache: Cache | None = None) -> dict[str, set[str]]:
    """Codes already on each segment: decided by a human, or suggested before by this suggester.

    ``cache`` keeps the documents' codings for the next suggester of the same run.
    """
    from ..suggest._labels import segment_codes

    if not docs:
        return {}
    key = ("codings", tuple(docs))
    cache = {} if cache is None else cache
    if key not in cache:
        cache[key] = study.store.codings(document=list(docs))
    existing = cache[key]
    mine = (existing["status"].isin(HUMAN_STATUSES) | (existing["coder"] == name)).fillna(False)
    return segment_codes(segs, existing[mine.to_numpy(dtype=bool)], statuses=(*HUMAN_STATUSES, "suggested"))


def fit_args(s: "Suggester", study: StudyContext, cb: Codebook, training: pd.DataFrame | None) -> tuple[Any, ...]:
    """The arguments of ``s.fit`` in a run: the training codings and their documents' segments, the codebook.

    A suggester that ``uses_background`` gets every participant segment (the ensemble learns from the coded
    ones and fits its similarity part on all of them, as the similarity suggester is fitted)."""
    if not s.needs_codings:
        background = study.store.segments(include_interviewer=False) if s.uses_background else None
        return (background, None, cb)
    if s.uses_background:
        return (study.store.segments(include_interviewer=False), training, cb)
    docs = sorted(set(training["document_id"].astype(str))) if training is not None else []
    return (study.store.segments(document=docs, include_interviewer=False), training, cb)


def fit(plan: SuggesterPlan, study: StudyContext, cb: Codebook, training: pd.DataFrame | None) -> str | None:
    """Fit the plan's suggester; the reason it must be skipped, or None."""
    s = plan.suggester
    try:
        s.fit(*fit_args(s, study, cb, training))
    except ServiceUnavailableError as exc:
        return TransientSkip(exc)
    except (InputError, OptionalDependencyError) as exc:
        return str(exc)
    return None


def _segments(plan: SuggesterPlan, study: StudyContext, cache: Cache) -> tuple[pd.DataFrame, int]:
    return try_out(*load_segments(study, plan.documents, study.config.ingest.code_interviewer, cache), plan)


def run_here(plan: SuggesterPlan, study: StudyContext, cb: Codebook | None, training: pd.DataFrame | None,
             cache: Cache, progress: Progress | None) -> tuple[SuggesterRun, list[Coding]]:
    """Fit and run the plan's suggester in this process (chunks through ``executor_for``)."""
    s = plan.suggester
    if plan.skip is not None:
        return SuggesterRun(s.name, "skipped", plan.skip), []
    if not plan.documents or cb is None:
        return SuggesterRun(s.name, "up to date", "no new or changed documents"), []
    t = time.perf_counter()
    reason = fit(plan, study, cb, training)
    fit_s = time.perf_counter() - t
    if reason is not None:
        return SuggesterRun(s.name, "skipped", reason, fit_seconds=fit_s), []
    segs, words = _segments(plan, study, cache)
    stage = f"suggest:{s.name}"
    tick = (lambda done, total: progress(stage, done, total)) if progress is not None else None
    new, dropped = _executors.run_suggester(s, segs, cb, decided(study, segs, plan.documents, s.name, cache), tick,
                                            settings=study.config.code)
    return SuggesterRun(s.name, "ran", None, scored_documents(segs), len(segs), words, len(new), dropped, fit_s,
                        time.perf_counter() - t, dict(getattr(s, "skipped_codes_", {})), tuple(s.run_notes())), new


def start_job(plan: SuggesterPlan, study: StudyContext, cb: Codebook, training: pd.DataFrame | None,
              cache: Cache, runner: "Runner | None", progress: Progress | None) -> "Job":
    """Start the plan's suggester: in a runner process (its stream is written by the store stage) or here."""
    s = plan.suggester
    if plan.skip is None and plan.documents:
        t = time.perf_counter()
        segs, words = _segments(plan, study, cache)
        if runner is None and _executors.wants_runner(s, len(segs)):
            runner = _runner.start_runner(s)
        if runner is not None:
            _executors.runner_used(s, len(segs))
            try:
                runner.start(fit_args(s, study, cb, training), segs, _executors.RUNNER_CHUNK,
                             spool=study.paths.coded / "cache")
                run = SuggesterRun(s.name, "ran", None, scored_documents(segs), len(segs), words)
                return Job(run, plan=plan, suggester=s, runner=runner, segs=segs, cb=cb, started=t,
                           already=decided(study, segs, plan.documents, s.name, cache),
                           refit=lambda: fit(plan, study, cb, training))
            except BaseException as exc:
                runner.close()
                if not isinstance(exc, _runner.RunnerFailed):
                    raise
    elif runner is not None:
        runner.close()
    run, new = run_here(plan, study, cb, training, cache, progress)
    segs_here = _segments(plan, study, cache)[0] if new else None
    return Job(run, plan=plan, codings=new, suggester=s, segs=segs_here)


def early_runners(study: StudyContext, names: list[str], coder: str | None, ingest: bool) -> dict[str, "Runner"]:
    """Runner processes started before the ingest, so spaCy or scikit-learn loads while the parent ingests.

    Only for forkable suggesters whose imports are not loaded here, that ``wants_runner`` would run in a
    runner and that will have work. Only a head start: anything that fails here fails again after the
    ingest, where it is reported.
    """
    out: dict[str, Runner] = {}
    if not _executors.runners_enabled():
        return out
    try:
        for plan in early_plans(study, names, coder, ingest, lambda s: bool(s.forkable) and not s.is_warm()):
            s = plan.suggester
            # a small job may run in a runner (then no need to count), else only a large one
            if not (_executors.wants_runner(s, 0) or _executors.wants_runner(s, len(study.store.segments(
                    document=plan.documents, include_interviewer=False, with_text=False)))):
                continue
            runner = _runner.start_runner(s)
            if runner is not None:
                out[s.name] = runner
    except Exception:  # noqa: BLE001 - see the docstring
        for runner in out.values():
            runner.close()
        return {}
    return out


@dataclass
class Job:
    """One suggester's share of a run, to be written: Codings computed in-process, or a runner's stream.

    ``pieces`` yields the suggestions one list per ``RUNNER_CHUNK`` segments, in segment order, the
    same pieces whether they were computed here or streamed from a runner (so a run writes the
    same rows in the same order either way); the caller adds what the store ``added`` and
    ``skipped``, and ``result()`` is then the final SuggesterRun.
    """

    run: SuggesterRun
    plan: SuggesterPlan
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

    def result(self) -> SuggesterRun:
        """The SuggesterRun, once every piece was written."""
        if self.runner is None:
            return replace(self.run, added=self.added, already=self.run.already + self.skipped)
        final = dict(self._final)
        if final.get("status") == "skipped":
            return replace(self.run, **final)
        final["already"] = final.pop("dropped", 0) + self.skipped
        return replace(self.run, added=self.added, **final)

    def _stream(self, progress: Callable[[int, int], None] | None) -> Iterator[list[Coding]]:
        assert self.runner is not None and self.suggester is not None and self.segs is not None
        assert self.cb is not None
        s, segs, runner = self.suggester, self.segs, self.runner
        text_of = dict(zip(segs["segment_id"].astype(str), segs["text"].astype(str)))
        dropped = done = 0
        try:
            for done, sug in runner.results():
                new, n = _executors.to_codings(s, sug, text_of, self.cb, self.already, runner.learned)
                dropped += n
                yield new
                if progress is not None:
                    progress(done, len(segs))
            learned, fit_s = runner.learned, runner.fit_seconds
        except _runner.RunnerSkipped as exc:
            self._final = {"status": "skipped", "reason": str(exc), "documents": 0, "segments": 0, "words": 0,
                           "fit_seconds": runner.fit_seconds}
            return
        except _runner.RunnerFailed as exc:  # finish in this process, from the first chunk not received
            t = time.perf_counter()
            reason = self.refit() if self.refit is not None else "nothing to fit it with"
            if reason is not None:
                raise StudyError(Errors.E380.format(name=s.name, detail=exc, reason=reason)) from exc
            fit_s, learned = time.perf_counter() - t, s.learned_provenance()
            new, n = _executors.run_suggester(s, segs.iloc[done:], self.cb, self.already, n_workers=1)
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
    chunk = _executors.RUNNER_CHUNK
    position = {sid: i for i, sid in enumerate(segs["segment_id"].astype(str).tolist())}
    piece: list[Coding] = []
    end = start + chunk
    for c in codings:
        while position[str(c.segment_id)] >= end:
            yield piece
            piece, end = [], end + chunk
        piece.append(c)
    yield piece
    for _ in range(end, len(segs), chunk):  # the chunks after the last coding's
        yield []
