"""`thematic code`, stage 1 of 3 (plan -> execute -> store): which suggesters run on which documents.

Each suggester remembers, in the store's meta table (``META_PREFIX`` + its name), the fingerprint it
last ran with (its name, parameters, the codebook version and content hash, and for the model a
signature of its training codings) and, for every document it coded, the hash of its raw file and
the hash of its stored text and segments (``Store.stored_hashes``: a re-read can change those while
the file's bytes stay the same, e.g. a survey respondent no longer excluded). A plan then holds only
what is needed: every document when the fingerprint changed, else the documents that are new or
whose file or stored text changed. Planning reads hashes and the meta table only (no text), so it
is fast, and it decides nothing about where the work runs (that is ``execute``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Sequence

import pandas as pd

from ..codebook import Codebook, load_codebook
from ..context import HasContext, StudyContext, context_of
from ..errors import Errors, StudyError, Warnings

if TYPE_CHECKING:
    from .suggest.base import Suggester

HUMAN_STATUSES = ("manual", "accepted", "rejected")
#: The meta-table key prefix of each suggester's state (fingerprint, documents done, codebook version).
META_PREFIX = "assisted:"
#: The ensemble learns its combiner from this many segments a person decided on (before, its fixed rule).
ENSEMBLE_MIN_SEGMENTS = 60


@dataclass
class SuggesterPlan:
    """One suggester's share of a run: its documents to do (or why it is skipped) and its last state."""

    suggester: "Suggester"
    fingerprint: str
    documents: list[str]
    state: dict[str, Any]
    skip: str | None = None
    trial: tuple[int | None, int | None] | None = None  # (limit, sample): a try-out on a few passages
    stored: dict[str, str] = field(default_factory=dict)  # each document's stored-text hash now


def study_codebook(study: StudyContext) -> Codebook:
    """The study's default codebook (E373 if there is none)."""
    return load_codebook(codebook_file(study)[0])


def codebook_file(study: StudyContext) -> tuple[Path, str]:
    """The study's codebook file and a hash of its bytes (E373 if there is none)."""
    path = study.codebook_path
    if path is None or not path.is_file():
        raise StudyError(study.codebook_problem(Errors.E373.format(path=study.root)))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def training_codings(study: StudyContext, coder: str | None) -> pd.DataFrame:
    """Human decisions (manual, accepted, rejected) a supervised suggester learns from, optionally one coder's.

    Plus one row with status ``seen`` and no code per segment a coder recorded as seen (sheet, widget,
    review, mark_seen): a turn read and left uncoded counts as decided, as a coded one does. With no ``coder``,
    the consensus's codings stand for everyone's on the segments it settled (``coding.settled``), as in the tables.
    """
    from .settled import settled_codings, settled_segments

    cods = study.store.codings(status=list(HUMAN_STATUSES))
    if coder is not None:
        mine = (cods["coder"] == coder) | (cods["reviewer"] == coder)
        cods = cods[mine.fillna(False).to_numpy(dtype=bool)]
    else:
        consensus = study.config.consensus
        cods = settled_codings(cods, study.store.segments(), settled_segments(study.store.coverage(), consensus),
                               consensus)
    return with_seen(study, cods, coder)


def with_seen(study: StudyContext, cods: pd.DataFrame, coder: str | None) -> pd.DataFrame:
    """``cods`` plus one ``seen`` row (no code) per segment ``coder`` (or anyone) recorded as seen."""
    from .. import schemas
    from .suggest._labels import SEEN_STATUS

    seen = study.store.coverage(coder)
    if seen.empty:
        return cods
    rows = pd.DataFrame({"coding_id": "seen:" + seen["coder"] + ":" + seen["segment_id"],
                         "document_id": seen["document_id"], "segment_id": seen["segment_id"],
                         "coder": seen["coder"], "status": SEEN_STATUS, "source": seen["source"]})
    return pd.concat([cods, schemas.coerce_frame(rows, schemas.CODINGS)], ignore_index=True)


def _training_signature(cods: pd.DataFrame, hashes: dict[str, tuple[str, str]]) -> str:
    from .suggest._labels import SEEN_STATUS

    is_seen = (cods["status"] == SEEN_STATUS).fillna(False).to_numpy(dtype=bool)
    coded, seen = cods[~is_seen], cods[is_seen]
    keys = sorted(zip(coded["document_id"].astype(str), coded["start"].astype(int), coded["end"].astype(int),
                      coded["code_id"].astype(str), coded["status"].astype(str)))
    seen_keys = sorted(set(zip(seen["document_id"].astype(str), seen["segment_id"].astype(str))))
    docs = sorted({k[0] for k in keys} | {k[0] for k in seen_keys})
    return _digest([keys, [hashes.get(d, ("", ""))[1] for d in docs], *([seen_keys] if seen_keys else [])])


