"""Runner processes started before `thematic code` ingests, for suggesters that will have work.

Loading spaCy (or scikit-learn) takes a second or more; a runner started at once does it while the
parent ingests and plans (see ``_runner``). Deciding that takes only hashes and the store's meta
table, the same planning ``run.code`` does after the ingest (where the real plan is made).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import StudyError

if TYPE_CHECKING:
    from ..study import Study
    from ._runner import Runner
    from .suggest.base import Suggester


def early_runners(study: "Study", names: list[str], coder: str | None, ingest: bool) -> dict[str, "Runner"]:
    """Runner processes started before the ingest, so spaCy or scikit-learn loads while the parent ingests.

    Only a head start: anything that fails here fails again after the ingest, where it is reported.
    """
    from ._batch import runners_enabled
    from ._runner import Runner, start_runner

    out: dict[str, Runner] = {}
    if not runners_enabled():
        return out
    try:
        for s in early_work(study, names, coder, ingest):
            runner = start_runner(s)
            if runner is not None:
                out[s.name] = runner
    except Exception:  # noqa: BLE001 - see the docstring
        for runner in out.values():
            runner.close()
        return {}
    return out


def early_work(study: "Study", names: list[str], coder: str | None, ingest: bool) -> list["Suggester"]:
    """Forkable suggesters whose imports are not loaded here, that ``wants_runner`` would run in a runner
    and that will have work: documents to do (a new fingerprint: all of them), or (``ingest``) a raw
    file is new or changed."""
    from ._batch import wants_runner
    from .run import _codebook_file, _make, _plan, training_codings

    candidates = [s for s in (_make(n, study) for n in names) if s.forkable and not s.is_warm()]
    if not candidates:
        return []
    try:
        _, cb_hash = _codebook_file(study)
    except StudyError:
        return []  # reported after the ingest, as without runners
    hashes = study.store.document_hashes()
    training = training_codings(study, coder) if any(s.needs_codings for s in candidates) else None
    stale: bool | None = None
    out = []
    for s in candidates:
        plan = _plan(study, s.name, cb_hash, hashes, set(), training)
        if plan.skip is not None:
            continue
        if not plan.documents and stale is None:
            stale = ingest and _inputs_changed(study)
        if not (plan.documents or stale):
            continue
        # a small job may run in a runner (then no need to count), else only a large one
        if wants_runner(plan.suggester, 0) or wants_runner(plan.suggester, len(study.store.segments(
                document=plan.documents, include_interviewer=False, with_text=False))):
            out.append(plan.suggester)
    return out


def _inputs_changed(study: "Study") -> bool:
    from ..study import stale_inputs

    found = stale_inputs(study)
    return bool(found["new"] or found["changed"])
