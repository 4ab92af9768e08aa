"""Import a REFI-QDA project or codebook into a study (new or existing), all or nothing.

Steps: load and parse the file safely, back up a study that holds documents, then in one write
transaction plan every record on what the store holds then (nothing written yet), write the files to
temporary names, store the records, and move the files into place just before the commit. A failure at
any step leaves the study as it was (a study created for the import is removed).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .._atomic import publish
from .._files import process_alive
from ..config import CONFIG_NAME
from ..context import (HasContext, StudyContext, context_of, create_study_folder, find_study_root,
                       open_context)
from ..errors import Errors, NotFoundError, Warnings
from ..models import Document, Participant
from ..store import Store
from .load import LoadedRefi, load_refi
from .plan import ImportPlan, Planner
from .pseudonyms import ImportPseudonyms
from .report import ImportReport
from .safety import DEFAULT_LIMITS, Limits, RefiError
from .text import slugify

Target = StudyContext | HasContext | str | Path | None


def _open_target(target: Target, create: bool) -> tuple[StudyContext, bool, bool, list[Path]]:
    """The study to import into (created when ``target`` holds none and ``create`` allows it): its
    context, whether it was created, whether its store was opened here (to close), what was made."""
    if isinstance(target, (StudyContext, HasContext)):
        return context_of(target), False, False, []
    if target is None:
        return open_context(find_study_root()), False, True, []
    root = Path(target)
    if (root / CONFIG_NAME).is_file():
        return open_context(root), False, True, []
    if not create:
        raise RefiError(Errors.E511.format(path=root, detail="it holds no study (thematic.toml); use --into to create one"))
    before = set(root.iterdir()) if root.is_dir() else None
    study = open_context(create_study_folder(root))
    made = [root] if before is None else sorted(set(root.iterdir()) - before)
    return study, True, True, made


IMPORTED_CODEBOOKS = "imported"  # codebooks/imported/: beside the study's codebook, never chosen in its place


def _current_code_ids(path: Path | None) -> set[str] | None:
    """The code ids of the study's codebook at ``path``; None when there is none (or it cannot be read)."""
    if path is None or not path.is_file():
        return None
    from ..codebook import load_codebook
    from ..errors import ThematicError

    try:
        return {code.id for code in load_codebook(path)}
    except (ThematicError, OSError, ValueError):
        return set()


def _in_study_codebook(study: StudyContext, plan: ImportPlan) -> set[str]:
    """Read the plan's codings in the codebook the study keeps (see ``study_codebook``); returns the file's ids read
    through its changes log. A study without a codebook, or whose codebook cannot be read, changes nothing."""
    from ..codebook import load_codebook
    from ..errors import ThematicError
    from .study_codebook import into_study_codebook

    path = study.codebook_path
    if path is None or not path.is_file():
        return set()
    try:
        codebook = load_codebook(path)
    except (ThematicError, OSError, ValueError):
        return set()
    return into_study_codebook(plan, codebook)


def _codebook_file(study: StudyContext, plan: ImportPlan, name: str, through: set[str] | None = None) -> Path | None:
    """Where the imported codebook goes, and a note saying so; None when nothing needs writing.

    A study without a codebook gets it as its codebook. A study with one keeps it: codes already in it
    are reused, ids its changes log took away since the file was made (``through``) are read through it,
    and only when the file brings new codes is its codebook written to codebooks/imported/
    (a folder no study reads its codebook from), with a note of what to merge.
    """
    default = study.codebook_path  # the setting's file, or the only YAML in codebooks/; None when ambiguous
    current = _current_code_ids(default)
    if current is None and default is not None:
        return default
    skip = plan.codebook.omitted | (through or set())  # never defined, or read through the log: nothing to copy
    imported = sorted(set(plan.codebook.code_ids.values()) - skip)
    new = [c for c in imported if c not in (current or set())]
    shown = default.relative_to(study.root).as_posix() if default is not None else "(none: several YAML files)"
    if not new:
        held = f"already holds all {len(imported)} code(s) of the file"
        if through:
            held = (f"holds {len(imported)} code(s) of the file and reads its {len(through)} other(s) through its "
                    "changes log")
        plan.report.notes.append(f"The study's codebook {shown} {held}; it was left as it is.")
        return None
    folder = study.paths.codebooks / IMPORTED_CODEBOOKS
    candidate, n = folder / f"{name}.yaml", 2
    while candidate.exists() and not _same_import(candidate, plan.codebook.yaml_text):
        candidate, n = folder / f"{name}-{n}.yaml", n + 1
    listed = ", ".join(new[:10]) + (f" and {len(new) - 10} more" if len(new) > 10 else "")
    plan.report.notes.append(
        f"{len(new)} code(s) of the file are not in the study's codebook {shown}: {listed}. The study still uses "
        f"{shown}; the file's codebook was written to {candidate.relative_to(study.root).as_posix()}. Copy the codes "
        f"you want into {shown} (their codings wait for them: `thematic codebook show` lists stray codes).")
    return candidate