def make_suggester(name: str, study: StudyContext) -> "Suggester":
    """A new suggester ``name`` with the study's [code.<short name>] settings and its model and cache folders."""
    from .suggest import get_suggester

    s = get_suggester(name)
    runtime = {**study_options(study, name),
               "model_dir": str(study.paths.coded / "models"), "cache_dir": str(study.paths.coded / "cache")}
    return s.set_params(**{k: v for k, v in runtime.items() if k in s.get_params()})


def study_options(study: StudyContext, name: str) -> dict[str, Any]:
    """Suggester ``name``'s settings from thematic.toml: [code] encoder, then its own [code.<short name>]."""
    from .suggest.base import SHORT_NAMES

    short = next((k for k, v in SHORT_NAMES.items() if v == name), name)
    return {"encoder": study.config.code.encoder, **study.config.suggester_options.get(short, {})}


def default_suggesters(study: StudyContext | HasContext, coder: str | None = None) -> tuple[str, ...]:
    """thematic.toml's [code] suggesters; the ensemble where they are the older default (rules, model).

    The ensemble reads rules and similarity from the first run (a codebook without keywords still
    gets suggestions), adds the model once it can be trained and learns how to combine them from
    ``ENSEMBLE_MIN_SEGMENTS`` human-coded segments. ``coder`` is kept for callers; the ensemble
    itself decides what it can learn.
    """
    study = context_of(study)
    configured = tuple(study.config.suggesters)
    return ("ensemble",) if set(configured) == {"rules", "model"} else configured


def plan_suggester(study: StudyContext, name: str, cb_hash: str, hashes: dict[str, tuple[str, str]],
                   changed: set[str], training: pd.DataFrame | None,
                   stored: dict[str, str] | None = None) -> SuggesterPlan:
    """The plan of suggester ``name``: all documents on a new fingerprint, else the new or changed ones.

    ``stored`` is ``Store.stored_hashes()`` (read here when not given). A state written before thematic kept
    stored hashes has none: "" stands for each, as for a document saved then, so only a document saved since
    (a re-read after the upgrade) is done again."""
    s = make_suggester(name, study)
    stored = study.store.stored_hashes() if stored is None else stored
    signature = _training_signature(training, hashes) if s.needs_codings and training is not None else None
    fp = _digest([s.fingerprint(), cb_hash, signature])
    state = json.loads(study.store.get_meta(META_PREFIX + s.name) or "{}")
    if state.get("fingerprint") != fp:
        return SuggesterPlan(s, fp, sorted(hashes), {}, stored=stored)
    if state.get("skipped"):
        return SuggesterPlan(s, fp, [], state, skip=state["skipped"], stored=stored)
    done = state.get("documents", {})
    seen = state.get("stored", {})
    todo = sorted(d for d, (_, h) in hashes.items()
                  if done.get(d) != h or d in changed or seen.get(d, "") != stored.get(d, ""))
    return SuggesterPlan(s, fp, todo, state, stored=stored)


def migrate_pending(study: StudyContext, actor: str) -> str | None:
    """Before a run: when codings were made under an older released codebook version, migrate the store to the
    current one, as `thematic codebook migrate` does (one transaction, logged remap events), so a code a person
    applied under an id a release renamed or merged counts as known under its new id. Returns W386, or None."""
    from ..codebook import migrate
    from ..codebook.semver import is_semver, semver_key

    by_version = [(str(v), int(n)) for v, n in study.store.counts()["by_codebook_version"] if is_semver(v)]
    if not by_version:  # codings with no version (made through the library without a codebook) start nothing
        return None
    cb = study_codebook(study)
    current = semver_key(cb.version)
    older = [(v, n) for v, n in by_version if semver_key(v) < current]
    if not older:
        return None
    report = migrate(cb, study.store, actor=actor)
    if not report.touched:
        return None
    todo = ("List the flagged codings with `thematic codebook flagged` and recode or keep them."
            if report.flagged else "Nothing else to do.")
    return Warnings.W386.format(n=sum(n for _, n in older), older=", ".join(f"{n} under {v}" for v, n in older),
                                name=cb.name, version=cb.version, actor=actor, remapped=report.remapped,
                                flagged=report.flagged, removed=report.removed, todo=todo)


