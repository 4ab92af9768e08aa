"""``ingest(study)``: bring the store up to date with data/raw (or the given paths).

Unchanged files (same sha256 of their bytes and the same ingest settings) are skipped; new and
changed files are read, pseudonymised and segmented, and each is stored in its own transaction
together with the re-anchoring of its existing codings. A file that fails is reported and leaves
the store as it was; the other files are still ingested.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from .._files import file_kind
from .._limits import check_archive, check_file, check_pdf
from ..config import IngestSettings
from ..context import HasContext, StudyContext, context_of
from ..errors import Errors, InputError, ThematicError, Warnings
from ..models import COUNTED_STATUSES, UNANCHORED_FLAGS, Document, Participant
from ..store import ROSTER_SOURCE, document_source
from .checks import study_warnings
from .discover import discover_inputs, outside, passed_over_warnings
from .failures import record_failures
from .ids import assign_ids, slugify
from .imported import keep_imported
from .normalise import content_hash
from .participants import Roster, load_roster, roster_file
from .pseudonymise import SHARED_NAME, PseudonymKey
from .read import (FileContext, ReadResult, attribute_rewriter, build_document, check_file_options, labels_in_use,
                   mentions, parse_file, pseudonymised_attributes, quote_rewriter, read_bytes, register_speakers,
                   settings_for, turn_texts)
from .pruned import bring_back
from .reanchor import ACTOR, reanchor, renamed_pseudonyms, segment_moves
from .report import IngestReport, IngestRow
from .segment import check_unit

if TYPE_CHECKING:
    from ..store import Store

#: Bumped when readers change in a way that should re-read unchanged files.
READER_VERSION = "12"
KEY_FILE = "pseudonym-key.csv"
_META_PREFIX = "ingest:fingerprint:"


def key_path(study: StudyContext | HasContext) -> Path:
    """Where the study's pseudonym key lives: ``private/pseudonym-key.csv`` (outside data/)."""
    study = context_of(study)
    return study.paths.private / KEY_FILE


def input_files(study: StudyContext | HasContext, paths: Iterable[str | Path] | None = None, *,
                allow_outside: bool = False) -> tuple[list[Path], list[IngestRow]]:
    """The files an ingest of ``paths`` (default data/raw) would read, and rows for paths it will not read.

    A file that resolves outside the study folder (e.g. a symlink in data/raw to /etc/passwd), or a symlinked
    folder that does, is refused with E030 (one row) unless ``allow_outside``.
    """
    study = context_of(study)
    files: list[Path] = []
    missing: list[IngestRow] = []
    for p in ([study.paths.raw] if paths is None else map(Path, paths)):
        if p.is_dir() and (allow_outside or paths is None or outside(study.root, p) is None):
            files.extend(discover_inputs(p, study.root, follow_outside=allow_outside))
        elif p.is_dir():
            files.append(p)  # a named folder symlinked out of the study: one E030 row below
        elif p.is_file():
            files.append(p)
        elif p.exists():  # a pipe or device: opening it could block forever
            missing.append(IngestRow(str(p), None, "failed", error=Errors.E059.format(
                path=p, kind=file_kind(p.stat().st_mode) or "not a plain file")))
        else:
            missing.append(IngestRow(str(p), None, "failed", error=Errors.E113.format(path=p)))
    kept: list[Path] = []
    for f in files:
        target = None if allow_outside else outside(study.root, f)
        kept_away = _kept_away(study, f)
        if kept_away is not None:
            missing.append(IngestRow(_shown(study, f), None, "failed", error=kept_away))
        elif target is None:
            kept.append(Path(os.path.abspath(f)) if paths is not None else f)  # a linked folder's files keep its path
        else:
            shown = _shown(study, f)
            missing.append(IngestRow(shown, None, "failed", error=Errors.E030.format(path=shown, target=target)))
    once = {f.resolve(): f for f in reversed(kept)}  # a file reached twice (named and inside a named folder): once
    return list(dict.fromkeys(once[f.resolve()] for f in kept)), missing


def _shown(study: StudyContext, path: Path) -> str:
    try:
        return path.absolute().relative_to(study.root).as_posix()
    except ValueError:
        return str(path)


def _kept_away(study: StudyContext, path: Path) -> str | None:
    """E060 for a path (named, a symlink, or a file in a symlinked folder) that leads into private/ or data/coded/:
    the pseudonym key and the store must never be read as a transcript, whatever --allow-outside says."""
    target = path.resolve()
    for folder, what in ((study.paths.private, "the pseudonym key (real names)"),
                         (study.paths.coded, "the study's store and backups")):
        if target.is_relative_to(folder.resolve()):
            return Errors.E060.format(path=_shown(study, path), folder=folder.relative_to(study.root).as_posix(),
                                      target=target, what=what)
    return None


