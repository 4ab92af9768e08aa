"""`thematic code`, stage 3 of 3 (plan -> execute -> store): write the suggestions and the suggesters' states.

Suggestions are stored as ``suggested`` codings in one batch (undo it with ``store.undo_batch``;
written by ``Store.add_codings_bulk``, the rules of ``add_codings`` with far fewer queries), inside
the run's one transaction, with each suggester's new state in the meta table (what the next plan
compares with). A suggestion is never stored twice, and never where a human already applied,
accepted or rejected that code on that segment. A document another command re-ingested while the
suggestions were computed gets none of them (they were computed on its old text): the transaction
compares each planned document with the store (``plan.changed_since_plan``), and the run reports
those documents (W390) and does not record them as done, so the next run suggests on the new text.
"""

from __future__ import annotations

import json

from ..context import StudyContext
from ..models import Coding
from .execute.jobs import Job
from .plan import META_PREFIX, changed_since_plan, new_state
from .report import Progress, SuggesterRun, TransientSkip


def write_jobs(study: StudyContext, coder: str | None, names: list[str], jobs: list[Job],
               hashes: dict[str, tuple[str, str]], version: str,
               progress: Progress | None) -> tuple[str | None, list[SuggesterRun], tuple[str, ...]]:
    """Write every job's suggestions as one batch, and the suggesters' new states, in one transaction.

    Returns the batch id, the runs, and the documents left out because they changed since they were read.

    The suggesters' pieces (each the suggestions for ``RUNNER_CHUNK`` segments) are written in turn:
    the first piece of each suggester in the order asked, then the second, and so on, so writing one
    overlaps the runner processes computing the next.
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
        changed = changed_since_plan(study, [job.plan for job in jobs], hashes)
        while pieces:  # a piece of each suggester in turn
            for item in list(pieces):
                job, gen = item
                piece = next(gen, None)
                if piece is None:
                    pieces.remove(item)
                elif changed and piece:
                    piece = [c for c in piece if c.document_id not in changed]
                if piece:
                    added, skipped = write(piece)
                    job.added, job.skipped = job.added + added, job.skipped + skipped
        for job in jobs:
            run = job.result()
            runs.append(run)
            if (run.status in {"ran", "skipped"} and job.plan.skip is None and job.plan.trial is None
                    and not isinstance(run.reason, TransientSkip)):
                state = new_state(job.plan, run.status, run.reason, hashes, version, changed)
                store.set_meta(META_PREFIX + run.name, json.dumps(state, sort_keys=True))
    return (batch[0] if batch else None), runs, changed