def plan_run(study: StudyContext, names: list[str], coder: str | None, changed: set[str],
             limit: int | None = None, sample: int | None = None
             ) -> tuple[list[SuggesterPlan], Path, dict[str, tuple[str, str]], pd.DataFrame]:
    """The plans of a run (a try-out with ``limit``/``sample``), the codebook file, document hashes, training."""
    cb_path, cb_hash = codebook_file(study)
    hashes = study.store.document_hashes()
    stored = study.store.stored_hashes()
    training = training_codings(study, coder)
    plans = [plan_suggester(study, n, cb_hash, hashes, changed, training, stored) for n in names]
    if limit is not None or sample is not None:
        for p in plans:
            p.trial = (limit, sample)
    return plans, cb_path, hashes, training


def early_plans(study: StudyContext, names: list[str], coder: str | None, ingest: bool,
                candidate: Callable[["Suggester"], bool]) -> list[SuggesterPlan]:
    """Before the ingest: plans of the ``candidate`` suggesters that will have work (documents to do, or
    with ``ingest`` a raw file new or changed); [] when the study has no codebook (reported later)."""
    chosen = [s for s in (make_suggester(n, study) for n in names) if candidate(s)]
    if not chosen:
        return []
    try:
        _, cb_hash = codebook_file(study)
    except StudyError:
        return []  # reported after the ingest, as without a head start
    hashes = study.store.document_hashes()
    stored = study.store.stored_hashes()
    training = training_codings(study, coder) if any(s.needs_codings for s in chosen) else None
    stale: bool | None = None
    out = []
    for s in chosen:
        plan = plan_suggester(study, s.name, cb_hash, hashes, set(), training, stored)
        if plan.skip is not None:
            continue
        if not plan.documents and stale is None:
            stale = ingest and _inputs_changed(study)
        if plan.documents or stale:
            out.append(plan)
    return out


def _inputs_changed(study: StudyContext) -> bool:
    from ..ingest.stale import stale_inputs

    found = stale_inputs(study)
    return bool(found["new"] or found["changed"])


def try_out(segs: pd.DataFrame, words: int, plan: SuggesterPlan) -> tuple[pd.DataFrame, int]:
    """The first ``limit`` or a seeded random ``sample`` of ``segs`` when the run is a try-out."""
    if plan.trial is None:
        return segs, words
    limit, sample = plan.trial
    if sample is not None and sample < len(segs):
        segs = segs.sample(n=sample, random_state=0).sort_index()
    if limit is not None:
        segs = segs.iloc[:limit]
    return segs.reset_index(drop=True), sum(len(t.split()) for t in segs["text"].tolist())


def changed_since_plan(study: StudyContext, plans: Sequence[SuggesterPlan], hashes: dict[str, tuple[str, str]],
                       documents: Collection[str] | None = None) -> tuple[str, ...]:
    """The planned documents (or those of ``documents``) whose file or stored text is no longer what the run
    planned and read (another command re-ingested or removed them meanwhile); read inside the write
    transaction, so the suggestions computed on their old text are not stored there."""
    now, stored = study.store.document_hashes(), study.store.stored_hashes()
    planned = {d: p.stored.get(d, "") for p in plans for d in p.documents}
    wanted = planned if documents is None else [d for d in documents if d in planned]
    return tuple(sorted(d for d in wanted if d not in now or now[d][1] != hashes.get(d, ("", ""))[1]
                        or stored.get(d, "") != planned[d]))


def new_state(plan: SuggesterPlan, status: str, reason: str | None, hashes: dict[str, tuple[str, str]],
              version: str, unfinished: Collection[str] = ()) -> dict[str, Any]:
    """The suggester's state to remember after it ran (or was skipped): what the next plan compares with.

    ``unfinished``: documents that changed while the run suggested (``changed_since_plan``), not recorded as done."""
    if status == "skipped":
        return {"fingerprint": plan.fingerprint, "skipped": reason, "codebook_version": version}
    docs = dict(plan.state.get("documents", {}))
    docs.update({d: hashes[d][1] for d in plan.documents if d in hashes})
    kept = {d: h for d, h in docs.items() if d in hashes and d not in unfinished}
    seen = dict(plan.state.get("stored", {}))
    seen.update({d: plan.stored.get(d, "") for d in plan.documents})
    return {"fingerprint": plan.fingerprint, "documents": kept, "stored": {d: seen.get(d, "") for d in kept},
            "codebook_version": version}