def _names(study: StudyContext, path: Path) -> tuple[str, str]:
    """(display path stored in the documents table, key relative to data/raw); a file reached through a symlinked
    folder of data/raw keeps its path there, as the folder scan and `thematic status` show it."""
    resolved = path.resolve()
    found = Path(os.path.abspath(path))
    if not path.is_symlink() and found != resolved and found.is_relative_to(study.paths.raw):
        resolved = found
    try:
        display = resolved.relative_to(study.root).as_posix()
    except ValueError:
        display = str(resolved)
    try:
        key = resolved.relative_to(study.paths.raw.resolve()).as_posix()
    except ValueError:
        key = path.name
    return display, key


def fingerprint(ctx: FileContext, unit: str, settings: IngestSettings, roster: Roster) -> str:
    """A hash of everything besides the bytes that shapes a file's document (a change re-reads it); a file's
    ``kind`` is left out, as the tables read it from thematic.toml and it shapes nothing stored."""
    payload = {
        "reader": READER_VERSION, "unit": unit, "file": {k: v for k, v in ctx.options.items() if k != "kind"},
        "survey": ctx.survey,
        "interviewer_labels": sorted(settings.interviewer_labels), "pseudonymise": settings.pseudonymise,
        "ner": settings.ner, "terms": sorted(settings.terms), "names": sorted(roster.names.items()),
        **({"shared": sorted(roster.shared.items())} if roster.shared else {}),
        "documents": sorted(roster.by_document.items()), "roster": bool(roster.participants),
        "ids": sorted(roster.ids), "document_id": ctx.document_id,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


#: Ranks of the participant sources: a lower rank wins where two give an attribute different values.
ROSTER_RANK, ATTRIBUTE_SHEET_RANK, ANSWERS_RANK = 0, 10, 20


def _save_roster(store: "Store", roster: Roster, key: PseudonymKey, settings: IngestSettings,
                 path: str = "participants.csv") -> tuple[int, list[str]]:
    """participants.csv's participants (and W011s); with pseudonymise on, every name the key knows (this run's
    speakers and respondents included) is replaced in their attribute values, as in the text, but a ``pseudonym``
    holding one is left out: replaced, it would name someone else (``Hannah`` -> ``P01``)."""
    people, notes = roster.participants, []
    if settings.pseudonymise and people:
        with key.locked():  # a listed term may get its pseudonym here: saved with the key, under its lock
            people, left_out = pseudonymised_attributes(people, attribute_rewriter(key, roster, settings))
            notes = [Warnings.W011.format(path=path, line=roster.lines.get(pid, "?"), column=f"'{column}'",
                                          participant=pid) for pid, column in left_out]
            key.save()
    with store.transaction():
        store.set_participant_source(ROSTER_SOURCE, people, ROSTER_RANK)
    return len(people), notes


def _save_respondents(store: "Store", doc: Document, respondents: Sequence[Participant]) -> None:
    """A survey file's respondents, as its own participant source (re-reading it replaces only its word)."""
    attributes_only = not doc.attributes.get("questions")
    store.set_participant_source(document_source(doc.id), respondents,
                                 ATTRIBUTE_SHEET_RANK if attributes_only else ANSWERS_RANK)


@dataclass
class _Job:
    ctx: FileContext
    status: str
    data_hash: str
    fingerprint: str
    parsed: Any = None
    entities: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _store_one(study: StudyContext, job: _Job, *, unit: str, roster: Roster, key: PseudonymKey,
               previous: Sequence[tuple[str, str, str]] = ()) -> IngestRow:
    with key.locked():  # another ingest's new pseudonyms are read first; ours are saved before the lock is freed
        return _store_locked(study, job, unit=unit, roster=roster, key=key, previous=previous)


def _store_locked(study: StudyContext, job: _Job, *, unit: str, roster: Roster, key: PseudonymKey,
                  previous: Sequence[tuple[str, str, str]] = ()) -> IngestRow:
    """Save one read file with its re-anchored codings; ``previous`` is the key's entries before this ingest
    (a pseudonym participants.csv changed since is looked for under its new name)."""
    settings = study.config.ingest
    result: ReadResult = build_document(job.parsed, job.ctx, data_hash=job.data_hash, unit=unit, settings=settings,
                                        roster=roster, key=key, entities=job.entities)
    doc = result.document
    if job.notes:
        doc = dataclasses.replace(doc, warnings=doc.warnings + tuple(job.notes))
    named = _name_in_id(doc.id, key) if settings.pseudonymise else None
    if named:
        doc = dataclasses.replace(doc, warnings=doc.warnings + (Warnings.W114.format(
            path=doc.path, document=doc.id, pseudonym=named, suffix=job.ctx.path.suffix),))
    store = study.store
    rewrite = quote_rewriter(key, roster) if settings.pseudonymise else None
    renamed = renamed_pseudonyms(previous, key) if settings.pseudonymise else {}
    with store.transaction():
        before = store.segments(document=doc.id) if job.status == "changed" else None
        coded_before = store.codings(document=doc.id) if before is not None and len(before) else None
        if job.status == "changed":  # what a REFI-QDA import attached to the document stays with it
            doc = keep_imported(store.document(doc.id), doc, before, rewrite=rewrite, renamed=renamed)
        store.save_document(doc)
        if result.exclusions or result.participants or doc.format in {"csv", "xlsx"}:
            store.save_exclusions(doc.id, result.exclusions)
            _save_respondents(store, doc, result.participants)
        screened = _remove_screened_out(store, doc, before, result.exclusions)
        roles = _questions_moved(job.ctx, doc, before, store.codings(document=doc.id)) if job.ctx.stored else []
        moved = reanchor(store, doc, rewrite=rewrite, before=before, renamed=renamed) if job.status == "changed" else None
        warnings = doc.warnings + tuple(roles)
        if screened:
            warnings += (Warnings.W388.format(path=doc.path, n=sum(map(len, screened.values())),
                                              respondents=", ".join(screened)),)
        if before is not None and len(before):
            moves = segment_moves(before, doc, rewrite, renamed)
            gone = _screened_turns(before, result.exclusions)  # removed with their respondent: not "changed"
            removed = {who: n for who, sids in gone.items()
                       if (n := store.rekey_segments(doc.id, dict.fromkeys(sids))["dropped"])}
            if removed:
                warnings += (Warnings.W008.format(path=doc.path, n=sum(removed.values()),
                                                  respondents=", ".join(removed)),)
            screened_ids = {sid for sids in gone.values() for sid in sids}
            texts = {str(k): str(v) for k, v in zip(before["segment_id"], before["text"]) if isinstance(v, str)}
            rekeyed = store.rekey_segments(doc.id, {k: v for k, v in moves.items() if k not in screened_ids}, texts)
            if rekeyed["dropped"]:
                warnings += (Warnings.W117.format(path=doc.path, n=rekeyed["dropped"]),)
            back = store.restore_parked(doc.id, doc.segments)
            if back:
                warnings += (Warnings.W120.format(path=doc.path, n=back),)
        restored = bring_back(store, doc) if before is None else None
        if restored is not None:
            warnings += restored.warnings(doc)
        if moved is not None and moved.flagged > len(moved.ambiguous):
            warnings += (Warnings.W106.format(document=doc.id, n=moved.flagged - len(moved.ambiguous)),)
        if moved is not None and moved.ambiguous:
            warnings += (Warnings.W170.format(document=doc.id, n=len(moved.ambiguous),
                                              turns=", ".join(dict.fromkeys(moved.ambiguous))),)
        if coded_before is not None and len(coded_before):
            warnings += _silenced(coded_before, before, store.codings(document=doc.id), doc, job.ctx.key)
        store.set_meta(_META_PREFIX + doc.id, job.fingerprint)
        key.save()  # before the commit: a pseudonym is never stored without its key entry
    speakers = tuple(dict.fromkeys(s.speaker for s in doc.segments if s.speaker))
    return IngestRow(doc.path, doc.id, job.status, len(doc.segments), speakers, warnings, None, doc.format,
                     moved.moved if moved else restored.moved if restored else 0,
                     moved.flagged if moved else len(restored.lost) if restored else 0, dict(result.replaced),
                     moved.refitted if moved else 0)


def _interviewer_only(codings: Any, spans: Sequence[tuple[int, int, bool]]) -> set[str]:
    """Ids of the counted codings (``manual``/``accepted``, not flagged) whose span overlaps only interviewer turns
    of ``spans`` (start, end, is_interviewer; in text order)."""
    starts = [s for s, _, _ in spans]
    out: set[str] = set()
    for cid, start, end, status, flag in codings[["coding_id", "start", "end", "status", "flag"]].itertuples(index=False):
        if status not in COUNTED_STATUSES or (isinstance(flag, str) and flag in UNANCHORED_FLAGS):
            continue
        start, stop = int(start), max(int(end), int(start) + 1)
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        hit = [iv for s, e, iv in spans[first:bisect.bisect_left(starts, stop)] if s < stop and start < e]
        if hit and all(hit):
            out.add(str(cid))
    return out


def _silenced(coded_before: Any, before: Any, coded_now: Any, doc: Document, key: str) -> tuple[str, ...]:
    """W125 when codings that counted before this re-read now lie on interviewer turns only (a label that became
    an interviewer label): kept, but no table counts them, as W533 says when one is coded."""
    was = _interviewer_only(coded_before, [(int(s), int(e), bool(i)) for s, e, i in
                                           zip(before["start"], before["end"], before["is_interviewer"])])
    now = _interviewer_only(coded_now, [(s.start, s.end, s.is_interviewer) for s in doc.segments])
    ids = now - was
    if not ids:
        return ()
    rows = coded_now.loc[coded_now["coding_id"].astype(str).isin(ids)]
    turns = list(dict.fromkeys(str(t) for t in rows["segment_id"].dropna()))
    by_id = {s.id: s for s in doc.segments}
    speakers = dict.fromkeys(f"'{by_id[t].speaker}'" for t in turns if t in by_id and by_id[t].speaker)
    shown = ", ".join(turns[:6]) + (f" and {len(turns) - 6} more" if len(turns) > 6 else "")
    return (Warnings.W125.format(path=doc.path, n=len(ids), speakers=", ".join(speakers) or "no speaker label",
                                 turns=shown, key=key),)


#: The note of a coding removed because its respondent was screened out (``--purge`` finds them by it).
SCREENED_OUT = "screened out: respondent {respondent} is excluded ({reason})"
_SCREENED_PREFIX = SCREENED_OUT.split("{")[0]


def _remove_screened_out(store: "Store", doc: Document, before: Any, exclusions: Mapping[str, str]
                         ) -> dict[str, list[str]]:
    """Remove (from the current codings; the log keeps them until ``--purge``) the codings on the answers of
    respondents a re-read survey now screens out, so no export shows their words. Returns {respondent: ids}."""
    if before is None or not len(before) or not exclusions:
        return {}
    out = {str(k).casefold(): str(k) for k in exclusions}
    owner = {str(sid): out[str(pid).casefold()] for sid, pid in zip(before["segment_id"], before["participant_id"])
             if isinstance(pid, str) and pid.casefold() in out}
    codings = store.codings(document=doc.id)
    found: dict[str, list[str]] = {}
    for cid, sid in zip(codings["coding_id"], codings["segment_id"]):
        if isinstance(sid, str) and sid in owner:
            found.setdefault(owner[sid], []).append(str(cid))
    for respondent, ids in found.items():
        store.remove_codings(ids, actor=ACTOR, note=SCREENED_OUT.format(respondent=respondent,
                                                                         reason=exclusions[respondent]))
    return found


def _screened_turns(before: Any, exclusions: Mapping[str, str]) -> dict[str, list[str]]:
    """The old segment ids of each respondent the re-read survey screens out ({respondent: ids}): their answers
    are gone with them, so what coders saw of those turns is removed, never moved to another's like words."""
    if not exclusions:
        return {}
    out = {str(k).casefold(): str(k) for k in exclusions}
    found: dict[str, list[str]] = {}
    for sid, pid in zip(before["segment_id"], before["participant_id"]):
        if isinstance(pid, str) and pid.casefold() in out:
            found.setdefault(out[pid.casefold()], []).append(str(sid))
    return found


def _failed(ctx: FileContext, exc: BaseException) -> IngestRow:
    if isinstance(exc, ThematicError):
        return IngestRow(ctx.display, ctx.document_id, "failed", error=str(exc))
    error = Errors.E114.format(path=ctx.display, kind=type(exc).__name__, detail=exc)
    return IngestRow(ctx.display, ctx.document_id, "failed", error=error)


def _unchanged_rows(store: "Store", jobs: Sequence[_Job]) -> list[IngestRow]:
    ids = [j.ctx.document_id for j in jobs]
    if not ids:
        return []
    segs = store.segments(document=ids, with_text=False)
    rows = []
    for j in jobs:
        mine = segs[segs["document_id"] == j.ctx.document_id]
        speakers = tuple(dict.fromkeys(str(s) for s in mine["speaker"].dropna()))
        rows.append(IngestRow(j.ctx.display, j.ctx.document_id, "unchanged", len(mine), speakers))
    return rows


def _contexts(study: StudyContext, files: Sequence[Path], stored_paths: Mapping[str, str]) -> list[FileContext]:
    settings = study.config.ingest
    names = [_names(study, f) for f in files]
    ids = assign_ids(names, stored_paths)
    return [
        FileContext(f, display, key, ids[display], settings_for(settings.files, key, display, f.name, ids[display]),
                    settings_for(settings.survey, key, display, f.name))
        for f, (display, key) in zip(files, names)
    ]


def unmatched_sections(study: StudyContext, files: Sequence[Path], stored: Mapping[str, tuple[str, str]]
                       ) -> list[str]:
    """W005 for each ``[ingest.survey."…"]`` / ``[ingest.files."…"]`` section that names no file of data/raw, of
    ``files`` or of the store: its settings would silently apply to nothing.

    Raises:
        InputError: [E120] a survey section with an ``exclude`` names no file (the withdrawal would be lost).
    """
    settings = study.config.ingest
    if not settings.survey and not settings.files:
        return []
    names: dict[str, str] = {}  # every way a section may name a file (casefolded) -> as shown in a hint
    refs: set[str] = set(stored)  # document ids name [ingest.files] sections too
    for path, _ in stored.values():  # a stored file now gone is listed as missing, not as a section's typo
        refs.update((path, path.removeprefix("data/raw/"), Path(path).name))
    for f in [*discover_inputs(study.paths.raw, study.root), *files]:
        display, key = _names(study, f)
        refs.update((display, key, f.name, slugify(key)))
        names.setdefault(key.casefold(), key)
        names.setdefault(f.name.casefold(), f.name)
    out = []
    for section, table in (("survey", settings.survey), ("files", settings.files)):
        for key, options in table.items():
            if key in refs:
                continue
            close = difflib.get_close_matches(key.casefold(), list(names), n=3, cutoff=0.6)
            hint = (f"closest: {', '.join(names[c] for c in close)}" if close else
                    f"it holds {', '.join(list(names.values())[:5])}{' …' if len(names) > 5 else ''}" if names
                    else "it holds no file")
            given = options.get("exclude") if isinstance(options, Mapping) else None
            exclude = list(given) if isinstance(given, (Mapping, list)) else [given] if given else []  # "R1" too
            if section == "survey" and exclude:
                raise InputError(Errors.E120.format(key=key, hint=hint, ids=", ".join(map(str, exclude))))
            out.append(Warnings.W005.format(section=section, key=key, hint=hint))
    return out


#: Any error while reading one file fails that file only (E114 names the unexpected ones); the rest go on.
_RECOVERABLE = (Exception,)


def _plan(study: StudyContext, ctx: FileContext, *, unit: str, roster: Roster, stored: Mapping[str, tuple[str, str]],
          force: bool, imported: frozenset[str] = frozenset()) -> _Job:
    """Hash the file and decide: unchanged (skip), or new/changed (parsed, ready to store).

    A document ``imported`` from REFI-QDA keeps the segments the import gave it while its file's bytes
    are unchanged (whatever the settings); once they change it is read as an ordinary file (W506). The file's
    ``[ingest.files]`` table is checked first, so a bad ``kind`` (E513) is reported even when nothing is re-read.
    """
    check_file_options(ctx.options, ctx.key)
    settings = study.config.ingest
    check_file(ctx.path, ctx.display, study.config.limits)
    data = read_bytes(ctx.path, ctx.display)
    check_archive(data, ctx.display, study.config.limits)
    check_pdf(data, ctx.display, study.config.limits)
    data_hash, fp = content_hash(data), fingerprint(ctx, unit, settings, roster)
    old = stored.get(ctx.document_id)
    same_bytes = old is not None and old[1] == data_hash
    refi = ctx.document_id in imported
    if same_bytes and (refi or (not force and study.store.get_meta(_META_PREFIX + ctx.document_id) == fp)):
        return _Job(ctx, "unchanged", data_hash, fp)
    ctx = _with_stored_survey(study.store, ctx, data)
    job = _Job(ctx, "changed" if old else "new", data_hash, fp, parse_file(data, ctx, settings, roster, study.config.limits))
    if refi and old is not None:
        job.notes.append(Warnings.W506.format(path=ctx.display))
    if same_bytes and not force:
        job.notes.append(Warnings.W107.format(path=ctx.display, what="unit, speakers, pseudonymisation, participants.csv "
                                                  "or how this version of thematic reads files"))
    return job


def _with_stored_survey(store: "Store", ctx: FileContext, data: bytes) -> FileContext:
    """``ctx`` with the attributes of the survey stored from this file, whose questions and attributes keep
    their roles when it is read again (one more response must not turn a coded question into an attribute)."""
    from .sniff import sniff_format

    try:
        fmt = str(ctx.options.get("format") or sniff_format(data, ctx.display))
        if fmt not in {"csv", "xlsx"}:
            return ctx
        attributes = store.document(ctx.document_id).attributes
    except ThematicError:  # not stored yet, or a file the reader will report
        return ctx
    return dataclasses.replace(ctx, stored=attributes) if isinstance(attributes, Mapping) else ctx


def _questions_moved(ctx: FileContext, doc: Document, before: Any, codings: Any) -> list[str]:
    """W030 for each coded question of the stored survey that is still a column of the file but no longer a
    question (the settings moved it), with how many codings on its answers are flagged with it."""
    old = ctx.stored or {}
    columns, asked = dict(old.get("columns") or {}), list(old.get("questions") or [])
    now = doc.attributes.get("columns") or {}
    roles = {**{t: "left out (metadata)" for t in now.get("metadata") or ()},
             **{t: "an attribute" for t in now.get("attributes") or ()}, now.get("id"): "the id column"}
    notes = []
    for title, question in zip(columns.get("questions") or (), asked):
        if title in (now.get("questions") or ()) or title not in roles:
            continue
        sids = set() if before is None or not len(before) else set(
            before.loc[before["question"] == question, "segment_id"].astype(str))
        n = int(codings["segment_id"].astype(str).isin(sids).sum()) if len(codings) and sids else 0
        if n:
            notes.append(Warnings.W030.format(path=doc.path, column=title, role=roles[title], n=n, key=ctx.key))
    return notes


def _run(study: StudyContext, job: _Job, *, unit: str, roster: Roster, key: PseudonymKey,
         previous: Sequence[tuple[str, str, str]] = (),
         progress: Callable[[str], None] | None) -> IngestRow:
    try:
        row = _store_one(study, job, unit=unit, roster=roster, key=key, previous=previous)
    except _RECOVERABLE as exc:
        row = _failed(job.ctx, exc)
    _call(progress, job.ctx.display)
    return row


def _keep_roster_mapping(ctx: FileContext, old_path: str | None, roster: Roster,
                         study: StudyContext) -> tuple[FileContext, str | None]:
    """A moved or renamed file whose old name participants.csv's transcript column maps (and its new name
    not) keeps that participant for this run, with W118 saying which cell to update."""
    if old_path is None or roster.for_document(ctx.key, ctx.path.name, ctx.path.stem, ctx.document_id):
        return ctx, None
    old = Path(old_path)
    pid = roster.for_document(old.name, old.stem, old_path)
    if not pid or ctx.options.get("participant"):
        return ctx, None
    roster_name = (roster_file(study.paths.participants_csv) or study.paths.participants_csv).name
    note = Warnings.W118.format(path=ctx.display, roster=roster_name, old=old.name, new=ctx.path.name, participant=pid)
    return dataclasses.replace(ctx, options={**ctx.options, "participant": pid}), note


def _reread_mentions(study: StudyContext, pending: list[_Job], unchanged: list[_Job], *, unit: str, roster: Roster,
                     key: PseudonymKey, rows: list[IngestRow]) -> list[_Job]:
    """Register the speakers of every file to store (so each file's text replaces every name spoken in
    any of them), and move a stored file back to be read again when it mentions a newly registered name
    (W116) or a pseudonym this run changed (W387: participants.csv renumbered, a speaker map edited).
    Returns the files that stay unchanged."""
    parsed_again: dict[str, _Job] = {}

    def others() -> list[tuple[Any, FileContext]]:
        """The unchanged files, parsed (kept, should one be read again below)."""
        for job in unchanged:
            if job.ctx.document_id not in parsed_again:
                try:
                    parsed_again[job.ctx.document_id] = _plan(study, job.ctx, unit=unit, roster=roster, stored={},
                                                              force=True)
                except _RECOVERABLE:
                    continue  # reported when (if) it is read again
        return [(j.parsed, j.ctx) for j in parsed_again.values()]

    with key.locked():
        before = key.entries()
        new = register_speakers([(job.parsed, job.ctx) for job in pending], study.config.ingest, roster, key, others)
        key.save()
        renamed = renamed_pseudonyms(before, key)
    if not new and not renamed:
        return unchanged
    stay = []
    sources = study.store.participant_sources()
    for job in unchanged:
        said = "\n".join([study.store.document(job.ctx.document_id).text, *(  # its respondents' attributes too
            str(v) for attrs in sources.loc[sources["source"] == document_source(job.ctx.document_id), "attributes"]
            for v in attrs.values() if isinstance(v, str))])
        named = [pseudonym for name, pseudonym in new.items() if mentions(said, {name: pseudonym})]
        moved = {old: now for old, now in renamed.items() if re.search(rf"(?<!\w){re.escape(old)}(?!\w)", said)}
        if not named and not moved:
            stay.append(job)
            continue
        try:
            again = parsed_again.pop(job.ctx.document_id, None) or _plan(study, job.ctx, unit=unit, roster=roster,
                                                                         stored={}, force=True)
        except _RECOVERABLE as exc:
            rows.append(_failed(job.ctx, exc))
            continue
        again.status = "changed"
        if named:
            again.notes.append(Warnings.W116.format(path=job.ctx.display, names=", ".join(sorted(named))))
        shared = sorted(old for old, now in moved.items() if now == SHARED_NAME)
        if shared:
            again.notes.append(Warnings.W391.format(path=job.ctx.display, old=", ".join(shared)))
        if len(moved) > len(shared):
            again.notes.append(Warnings.W387.format(path=job.ctx.display, renamed=", ".join(
                f"{old} -> {now}" for old, now in sorted(moved.items()) if now != SHARED_NAME)))
        pending.append(again)
    return stay


def _labels_in_study(store: "Store", pending: Sequence[_Job], roster: Roster) -> set[str]:
    """Speaker labels and participant ids of every stored and pending file: a new pseudonym skips them all."""
    segs = store.segments(with_text=False)
    used = {str(x) for col in ("speaker", "participant_id") for x in segs[col].dropna().unique()}
    for job in pending:
        used |= labels_in_use(job.parsed, roster)
    return used


def _with_entities(jobs: list[_Job]) -> None:
    """Run NER over every pending file at once (two processes for large volumes)."""
    from .ner import find_entities

    found, warnings = find_entities([turn_texts(j.parsed) for j in jobs])
    for job, entities in zip(jobs, found):
        job.entities = entities
        job.notes.extend(warnings)


def ingest(study: StudyContext | HasContext, paths: Iterable[str | Path] | None = None, *, unit: str | None = None,
           progress: Callable[[str], None] | None = None, force: bool = False,
           allow_outside: bool = False, prune: bool = False, purge: bool = False) -> IngestReport:
    """Ingest data/raw (or ``paths``: files or folders) into the study's store.

    Args:
        study: the study to ingest into.
        paths: files or folders to ingest (default: everything below data/raw).
        unit: segmentation level, overriding thematic.toml (turn, paragraph, sentence).
        progress: called with each file's path once it is done (drives a progress bar).
        force: re-read files even when their bytes and settings are unchanged.
        allow_outside: also read files that resolve outside the study folder (symlinks); refused by default.
        prune: remove the stored documents whose files are gone from data/raw (a withdrawn interview):
            they stop counting; their codings are kept in the log, flagged ``orphaned``.
        purge: with prune, erase those documents (and any pruned before) from the store entirely:
            text, codings and the text of their logged events (consent withdrawn); the vector and
            model caches are cleared, and the report lists the backups that still hold them.

    Returns:
        An IngestReport with one row per file; failures are rows, never exceptions.

    Raises:
        InputError: participants.csv or the pseudonym key is invalid (nothing is ingested).
    """
    study = context_of(study)
    settings = study.config.ingest
    unit = check_unit(unit or settings.unit)
    roster = load_roster(study.paths.participants_csv, study.config.limits, root=study.root,
                         allow_outside=allow_outside)
    key = PseudonymKey.load(key_path(study))
    previous = key.entries()  # before this run assigns participant ids: re-anchoring maps old pseudonyms to new
    stored = study.store.document_hashes()
    stored_by_path = {path: doc_id for doc_id, (path, _) in stored.items()}
    paths = None if paths is None else list(paths)  # read twice: for the inputs and for the REFI files passed over
    files, rows = input_files(study, paths, allow_outside=allow_outside)
    unmatched = unmatched_sections(study, files, stored)  # E120 before anything is read or changed
    passed_over = passed_over_warnings(study.root, [study.paths.raw] if paths is None else [p for p in paths if Path(p).is_dir()])
    moved, renamed = _follow_moves(study, files, stored, stored_by_path)
    ner = settings.pseudonymise and settings.ner
    unchanged, pending = [], []
    docs = study.store.documents()
    imported = frozenset(docs.loc[docs["format"] == "refi", "document_id"].astype(str))
    for ctx in _contexts(study, files, stored_by_path):
        old_path = (moved.get(ctx.display) or renamed.get(ctx.display) or (None, None))[1]
        ctx, roster_note = _keep_roster_mapping(ctx, old_path, roster, study)
        try:
            job = _plan(study, ctx, unit=unit, roster=roster, stored=stored, force=force or ctx.display in moved,
                        imported=imported)
        except _RECOVERABLE as exc:
            rows.append(_failed(ctx, exc))
            _call(progress, ctx.display)
            continue
        if roster_note:
            job.notes.append(roster_note)
        if ctx.display in moved:
            job.notes.append(Warnings.W113.format(path=ctx.display, old=moved[ctx.display][1], document=ctx.document_id))
        elif ctx.display in renamed:
            job.notes.append(Warnings.W115.format(path=ctx.display, old=renamed[ctx.display][1],
                                                  previous=renamed[ctx.display][0], document=ctx.document_id))
        if job.status == "unchanged":
            unchanged.append(job)
        else:
            pending.append(job)  # every file is read before any is stored: names first, NER over all at once
    if pending and settings.pseudonymise:
        key.reserve(_labels_in_study(study.store, pending, roster))
        unchanged = _reread_mentions(study, pending, unchanged, unit=unit, roster=roster, key=key, rows=rows)
    roster_name = (roster_file(study.paths.participants_csv) or study.paths.participants_csv).name
    n_participants, roster_notes = _save_roster(study.store, roster, key, settings, roster_name)  # names in key
    rows.extend(_unchanged_rows(study.store, unchanged))
    for job in unchanged:
        _call(progress, job.ctx.display)
    if pending:
        if ner:
            _with_entities(pending)
        rows.extend(_run(study, job, unit=unit, roster=roster, key=key, previous=previous, progress=progress)
                    for job in pending)
    seen = {r.path for r in rows}
    missing = () if paths is not None else tuple(
        sorted(p for p in stored_by_path if p not in seen and p.startswith("data/raw/")))
    rows.sort(key=lambda r: (r.status == "failed", r.path))
    pruned: tuple[str, ...] = ()
    if (prune or purge) and missing:
        with study.store.transaction():
            for path in missing:
                study.store.delete_document(stored_by_path[path])
        missing, pruned = (), missing
    purged = _purge(study, [stored_by_path[p] for p in pruned]) if purge else ((), 0, (), (), ())
    with study.store.transaction():
        record_failures(study.store, study.root, rows, full=paths is None)
    if paths is None and not any(r.status == "failed" for r in rows):
        study.store.retire_stored_participants()
    roster_path = roster_file(study.paths.participants_csv) or study.paths.participants_csv
    checks = study_warnings(study.store, roster_path, roster_ids=roster.ids,
                            has_roster=bool(roster.participants))
    return IngestReport(tuple(rows), n_participants, missing, str(key_path(study)),
                        key.warnings + roster.warnings + tuple(roster_notes) + tuple(unmatched) + passed_over,
                        tuple(checks), pruned, *purged)


def _purge(study: StudyContext, pruned: Sequence[str]
           ) -> tuple[tuple[str, ...], int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Erase the pruned documents and those pruned before (codings of no stored document), and the logged words
    of screened-out respondents' codings; returns (documents, codings removed, backups that still hold them,
    respondents, files under reports/ written before the purge)."""
    import shutil
    import time

    started = time.time()
    store = study.store
    known = set(store.document_hashes())
    orphans = sorted(({str(d) for d in store.codings()["document_id"]} | store.parked_documents()) - known)
    docs = tuple(dict.fromkeys([*pruned, *orphans]))
    respondents, n_screened = _purge_screened_out(store)
    if not docs and not respondents:
        return (), 0, (), (), ()
    n = store.purge_documents(docs, actor=ACTOR) if docs else 0
    for doc in docs:
        store.delete_meta(_META_PREFIX + doc)
    store.compact()
    for cache in (study.paths.coded / "cache", study.paths.coded / "models"):
        shutil.rmtree(cache, ignore_errors=True)
    backups = study.paths.coded / "backups"
    held = tuple(sorted(p.relative_to(study.root).as_posix() for p in backups.glob("*")) if backups.is_dir() else ())
    return docs, n + n_screened, held, respondents, _reports_before(study, started)


def _reports_before(study: StudyContext, when: float) -> tuple[str, ...]:
    """Files under the study's reports/ folder last written before ``when`` (thematic's appendix, workbook and
    sample sheets among them), relative to the study folder."""
    folder = study.paths.reports
    if not folder.is_dir():
        return ()
    out = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime <= when:
                out.append(path.relative_to(study.root).as_posix())
        except OSError:
            continue
    return tuple(sorted(out))


def _purge_screened_out(store: "Store") -> tuple[tuple[str, ...], int]:
    """Redact the logged text and memos of codings removed because their respondent was screened out (the
    events stay, so the log still replays), as ``purge_documents`` does for a whole file; returns
    (``document: respondent`` purged, codings)."""
    events = store.events()
    marked = events[(events["kind"] == "remove") & events["note"].fillna("").str.startswith(_SCREENED_PREFIX)]
    if marked.empty:
        return (), 0
    done = set(store.purge_coding_words(marked["coding_id"], actor=ACTOR,
                                        note="purged: the respondent was screened out (consent withdrawn)"))
    who = [f"{json.loads(payload).get('document_id')}: "
           f"{str(note)[len(_SCREENED_PREFIX):].split(' is excluded')[0]}"
           for cid, note, payload in zip(marked["coding_id"], marked["note"], marked["payload"]) if str(cid) in done]
    return tuple(dict.fromkeys(who)), len(done)


#: Kinds of the pseudonym key whose real names must not show in a document id.
_NAME_KINDS = ("speaker", "interviewer", "person")


def _name_in_id(document_id: str, key: PseudonymKey) -> str | None:
    """The pseudonym of a real name whose word (3 letters or more) the document id spells, else None."""
    words = set(document_id.split("-"))
    for _, real, pseudonym in key.entries(_NAME_KINDS):
        slug = slugify(real)
        if slug != "document" and any(len(w) >= 3 and w in words for w in slug.split("-")):  # not the empty slug's
            return pseudonym
    return None


def _follow_moves(study: StudyContext, files: Sequence[Path], stored: Mapping[str, tuple[str, str]],
                  stored_by_path: dict[str, str]) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Moved or renamed files, ``({new path: (id, old path)} that keep their document, the same for those renamed
    before anything referred to them)``; ``stored_by_path`` is updated, and the latter's old documents removed."""
    moved = _moved(study, files, stored, stored_by_path)
    renamed = {new: found for new, found in moved.items() if not study.store.document_in_use(found[0])}
    for new, (doc_id, old) in moved.items():
        del stored_by_path[old]
        if new in renamed:
            study.store.delete_document(doc_id)  # nothing refers to it: the file takes its new name
        else:
            stored_by_path[new] = doc_id
    return {new: found for new, found in moved.items() if new not in renamed}, renamed


