"""Turning the rows of an imported coding sheet into store writes (the domain rules of an import).

Each row says which codes its segment should carry for one coder. Compared with what the coder
has in the store, that gives codings to add, codings to remove (only ones that were on the sheet: the
coder's when it was exported, a suggestion counting from when they accepted it, or added since by an
import of this same sheet, say its first version; work done elsewhere since is never undone, and each
such coding left unticked is reported, W351) and memo edits. Ticks keep the same rule: a coding the coder
lost since the export (removed, or rejected) is not coded again by a row that ticks it, but reported (W555).
An unticked suggestion the coder had accepted is rejected by them instead of removed (as ``manual.uncode``
does), so no suggester stores it again.
The comparison and the writes happen in one transaction (``sheet.import_sheet`` opens it), so what is
written is planned from what is stored then; the writes form one batch, so the import can be undone (the
rejections become accepted again).
"""

from __future__ import annotations

import json
import re
import shlex
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

import pandas as pd

from ..codebook import Codebook
from ..errors import Problem, Warnings
from ..models import COUNTED_STATUSES, Coding, Provenance
from ..store import Store
from ._sheet_report import SheetImportReport
from .owner import coder_words, suggester_evidence


@dataclass(slots=True)
class RowPlan:
    """One sheet row: its segment, the codes it should carry, and its memo (None: no memo column)."""

    row: int
    segment_id: str
    document_id: str
    start: int
    end: int
    text: str
    wanted: set[str]
    memo: str | None
    existing: list[dict[str, Any]] = field(default_factory=list)