#: The import date in an imported codebook's description: a copy that differs only there is the same codebook.
_IMPORT_DATE = re.compile(r"(\son\s+)\d{4}-\d{2}-\d{2}\.")


def _same_import(path: Path, text: str) -> bool:
    """Whether ``path`` already holds this imported codebook (made on another day counts: only the date differs)."""
    try:
        held = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return False
    return _IMPORT_DATE.sub(r"\1DATE.", held) == _IMPORT_DATE.sub(r"\1DATE.", text)


def _files(study: StudyContext, plan: ImportPlan, codebook_path: Path | None) -> dict[Path, str]:
    files = {study.root / rel: text for rel, text in plan.raw_files.items()}
    if plan.codebook.yaml_text and codebook_path is not None and not (
            codebook_path.parent.name == IMPORTED_CODEBOOKS and codebook_path.exists()
            and _same_import(codebook_path, plan.codebook.yaml_text)):
        files[codebook_path] = plan.codebook.yaml_text
    if plan.notes_markdown and (memo := _memo_file(study.root / "memos", plan)) is not None:
        files[memo[0]] = memo[1]
    return files


#: Where each note's section (``## name``) begins in the notes an import writes to memos/.
_NOTE_SECTION = re.compile(r"(?m)^(?=## )")


def _memo_file(memo_dir: Path, plan: ImportPlan) -> tuple[Path, str] | None:
    """Where the file's loose notes go (``memos/<file>.md``, else the next ``<file>-N.md``) and what goes there: the
    notes less those a file in memos/ already holds word for word (the same file imported again, a study's own
    export of notes an import wrote); None when none is new."""
    name = slugify(plan.report.path.stem, sep="-", fallback="refi")
    head, *sections = _NOTE_SECTION.split(plan.notes_markdown or "")
    held: set[str] = set()
    for path in sorted(memo_dir.glob("*.md")) if memo_dir.is_dir() else []:
        try:
            held.update(s.strip() for s in _NOTE_SECTION.split(path.read_text(encoding="utf-8"))[1:])
        except (OSError, UnicodeError):
            continue
    new = [s for s in sections if s.strip() not in held]
    if not new:
        return None
    text = head + "".join(new).rstrip("\n") + "\n"
    target, n = memo_dir / f"{name}.md", 2
    while target.exists():
        target, n = memo_dir / f"{name}-{n}.md", n + 1
    return target, text


#: Staged copies are named ``.thematic-refi-PID-NAME.XXXX.tmp``: a crashed import's are removed by the next one.
STAGE_PREFIX = ".thematic-refi-"
#: A REFI project's cases rank after participants.csv and survey files (see ``thematic.ingest.run``).
REFI_RANK = 30