def _moved(study: StudyContext, files: Sequence[Path], stored: Mapping[str, tuple[str, str]],
           stored_by_path: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """New files that are a stored document whose file is gone (moved or renamed): {new path: (id, old path)}.

    Only an unambiguous match counts: one gone document with the file's exact bytes, and one new file.
    """
    gone = {h: [] for _, h in stored.values()}  # type: dict[str, list[tuple[str, str]]]
    for doc_id, (path, digest) in stored.items():
        if not (study.root / path).exists():
            gone[digest].append((doc_id, path))
    gone = {h: docs for h, docs in gone.items() if len(docs) == 1}
    if not gone:
        return {}
    found: dict[str, list[str]] = {}
    for f in files:
        display = _names(study, f)[0]
        if display in stored_by_path:
            continue
        try:
            digest = content_hash(f.read_bytes()) if f.stat().st_size <= study.config.limits.max_file_bytes else ""
        except OSError:
            continue
        if digest in gone:
            found.setdefault(digest, []).append(display)
    return {news[0]: gone[h][0] for h, news in found.items() if len(news) == 1}


def _call(progress: Callable[[str], None] | None, path: str) -> None:
    if progress is not None:
        progress(path)


__all__ = ["IngestReport", "IngestRow", "fingerprint", "ingest", "input_files", "key_path"]