def assign_to_segments(codings: pd.DataFrame, segments: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Codings grouped by the segment that contains them (a coding across segments belongs to none)."""
    by_doc: dict[str, tuple[list[int], list[int], list[str]]] = {}
    for doc, g in segments.sort_values(["document_id", "start"]).groupby("document_id", sort=False):
        by_doc[str(doc)] = (g["start"].astype(int).tolist(), g["end"].astype(int).tolist(),
                            g["segment_id"].astype(str).tolist())
    out: dict[str, list[dict[str, Any]]] = {}
    for row in codings.to_dict("records"):
        starts, ends, ids = by_doc.get(str(row["document_id"]), ([], [], []))
        i = bisect_right(starts, int(row["start"])) - 1
        if i >= 0 and int(row["end"]) <= ends[i]:
            out.setdefault(ids[i], []).append(row)
    return out


def _memo_of(rows: list[dict[str, Any]]) -> str:
    memos = (r.get("memo") for r in rows)
    return "; ".join(dict.fromkeys(m for m in memos if isinstance(m, str) and m))


def _shows(cell: str, rows: list[dict[str, Any]]) -> bool:
    """Whether a memo cell shows the memos of ``rows`` as an export wrote them: whole, or cut at a cell's limit."""
    from ._sheet_xlsx import clean_cell_text

    joined, parts = _memo_of(rows), _memo_parts(cell)
    return parts == _memo_parts(joined) or parts == _memo_parts(clean_cell_text(joined))


def _memo_parts(text: str | None) -> set[str]:
    """A memo as its parts: a sheet joins a segment's memos with '; ', a merge joins them with new lines."""
    return {" ".join(part.split()) for part in re.split(r"[;\r\n]", text or "") if part.strip()}


def _owns(state: dict[str, Any] | None, coder: str) -> bool:
    """Whether a coding in this state counts as ``coder``'s (a suggestion they accepted included; see owner.py)."""
    return state is not None and state.get("status") in COUNTED_STATUSES and (
        state.get("coder") == coder or (state.get("status") == "accepted" and state.get("reviewer") == coder))


@dataclass(frozen=True, slots=True)
class _AtExport:
    """A coding as an export saw it: when it last became the coder's (and the batch that made it so), and its
    memo then (None: not theirs)."""

    since: datetime
    memo: str | None
    batch: str | None = None


def _replay(state: dict[str, Any] | None, kind: str, data: dict[str, Any]) -> dict[str, Any] | None:
    """A coding's row after one logged event: an add sets it, a remove clears it, any other applies its after-values."""
    if kind == "add":
        return dict(data)
    if kind == "remove":
        return None
    if state is not None:
        state.update(data.get("after") or {})
    return state


def _at_export(store: Store, row: dict[str, Any], coder: str, stamp: datetime) -> _AtExport:
    """Replay ``row``'s events up to ``stamp``: a suggestion became the coder's when they accepted it, not
    when the suggester stored it. A coding with no such event logged falls back on ``created_at``."""
    state: dict[str, Any] | None = None
    then: dict[str, Any] | None = None
    since: str | None = None
    batch: str | None = None
    events = store.events(coding_id=str(row["coding_id"]))
    for kind, at, payload, by in zip(events["kind"], events["at"], events["payload"], events["batch_id"]):
        data = json.loads(payload)
        was = _owns(state, coder)
        state = _replay(state, kind, data)
        if _owns(state, coder) and not was:
            since, batch = str(at), (str(by) if isinstance(by, str) else None)
        if datetime.fromisoformat(str(at)) <= stamp:
            then = dict(state) if state is not None else None
    if since is None:  # no event log for it: as before, its creation counts
        since = str(row["created_at"])
        batch = row["batch_id"] if isinstance(row.get("batch_id"), str) else None
        then = row if datetime.fromisoformat(since) <= stamp else None
    memo = then.get("memo") if then is not None and _owns(then, coder) else None
    return _AtExport(datetime.fromisoformat(since), memo, batch)


def same_sheet_batches(store: Store, coder: str, exported_at: datetime | None) -> set[str]:
    """The standing batches of earlier imports by ``coder`` of a sheet with this export stamp (an earlier
    version of the same sheet): what they added was on the sheet, so the coder's unticks can remove it."""
    if exported_at is None:
        return set()
    stamp = exported_at.isoformat()
    b = store.batches()
    b = b.loc[b["kind"].astype(str).str.startswith("sheet:") & (b["actor"] == coder) & b["undone_at"].isna()]
    return {str(bid) for bid, params in zip(b["batch_id"], b["params"])
            if json.loads(params or "{}").get("exported_at") == stamp}


@dataclass(frozen=True, slots=True)
class _Lost:
    """A coding of the coder's lost after an export and not had again: its span and quote, and what happened."""

    start: int
    end: int
    text: str
    verb: str
    how: str


#: Code ids the codebook's changes log moved since a version: old id -> (its id now, or None; what happened).
ChangesSince = Callable[[str | None], dict[str, tuple[str | None, str]]]
#: Events that can take a coding from its coder (a removal, a status or reviewer changed).
_LOSING = ("remove", "reject", "accept", "status")


def lost_since(store: Store, coder: str, exported_at: datetime, earlier: set[str],
               changes_since: ChangesSince) -> dict[tuple[str, str], list[_Lost]]:
    """``coder``'s codings that stopped being theirs after ``exported_at`` (removed, or an accepted suggestion
    rejected) and are not theirs again, by (document, code id now: an id renamed or merged since the coding's codebook
    version is read through ``changes_since``, see ``sheet.moved_since``). A step of a batch since undone counts as never taken (an undo puts back what was before), and one
    by an import of this same sheet (``earlier``: the newest version of a sheet decides) as no loss."""
    events = store.events()
    losing = events.loc[events["kind"].isin(_LOSING)]
    ids = {cid for cid, at in zip(losing["coding_id"], losing["at"]) if datetime.fromisoformat(str(at)) > exported_at}
    if not ids:
        return {}
    b = store.batches()
    undone = set(b.loc[b["undone_at"].notna(), "batch_id"].astype(str))
    moved: dict[Any, dict[str, tuple[str | None, str]]] = {}
    out: dict[tuple[str, str], list[_Lost]] = {}
    for _, rows in events.loc[events["coding_id"].isin(ids)].groupby("coding_id", sort=False):
        state: dict[str, Any] | None = None
        lost: tuple[dict[str, Any], str, str] | None = None
        for kind, at, payload, by, actor, note in zip(rows["kind"], rows["at"], rows["payload"], rows["batch_id"],
                                                      rows["actor"], rows["note"]):
            data = json.loads(payload)
            if kind == "remove":
                state = dict(data)  # the whole row as it was removed
            was, before = _owns(state, coder), dict(state or {})
            state = _replay(state, kind, data)
            batch = str(by) if isinstance(by, str) else None
            if was == _owns(state, coder) or batch in undone:
                continue
            if was and batch not in earlier and datetime.fromisoformat(str(at)) > exported_at:
                verb = "removed" if state is None else "rejected" if state.get("status") == "rejected" else "taken off"
                said = (f"{str(at)[:16].replace('T', ' ')} UTC by {actor}", note if isinstance(note, str) else "",
                        f"batch {batch}" if batch else "")
                how = ", ".join(x for x in said if x)
                lost = (before, verb, how)
            else:
                lost = None
        if lost is None or _owns(state, coder):
            continue
        row, verb, how = lost
        version = row.get("codebook_version")
        if version not in moved:
            moved[version] = changes_since(version if isinstance(version, str) else None)
        code = moved[version].get(str(row["code_id"]), (str(row["code_id"]), ""))[0]
        if code is not None:
            out.setdefault((str(row["document_id"]), code), []).append(
                _Lost(int(row["start"]), int(row["end"]), str(row.get("text") or ""), verb, how))
    return out


def _accepted_by(row: dict[str, Any], coder: str) -> bool:
    """Whether ``row`` is a suggestion ``coder`` accepted (its memo starts with the suggester's evidence)."""
    reviewer = row.get("reviewer")
    return row.get("status") == "accepted" and isinstance(reviewer, str) and reviewer == coder \
        and row.get("coder") != coder


def _new_memo(store: Store, row: dict[str, Any], memo: str | None, coder: str) -> str | None:
    """The coder's words of a row's memo cell (``owner.coder_words``) as the memo of one of its codings: as written
    for the coder's own coding; beside the suggester's evidence (kept) for a suggestion they accepted."""
    from .owner import accepted_memo

    if _accepted_by(row, coder):
        return accepted_memo(store, row, memo, coder)
    return memo or None


@dataclass(slots=True)
class SheetChanges:
    """What an import writes besides its rows seen: codings to add, remove, reject (accepted suggestions
    unticked) and confirm (ticked again), and memo edits (coding id -> changes)."""

    adds: list[Coding] = field(default_factory=list)
    removes: list[str] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    memos: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether any coding changes (what the pre-import backup is made for; a confirm changes none)."""
        return bool(self.adds or self.removes or self.rejects or self.memos)


def plan_changes(store: Store, plans: list[RowPlan], *, coder: str, codebook: Codebook,
                 report: "SheetImportReport", removable: set[str], exported_at: datetime | None,
                 source_name: str, listed_only: set[str] | None = None,
                 changes_since: ChangesSince | None = None) -> SheetChanges:
    """What the rows ask for, compared with ``plan.existing`` (read in the same transaction as the write), and
    the report's counts of it: ``report.unchanged`` (ticks already stored, confirmed by the import's batch, so
    undoing the earlier batch that added them keeps them), ``report.kept`` (W351) and ``report.memos``.

    ``listed_only``: removable codes that had no column at export, whose codings the sheet showed only in ``codes``:
    one made since was never shown, so the row says nothing about it (no W351). A tick whose coding the coder lost
    after the export (``lost_since``; ``changes_since`` reads a removed coding's code id in today's codebook) is not
    coded again but named (W555, ``report.left_removed``).

    An unticked coding is removed, or rejected when it is an accepted suggestion (``report.rejected``), only
    when the sheet showed it. A memo cell that shows the row's memos as exported, whole or cut at a cell's limit, is
    no edit. A memo edit on an accepted suggestion keeps the suggester's evidence and adds the coder's note
    (``owner.accepted_memo``); the evidence of each suggestion on the row is taken out of the cell first
    (``owner.coder_words``), so no coding stores another's evidence as the coder's words. ``coder`` must be a
    person's name (E357 a suggester's, E358 a new one with a comma)."""
    coder = store.person(coder, "coder")
    out = SheetChanges()
    prov = Provenance("sheet", source_name)
    past: dict[str, _AtExport] = {}
    earlier = same_sheet_batches(store, coder, exported_at)
    lost: list[dict[tuple[str, str], list[_Lost]]] = []  # read once, when a tick would add

    def at_export(row: dict[str, Any], stamp: datetime) -> _AtExport:
        cid = str(row["coding_id"])
        if cid not in past:
            past[cid] = _at_export(store, row, coder, stamp)
        return past[cid]

    def left_removed(plan: RowPlan, code: str) -> bool:
        """Whether the coder lost this coding on the row's turn after the export: if so it stays lost (W555)."""
        if exported_at is None:
            return False
        if not lost:
            lost.append(lost_since(store, coder, exported_at, earlier, changes_since or (lambda version: {})))
        gone = [g for g in lost[0].get((plan.document_id, code), [])
                if plan.start <= g.start and g.end <= plan.end and g.text in plan.text]
        if gone:
            command = shlex.join(["thematic", "code", "add", plan.segment_id, code, "--coder", coder])
            report.left_removed.append(Problem(str(report.path), plan.row, "W555", Warnings.W555.format(
                code=code, coder=coder, segment=plan.segment_id, verb=gone[-1].verb, how=gone[-1].how,
                command=command).removeprefix("[W555] ")))
        return bool(gone)

    def on_sheet(row: dict[str, Any]) -> bool:
        """Whether the sheet showed this coding: the coder's at export, or added by an earlier version of it."""
        if exported_at is None:
            return True
        then = at_export(row, exported_at)
        return then.since <= exported_at or then.batch in earlier

    for plan in plans:
        have: dict[str, list[dict[str, Any]]] = {}
        for c in plan.existing:
            have.setdefault(str(c["code_id"]), []).append(c)
        # only a coding the sheet showed can be unticked; one coded elsewhere since the export is kept, and said
        unticked = [r for code, rows in have.items() if code not in plan.wanted and code in removable for r in rows]
        drop = [r for r in unticked if on_sheet(r)]
        report.kept_codings.extend(
            Problem(str(report.path), plan.row, "W351", Warnings.W351.format(
                code=r["code_id"], coder=coder, segment=plan.segment_id).removeprefix("[W351] "))
            for r in unticked if not on_sheet(r) and r["code_id"] not in (listed_only or set()))
        out.removes.extend(str(r["coding_id"]) for r in drop if r["status"] != "accepted")
        out.rejects.extend(str(r["coding_id"]) for r in drop if r["status"] == "accepted")
        report.unchanged += len(plan.wanted & have.keys())
        out.confirms.extend(str(r["coding_id"]) for code in sorted(plan.wanted & have.keys()) for r in have[code])
        # a cell showing the memos as exported (cut at a cell's limit or whole) is no edit: memos written since stay
        edited = plan.memo is not None and not _shows(plan.memo, plan.existing)
        if edited and exported_at is not None:
            then = [{"memo": at_export(r, exported_at).memo} for r in plan.existing]
            edited = not _shows(str(plan.memo), then)
        kept = [r for r in plan.existing if not any(r is d for d in drop)]
        # the cell shows the evidence of the row's accepted suggestions too: it is no one's note but its own
        evidence = [suggester_evidence(store, r) for r in plan.existing if _accepted_by(r, coder)]
        words = coder_words(plan.memo, evidence, coder) if edited else None
        new_memo = words if edited else coder_words(_memo_of(kept), evidence, coder)
        out.adds.extend(
            Coding(document_id=plan.document_id, start=plan.start, end=plan.end, code_id=code, coder=coder,
                   status="manual", text=plan.text, segment_id=plan.segment_id,
                   codebook_version=codebook.version, provenance=prov, memo=new_memo)
            for code in sorted(plan.wanted - have.keys()) if not left_removed(plan, code)
        )
        if edited:
            dropped = {id(r) for r in drop}
            out.memos.update({str(r["coding_id"]): {"memo": _new_memo(store, r, words, coder)}
                              for r in plan.existing if id(r) not in dropped})
        # a memo cell left as exported is no memo written: only one the coder wrote and that has no code is lost
        if plan.memo and edited and not plan.wanted and not (have.keys() - {r["code_id"] for r in drop}):
            report.unreadable.append(Problem(str(report.path), plan.row, "W346", "a memo on a row with no codes "
                                             "was not stored (memos belong to codings); add a code or move it."))
    report.memos = len(out.memos)
    return out