def _clean_stale(folders: list[Path]) -> int:
    """Remove staged copies left by imports whose process is gone; returns how many."""
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for tmp in folder.rglob(f"{STAGE_PREFIX}*.tmp"):
            pid = tmp.name[len(STAGE_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not process_alive(int(pid)):
                tmp.unlink(missing_ok=True)
                removed += 1
    return removed


def _stage(files: dict[Path, str]) -> dict[Path, Path]:
    """Write each file to a temporary sibling; returns {final path: temporary path}."""
    staged: dict[Path, Path] = {}
    try:
        for final, text in files.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-{final.name}.", suffix=".tmp",
                                       dir=final.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            staged[final] = Path(tmp)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    return staged


def _store_participants(store: Store, plan: ImportPlan) -> dict[str, Any] | None:
    """The file's cases as the participant source ``refi:<file name>``, keeping what an earlier import of a file of
    that name said of participants this one holds no case for (another project may share the name: W514). Returns
    what changed, as {"source", "before", "after": {participant id: attributes, None for none}}; None for nothing."""
    source = f"refi:{plan.report.path.name}"
    named = {p.id for p in plan.participants}
    earlier = store.participant_sources()
    kept = [Participant(str(row.participant_id), row.attributes)
            for row in earlier.loc[earlier["source"] == source].itertuples() if row.participant_id not in named]
    if kept:
        plan.report.notes.append(Warnings.W514.format(file=plan.report.path.name,
                                                      ids=", ".join(p.id for p in kept)))
    store.set_participant_source(source, [*kept, *plan.participants], REFI_RANK)
    was = {str(r.participant_id): r.attributes for r in earlier.loc[earlier["source"] == source].itertuples()}
    held = store.participant_sources()
    now = {str(r.participant_id): r.attributes for r in held.loc[held["source"] == source].itertuples()}
    changed = sorted(pid for pid in was.keys() | now.keys() if was.get(pid) != now.get(pid))
    return {"source": source, "before": {p: was.get(p) for p in changed},
            "after": {p: now.get(p) for p in changed}} if changed else None


def _batch_params(plan: ImportPlan, cases: dict[str, Any] | None) -> dict[str, Any]:
    """The import batch's params: the file, and what the import makes beside its codings (each document with the
    hash of the text written for it, the cases it changed, the other files it wrote), so an undo takes them back."""
    return {"file": plan.report.path.name,
            **({"documents": {d.id: {"path": d.path, "sha256": d.content_hash} for d in plan.documents}}
               if plan.documents else {}),
            **({"cases": cases} if cases else {}), **({"files": plan.written} if plan.written else {})}


def _store_two_coders(store: Store, plan: ImportPlan, batch: str) -> None:
    """What each coder saw (tied to the import's batch, so undoing it forgets them) and the consensus decisions,
    less what the study already records (the same file imported again adds nothing)."""
    held = set(zip(*(store.coverage()[c].astype(str) for c in ("coder", "segment_id"))))
    groups: dict[tuple[str, str], list[str]] = {}
    for coder, segment, source in plan.seen:
        if (coder, segment) not in held:
            groups.setdefault((coder, source), []).append(segment)
    seen = sum(store.mark_seen(ids, coder=coder, source=source, batch_id=batch)
               for (coder, source), ids in sorted(groups.items()))
    keys = ("consensus", "coders", "segment_id", "code_id", "applied", "memo", "decided_by", "route")

    def key(row: Any) -> tuple[str, ...]:
        return tuple("" if row[k] is None else str(int(row[k]) if k == "applied" else row[k]) for k in keys)

    logged = {key(r) for r in store.decisions().to_dict("records")}
    new = [d for d in plan.decisions if key(d) not in logged]
    store.add_decisions(new)
    if seen:
        plan.report.imported["segments recorded as seen"] = seen
    if new:
        plan.report.imported["consensus decisions"] = len(new)


def _reviewer_notes(plan: ImportPlan) -> dict[str, str]:
    """Take the reviewer's line off each accepted suggestion's memo (so only the suggester's evidence is stored as
    the suggestion's, as ``owner.suggester_evidence`` reads it); returns {planned id: the memo as exported}."""
    notes: dict[str, str] = {}
    for i, c in enumerate(plan.codings):
        reviewer = plan.accepted.get(c.id)
        if reviewer is None or not c.memo:
            continue
        line = f"{reviewer}: "
        cut = 0 if c.memo.startswith(line) else c.memo.find("\n" + line)
        if cut < 0:
            continue
        notes[c.id] = c.memo
        plan.codings[i] = dataclasses.replace(c, memo=c.memo[:cut] or None)
    return notes


def _store(study: StudyContext, plan: ImportPlan) -> None:
    store = study.store
    with store.transaction():
        for doc in plan.documents:
            store.save_document(doc)
        cases = _store_participants(store, plan) if plan.participants else None
        batch = store.new_batch("refi-import", actor="refi", params=_batch_params(plan, cases))
        notes = _reviewer_notes(plan)
        stored: dict[str, str] = {}  # planned id -> the id the store gave the coding (a coder re-spelt, a salt)
        added, skipped = store.add_codings(plan.codings, batch_id=batch, actor="refi", stored=stored)
        by_reviewer: dict[str, list[str]] = {}
        for cid, reviewer in plan.accepted.items():
            if cid in stored:
                by_reviewer.setdefault(reviewer, []).append(stored[cid])
        for reviewer, ids in sorted(by_reviewer.items()):  # an accepted suggestion comes back accepted by its reviewer
            store.set_status(sorted(ids), "accepted", actor=reviewer, batch_id=batch,  # the import's, undone with it
                             note=f"accepted before export ({plan.report.path.name})")
        # then the reviewer's line, as an accept with a memo sets it; in no batch, so that an undo which keeps a
        # coding its coder coded again by hand does not put back the memo from before it
        for reviewer in sorted(by_reviewer):
            memos = {stored[cid]: {"memo": memo} for cid, memo in notes.items()
                     if cid in stored and plan.accepted[cid] == reviewer}
            if memos:
                store.update_codings(memos, kind="memo", actor=reviewer,
                                     note=f"memo before export ({plan.report.path.name})")
        by_flag: dict[str, list[str]] = {}
        for cid, flag in plan.flagged.items():
            if cid in stored:
                by_flag.setdefault(flag, []).append(stored[cid])
        for flag, ids in sorted(by_flag.items()):
            store.flag_codings(sorted(ids), flag, actor="refi")
        _store_two_coders(store, plan, batch)
    plan.report.batch_id = batch
    plan.report.imported.update(codings=added, **({"codings already present": skipped} if skipped else {}))


def _study_limits(target: Target) -> Limits:
    """The REFI read limits from the target study's ``[limits]`` (the defaults for a new study): ``max_file_mb``
    caps the XML and each member or source, ``max_archive_mb`` the whole archive."""
    from dataclasses import replace

    from .._limits import DEFAULT_SIZE_LIMITS
    from ..config import CONFIG_NAME, load_config

    root = Path(target) if isinstance(target, (str, Path)) else getattr(target, "root", None)
    config = root / CONFIG_NAME if root is not None else None
    study = load_config(config).limits if config is not None and config.is_file() else DEFAULT_SIZE_LIMITS
    return replace(DEFAULT_LIMITS, max_xml_bytes=study.max_file_bytes, max_member_bytes=study.max_file_bytes,
                   max_total_bytes=study.max_archive_bytes, from_study=True)


def import_refi(
    path: str | Path,
    target: Target = None,
    *,
    create: bool = True,
    limits: Limits | None = None,
) -> ImportReport:
    """Import a REFI-QDA file (.qdpx, .qde or .qdc) into a study and report what was carried over.

    Args:
        path: the file exported by NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette or thematic.
        target: a Study (or its StudyContext), or a folder (a study, or where to create one), or None for the nearest study.
        create: create a study at ``target`` when it holds none.
        limits: safety limits on decompressed sizes (default: the study's ``[limits]``: ``max_file_mb`` caps the XML
            and each member, ``max_archive_mb`` the archive).

    Returns:
        An ImportReport: counts found and imported, quote checks, and what could not be carried over.

    Example:
        >>> report = import_refi("nvivo-export.qdpx", "my-study")
        >>> report.imported["codings"], report.not_carried_over
    """
    if limits is None:
        limits = _study_limits(target)
    loaded = load_refi(path, limits=limits)
    try:
        study, created, owned, made = _open_target(target, create)
        try:
            report = _import(loaded, study)
        except BaseException:
            if owned:
                study.store.close()
            if created:
                for p in made:
                    shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
            raise
        if owned:
            study.store.close()
    finally:
        loaded.close()
    report.created_study = created
    return report


def _import(loaded: LoadedRefi, study: StudyContext) -> ImportReport:
    project = loaded.project
    if not study.config.ingest.pseudonymise or not (project.sources or project.cases):  # no text or case names
        return _import_with(loaded, study, None)
    from ..ingest.participants import load_roster
    from ..ingest.pseudonymise import PseudonymKey
    from ..ingest.run import key_path

    key = PseudonymKey.load(key_path(study))
    roster = load_roster(study.paths.participants_csv, study.config.limits, root=study.root)
    with key.locked():  # another ingest's or import's new pseudonyms are read first; ours saved before it is freed
        segs = study.store.segments(with_text=False)
        in_use = {str(x) for col in ("speaker", "participant_id") for x in segs[col].dropna().unique()}
        pseudonyms = ImportPseudonyms(key, study.config.ingest, roster.names, in_use | set(roster.ids))
        report = _import_with(loaded, study, pseudonyms)
    report.notes.extend(key.warnings)
    what = ", ".join(f"{n} {kind}" for kind, n in sorted(pseudonyms.counts.items()))
    done = [f"{what} replacement(s) in {pseudonyms.documents} text(s)" if what else "",
            f"{len(pseudonyms.case_ids)} case(s) named after a person stored under their pseudonym"
            if pseudonyms.case_ids else "",
            f"names replaced in {pseudonyms.rewritten} memo(s), description(s) or attribute value(s)"
            if pseudonyms.rewritten else ""]
    if any(done):
        report.notes.insert(0, f"Pseudonymised as ingest does (pseudonymise = true): {'; '.join(x for x in done if x)}. "
                               f"Key: {key.path} (never exported).")
    if study.config.ingest.ner and report.imported.get("documents"):
        report.notes.append(Warnings.W509.format(n=report.imported["documents"]))
    return report


def _import_with(loaded: LoadedRefi, study: StudyContext, pseudonyms: ImportPseudonyms | None) -> ImportReport:
    """Back the study's store up (when it holds documents), then plan every record and store it in one write
    transaction: a re-ingest or import committed meanwhile is planned on, never written over at stale offsets."""
    store = study.store
    backup = store.backup(reason="before-refi-import") if not store.documents().empty else None
    with store.transaction():
        report = _plan_and_store(loaded, study, pseudonyms)
    report.backup = backup
    return report


def _plan_and_store(loaded: LoadedRefi, study: StudyContext, pseudonyms: ImportPseudonyms | None) -> ImportReport:
    store = study.store
    ids = set(store.documents()["document_id"].astype(str))

    def existing(doc_id: str) -> Document | None:
        try:
            return store.document(doc_id)
        except NotFoundError:
            return None

    name = slugify(loaded.project.name or loaded.path.stem, sep="-", fallback="refi-import")
    planner = Planner(loaded, existing=existing, existing_ids=ids,
                      existing_participants={p.id: p for p in store.participant_records()}, codebook_name=name,
                      ingest_settings=study.config.ingest, pseudonyms=pseudonyms, consensus=study.config.consensus)
    plan = planner.plan()
    through = _in_study_codebook(study, plan)
    codebook_path = _codebook_file(study, plan, name, through) if plan.codebook.yaml_text else None
    _clean_stale([study.paths.raw, study.paths.codebooks])
    staged = _stage(_files(study, plan, codebook_path))
    raw = {study.root / rel for rel in plan.raw_files}
    plan.written = sorted(os.path.relpath(p, study.root).replace(os.sep, "/") for p in staged if p not in raw)
    try:
        with store.transaction():
            _store(study, plan)
            if pseudonyms is not None:
                pseudonyms.key.save()  # before the commit: a pseudonym is never stored without its key entry
            for final, tmp in staged.items():  # the raw files exist before the documents commit
                publish(tmp, final)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    plan.report.study_root = study.root
    plan.report.codebook_path = codebook_path
    return plan.report