def write_changes(store: Store, plans: list[RowPlan], changes: SheetChanges, *, coder: str,
                  report: "SheetImportReport", exported_at: datetime | None, source_name: str) -> None:
    """Write ``changes`` and the rows seen as one batch (``report.batch_id``), which ``store.revert_batch`` undoes
    as a whole; call it in the transaction that read the store for ``plan_changes``."""
    with store.transaction():
        if plans:
            stamp = {"exported_at": exported_at.isoformat()} if exported_at is not None else {}
            report.batch_id = store.new_batch(source_name, actor=coder, params={"file": source_name, **stamp})
        report.added, skipped = store.add_codings(changes.adds, batch_id=report.batch_id, actor=coder)
        report.unchanged += skipped
        if changes.confirms:  # ticks already stored: undoing the batch that added them keeps them (revert_batch)
            store.confirm_codings(changes.confirms, actor=coder, batch_id=str(report.batch_id),
                                  note=f"ticked again in {source_name}")
        report.removed = store.remove_codings(changes.removes, actor=coder, note=f"unticked in {source_name}",
                                              batch_id=report.batch_id)
        report.rejected = store.set_status(changes.rejects, "rejected", actor=coder, batch_id=report.batch_id,
                                           note=f"unticked in {source_name}: the accepted suggestion "
                                                "is now rejected")
        if changes.memos:
            store.update_codings(changes.memos, kind="memo", actor=coder, note=f"memo edited in {source_name}",
                                 batch_id=report.batch_id)
        report.seen = store.mark_seen([p.segment_id for p in plans], coder=coder, source="sheet",
                                      batch_id=report.batch_id)


__all__ = ["RowPlan", "SheetChanges", "assign_to_segments", "plan_changes", "write_changes"]
