"""Consensus: settling two coders' disagreements into a consensus coder, with a memo per decision.

After agreement, the coders meet and settle each disputed segment. ``reconcile_items`` lists the
segments both coders saw with the codes they agree on and the codes in dispute; ``settle`` writes
the consensus coder's codings for a segment (agreed codes plus the codes kept), records it as
seen by the consensus coder (so tables count the consensus there) and stores one decision per
disputed code with its memo. Segments without a dispute are settled at once (``settle_agreed``).
A settled segment is offered again (``reopened``) when its coders' codings changed since in a way no
logged decision covers: a code now disputed, or codes both now apply that differ from the consensus's;
``settled_by`` names the other pairs that settled it when the pair now reconciled never did. The
consensus coder is written only by reconcile: a name with codings or coverage of its own is refused (E610).
After a codebook release, logged decisions are read through the renames and merges migrated since, a decision
workbook's ids through the released changes log (W037), and an agreed code retired or split since is kept on the
consensus flagged as ``codebook migrate`` flags the coders' codings of it (``carried_flag``, W036).
Two routes use this: the terminal (``thematic reconcile``) and the disagreement workbook's
``decision`` column (``thematic import reconcile``). Sits above analysis, below the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Container, Iterable

import pandas as pd

from .analysis.intercoder import build_ratings, distinct_coders
from .analysis.quotes import document_labels, segment_location
from .analysis.selection import _as_list
from .codebook import Codebook
from .coding._sheet_match import Located, RowTurn, TurnFinder, cell_text
from .coding._sheet_xlsx import SheetData, read_workbook
from .errors import Errors, InputError, Problem, Warnings, problems_message
from .models import COUNTED_STATUSES, Coding, Provenance
from .store import Store

ROUTES = ("terminal", "sheet", "api")


@dataclass(frozen=True, slots=True)
class ReconcileItem:
    """One segment both coders saw: codes both applied, and codes only one applied (code -> who).

    ``reopened``: the consensus settled it before, but the coders' codings changed since (see
    ``reconcile_items``); ``kept``: codes an earlier decision kept there that neither coder disputes now,
    which settling it again keeps; ``settled_by``: when it is reopened because other pairs of coders settled it
    (say HT,SO) and this pair never did, those pairs ("HT,SO"), else empty; ``speaker``: who said it (a survey's
    respondent), which with its text and question finds the row again after a re-ingest moved segment ids.
    """

    segment_id: str
    document_id: str
    where: str
    text: str
    agreed: tuple[str, ...]
    disputed: dict[str, str]
    reopened: bool = False
    kept: tuple[str, ...] = ()
    settled_by: tuple[str, ...] = ()
    speaker: str = ""


def _pair(coders: str | Iterable[str], consensus: str) -> list[str]:
    pair = _as_list(coders) or []
    if len(pair) != 2:
        raise InputError(Errors.E607.format(got=", ".join(pair) or "none"))
    if consensus in pair:
        raise InputError(Errors.E608.format(name=consensus, coders=", ".join(pair)))
    return distinct_coders(pair)


def _pair_key(coders: Iterable[str]) -> frozenset[str]:
    return frozenset(str(c).strip().casefold() for c in coders)


def check_consensus(store: Store, consensus: str) -> None:
    """Refuse (E610) a consensus name with codings or recorded coverage that reconcile did not write: a person
    who codes, whose blind codings and coverage the consensus would be mixed into."""
    name = store.coders_as_stored([consensus])[0]
    own = store.codings(coder=name, status=COUNTED_STATUSES)
    own = own.loc[own["source"].fillna("") != "reconcile"]
    seen = store.coverage(name)
    seen = seen.loc[~seen["source"].fillna("").str.startswith("reconcile")]
    if own.empty and seen.empty:
        return
    seen_text = f"{len(seen)} segment(s) recorded as seen"
    what = (f"{len(own)} coding(s)" + (f" and {seen_text}" if len(seen) else "")) if len(own) else \
        f"no coding but {seen_text}"
    raise InputError(Errors.E610.format(name=name, what=what))


def reconcile_items(store: Store, *, coders: str | Iterable[str], codebook: Codebook | None = None,
                    consensus: str = "consensus", sample: Iterable[str] | None = None,
                    pending_only: bool = True) -> list[ReconcileItem]:
    """Every segment both coders saw, in document order (only those the consensus has not settled yet).

    A segment ``reconcile`` settled counts as not settled (``reopened``) when the coders' codings there
    changed since in a way no logged decision covers: a code now disputed with no decision on it, or codes
    both now apply that differ from the consensus's (say, both took a code off), so the consensus never
    keeps a code a coder has since rejected without anyone deciding it.
    """
    pair = _pair(coders, consensus)
    check_consensus(store, consensus)
    segments = store.segments()
    r = build_ratings(store.codings(), segments, coders=pair, codebook=codebook, coverage=store.coverage(),
                      sample=sample)
    labels = document_labels(segments)
    cover = store.coverage(consensus)
    settled = set(cover["segment_id"].astype(str))
    by_reconcile = set(cover.loc[cover["source"].fillna("").str.startswith("reconcile"), "segment_id"].astype(str))
    held, latest, pairs = _consensus_state(store, consensus, codebook)
    ours = _pair_key(pair)
    items = []
    both = r.seen.all(axis=0)
    for u in range(len(r.units)):
        seg = r.units.iloc[u]
        sid = str(seg["segment_id"])
        if not both[u]:
            continue
        a, b = r.applied[:, 0, u], r.applied[:, 1, u]
        agreed = tuple(c for k, c in enumerate(r.codes) if a[k] and b[k])
        disputed = {c: pair[0] if a[k] else pair[1] for k, c in enumerate(r.codes) if a[k] != b[k]}
        decided = latest.get(sid, {})
        reopened = sid in by_reconcile and bool(
            (set(disputed) | (set(agreed) ^ held.get(sid, set()))) - set(decided))
        if pending_only and sid in settled and not reopened:
            continue
        kept = tuple(sorted(c for c, applied in decided.items() if applied and c not in agreed and c not in disputed))
        by = pairs.get(sid, {})
        others = tuple(label for key, label in by.items() if key != ours) if reopened and ours not in by else ()
        where = ", ".join(x for x in (labels.get(seg["document_id"], ""), segment_location(
            seg.get("index"), seg.get("time_start"), seg.get("kind"), seg.get("question"))) if x)
        speaker = seg.get("speaker")
        items.append(ReconcileItem(sid, str(seg["document_id"]), where, str(seg.get("text", "")),
                                   agreed, disputed, reopened, kept if reopened else (), others,
                                   "" if speaker is None or pd.isna(speaker) else str(speaker)))
    return items


def _consensus_state(store: Store, consensus: str, codebook: Codebook | None = None) -> tuple[
        dict[str, set[str]], dict[str, dict[str, bool]], dict[str, dict[frozenset[str], str]]]:
    """The consensus coder's codes per segment, per segment each decided code's latest decision (applied?), and
    per segment the pairs of coders whose reconcile left a trace there (a consensus coding or a decision).

    A decision's code is read as ``codebook migrate`` moved the codings: through each rename or merge that a
    migration applied after the decision was logged (``_log_moves``), so a release that only renames settles
    nothing again. Decisions one settling logged on two codes a merge joined count as one: kept if either was.
    """
    import json

    cons = store.codings(coder=consensus)
    cons = cons.loc[cons["segment_id"].notna()]
    held = {str(k): set(v) for k, v in cons.groupby(cons["segment_id"].astype(str))["code_id"]} if len(cons) else {}
    pairs: dict[str, dict[frozenset[str], str]] = {}

    def traced(sid: object, coders: list[str]) -> None:
        if len(coders) == 2:
            pairs.setdefault(str(sid), {}).setdefault(_pair_key(coders), ",".join(coders))

    for sid, params in zip(cons["segment_id"], cons["params"]):
        try:
            traced(sid, [str(c) for c in json.loads(params or "{}").get("coders") or []])
        except (ValueError, AttributeError):
            continue
    latest: dict[str, dict[str, bool]] = {}
    when: dict[tuple[str, str], str] = {}  # (segment, code) -> when its latest decision was logged
    moves = _log_moves(store, codebook)
    log = store.decisions(consensus)
    for sid, code, applied, coders, at in zip(log["segment_id"], log["code_id"], log["applied"], log["coders"],
                                              log["decided_at"]):
        at, code = str(at or ""), str(code)
        for source, target, migrated in moves:
            if code == source and at < migrated:
                code = target
        mine, key = latest.setdefault(str(sid), {}), (str(sid), code)
        mine[code] = bool(applied) or (when.get(key) == at and mine.get(code, False))  # oldest first: last wins
        when[key] = at
        traced(sid, str(coders or "").split(","))
    return held, latest, pairs


def _log_moves(store: Store, codebook: Codebook | None) -> list[tuple[str, str, str]]:
    """(old id, new id, when a migration first applied it) for each released rename and merge a migration applied
    to this store (its audit list), in the changes log's order: what a decision logged before then now means."""
    if codebook is None:
        return []
    from .codebook.migrate import migration_log

    first: dict[str, str] = {}
    for record in migration_log(store, codebook.name):
        first.setdefault(str(record.get("entry")), str(record.get("at") or ""))
    return [(source, e.targets[0], first[e.key]) for e in codebook.released_changes()
            if e.kind in ("rename", "merge") and e.key in first for source in e.sources if source != e.targets[0]]


def settle(store: Store, item: ReconcileItem, keep: Iterable[str], *, coders: list[str], consensus: str,
           decided_by: str, route: str, memo: str | None = None, codebook: Codebook | None = None,
           flagged: list[tuple[str, str]] | None = None) -> int:
    """Write the consensus coding of one segment: its agreed codes plus ``keep``; returns codings added.

    A segment the consensus already settled is changed to the new decision: codes no longer kept are
    removed (logged as removals by ``decided_by``) and the new decision is added to the log. A consensus
    name with codings or coverage of its own is refused (E610). A code decided now must be codable (E210 for a
    retired one, E340 naming what a split made of it); an agreed code the codebook retired or split since the
    coders applied it is kept flagged as ``migrate`` flags theirs (``carried_flag``; ``flagged`` collects
    (segment, code) of each such coding written).
    """
    check_consensus(store, consensus)  # [E610] before anything is written into a coder's codings
    return _settle(store, item, keep, coders=coders, consensus=consensus, decided_by=decided_by, route=route,
                   memo=memo, codebook=codebook, flagged=flagged)


def carried_flag(codebook: Codebook, code: str, theirs: Iterable[str] = ()) -> str | None:
    """The flag of a consensus coding of ``code`` that both coders applied (or an earlier decision kept), or None.

    The consensus keeps the coders' agreement as ``codebook migrate`` keeps their codings: a code retired since is
    flagged ``retired: ...``, one split away ``split: choose ...`` (the last such entry's flag, as migrate gives
    theirs), one the codebook no longer defines otherwise ``unknown code: ...`` (a rename not migrated yet says so);
    so it is listed by `thematic codebook flagged` and never a silent new coding of a code nobody may apply. A
    code still codable is flagged only with a split flag one of the coders' codings there carries (``theirs``:
    their flags; a split that kept the code, say as the parent).
    """
    from .codebook.migrate import review_flag, unknown_flag
    from .coding.manual import changed_hint

    flags = [review_flag(e) for e in codebook.released_changes() if e.kind in ("split", "retire") and code in e.sources]
    if code in codebook and not codebook[code].is_theme and code not in codebook.retired:
        shown = [str(f) for f in theirs if f is not None and not pd.isna(f)]
        return "; ".join(f for f in dict.fromkeys(flags) if any(f in s for s in shown)) or None
    if flags:
        return flags[-1]
    hint = changed_hint(codebook, code)
    return (f"{unknown_flag(code)} is not a code of codebook {codebook.version}; "
            + (f"{hint} Run `thematic codebook migrate`, then `thematic reconcile` again." if hint else "recode it"))


def _carried(store: Store, item: ReconcileItem, codes: set[str], coders: list[str],
             codebook: Codebook | None) -> dict[str, str]:
    """``carried_flag`` of each carried code that gets one (none without a codebook)."""
    if codebook is None or not codes:
        return {}
    from .codebook.migrate import owner_of

    theirs: dict[str, list[str]] = {}
    rows = store.codings(document=item.document_id, status=COUNTED_STATUSES)
    pair = _pair_key(coders)
    for row in rows.loc[rows["segment_id"].astype(str) == item.segment_id].to_dict("records"):
        if row["code_id"] in codes and str(owner_of(row)).strip().casefold() in pair:
            theirs.setdefault(str(row["code_id"]), []).append(row.get("flag"))
    found = {code: carried_flag(codebook, code, theirs.get(code, ())) for code in sorted(codes)}
    return {code: flag for code, flag in found.items() if flag}


def _settle(store: Store, item: ReconcileItem, keep: Iterable[str], *, coders: list[str], consensus: str,
            decided_by: str, route: str, memo: str | None = None, codebook: Codebook | None = None,
            flagged: list[tuple[str, str]] | None = None) -> int:
    """``settle`` once the consensus name was checked."""
    from ._spreadsheet import check_memo

    check_memo(memo, f" of the decision on segment '{item.segment_id}'")  # [E362]: no .xlsx export could hold it
    kept = set(keep)
    carried = set(item.agreed) | (kept & set(item.kept))  # the coders' agreement, an earlier decision: not decided now
    if codebook is not None:
        from .coding.manual import check_code

        for code in sorted(kept - carried):
            check_code(codebook, code, where=f" (decision on segment '{item.segment_id}')")
    wanted = sorted(set(item.agreed) | kept)
    prov = Provenance("reconcile", f"reconcile:{','.join(coders)}", {"route": route, "coders": list(coders)})
    with store.transaction():
        seg = _still_read(store, item)
        old = store.codings(coder=consensus, document=seg.document_id)
        old = old.loc[old["segment_id"].astype(str) == item.segment_id]
        before = set(old["code_id"])
        made = [Coding(seg.document_id, seg.start, seg.end, code, consensus, status="manual", text=seg.text,
                       segment_id=seg.id, codebook_version=codebook.version if codebook is not None else None,
                       provenance=prov, memo=memo or None) for code in wanted if code not in before]
        decided = sorted((set(item.disputed) | kept | before) - set(item.agreed))
        rows = [{"consensus": consensus, "coders": ",".join(coders), "segment_id": item.segment_id,
                 "document_id": item.document_id, "code_id": code, "applied": code in kept, "memo": memo or None,
                 "decided_by": decided_by, "route": route} for code in decided]
        drop = list(old.loc[~old["code_id"].isin(wanted), "coding_id"])
        if drop:
            store.remove_codings(drop, actor=decided_by, note=f"reconcile:{route}: decision changed")
        added, _ = store.add_codings(made, actor=decided_by) if made else (0, 0)
        flags = _carried(store, item, carried & {c.code_id for c in made}, coders, codebook)
        if flags:
            now = store.codings(coder=consensus, document=seg.document_id)
            now = now.loc[(now["segment_id"].astype(str) == item.segment_id) & now["code_id"].isin(list(flags))]
            for cid, code in zip(now["coding_id"], now["code_id"]):
                store.flag_codings([cid], flags[code], actor=decided_by)
                if flagged is not None:
                    flagged.append((item.segment_id, str(code)))
        store.mark_seen([item.segment_id], coder=consensus, source=f"reconcile:{route}")
        if rows:
            store.add_decisions(rows)
    return added


def _still_read(store: Store, item: ReconcileItem) -> Any:
    """The item's segment, read in the write transaction; E540 when a re-ingest since gave its id to another turn
    (or removed it), where the decision would otherwise be written."""
    from .errors import NotFoundError

    try:
        seg = store.segment(item.segment_id)
    except NotFoundError:
        seg, detail = None, "no longer exists"
    else:
        detail = "now holds other words" if seg.document_id == item.document_id else "is in another document"
    if seg is None or seg.document_id != item.document_id or seg.text != item.text:
        raise InputError(Errors.E540.format(segment=item.segment_id, document=item.document_id, detail=detail))
    return seg


def settle_agreed(store: Store, items: list[ReconcileItem], *, coders: list[str], consensus: str, decided_by: str,
                  route: str, codebook: Codebook | None = None, flagged: list[tuple[str, str]] | None = None) -> int:
    """Settle every segment without a dispute (the consensus is what both applied, plus any code an earlier
    decision kept there); returns how many. ``flagged`` collects the consensus codings written flagged (``settle``)."""
    calm = [i for i in items if not i.disputed]
    if calm:
        check_consensus(store, consensus)  # [E610]
    with store.transaction():
        for item in calm:
            _settle(store, item, item.kept, coders=coders, consensus=consensus, decided_by=decided_by, route=route,
                    codebook=codebook, flagged=flagged)
    return len(calm)


def flagged_warning(flagged: list[tuple[str, str]], consensus: str) -> str | None:
    """W036 naming the consensus codings ``settle`` wrote flagged (a code retired or split since), else None."""
    if not flagged:
        return None
    shown = "; ".join(f"{code} on {sid}" for sid, code in flagged[:8]) + (" …" if len(flagged) > 8 else "")
    return Warnings.W036.format(n=len(flagged), codings=shown, consensus=consensus)


def reconcile_table(items: list[ReconcileItem], coders: list[str]) -> pd.DataFrame:
    """The disputed items as the decision sheet's rows (decision and memo left empty to fill in)."""
    rows = [{"segment_id": i.segment_id, "where": i.where, "speaker": i.speaker, "text": i.text,
             "agreed": ", ".join(i.agreed), **{c: ", ".join(k for k, who in i.disputed.items() if who == c) for c in coders},
             "disputed": ", ".join(f"{k} ({who} only)" for k, who in i.disputed.items()),
             "decision": "", "memo": ""} for i in items if i.disputed]
    return pd.DataFrame(rows, columns=["segment_id", "where", "speaker", "text", "agreed", *coders, "disputed",
                                       "decision", "memo"])


_NONE = {"none", "neither", "no", "-", "0"}


Moves = dict[str, tuple[str | None, str]]
#: Before every release: the changes since it are the whole released log (a decision workbook has no version stamp).
_BEFORE_ALL = "0.0.0-0"


def released_moves(codebook: Codebook) -> Moves:
    """Every id the released changes log took away: old id -> (its id now, or None when split or retired; what
    happened), followed through later entries, as a coding sheet's columns are (``moved_since``)."""
    from .coding.sheet import moved_since

    return moved_since(codebook, _BEFORE_ALL)


def resolve_code(codebook: Codebook, typed: str, *, where: str = "", moves: Moves | None = None) -> str:
    """The code a decision cell names: its id, or a unique id or label ignoring case (never a beginning).

    A decision is a record of what the team agreed, so only a whole id or label counts: ``Software``
    is ``software`` and ``Security vetting`` is ``security_vetting``. An id the codebook no longer defines that
    a released rename or merge took away (``moves``, default ``released_moves``) is its code now, as a coding
    sheet's column; a theme or an unknown name raises InputError (E341; E340 saying what a split or retirement
    made of it, or with a did-you-mean).
    """
    return _resolve(codebook, typed, where, moves)[0]


def _resolve(codebook: Codebook, typed: str, where: str, moves: Moves | None) -> tuple[str, str | None]:
    """``resolve_code``, and the old id when the name was read through the changes log (else None)."""
    from .coding.manual import check_code

    if typed in codebook:
        check_code(codebook, typed, where=where)
        return typed, None
    key = typed.casefold()
    codes = codebook.codable()
    for attr in ("id", "label"):
        hits = {c.id for c in codes if getattr(c, attr).casefold() == key}
        if len(hits) == 1:
            return hits.pop(), None
    moves = released_moves(codebook) if moves is None else moves
    old = next((k for k in moves if k.casefold() == key), None)
    now = moves[old][0] if old is not None else None
    if old is not None and now is not None and now in {c.id for c in codes}:
        return now, old
    theme = next((t.id for t in codebook.themes if key in (t.id.casefold(), t.label.casefold())), None)
    check_code(codebook, theme or old or typed, where=where)  # raises E341 for a theme, E340 otherwise
    return typed, None  # pragma: no cover - check_code raised


def _read_decision(value: Any, path: Path, row: int, codebook: Codebook | None, moves: Moves | None = None,
                   mapped: dict[str, list[int]] | None = None) -> tuple[set[str] | None, list[Problem]]:
    """Codes to keep from one decision cell, and the problems that stop it being used; ``mapped`` collects the
    rows of each old id read through the changes log (``resolve_code``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None, []
    text = str(value).strip()
    if not text:
        return None, []
    if text.casefold() in _NONE:
        return set(), []
    from .coding.manual import split_code_names

    tokens = list(dict.fromkeys(split_code_names(text, codebook)))  # a label with a comma is read whole
    if codebook is None:
        if any(" " in t for t in tokens):
            return None, [Problem(str(path), row, "E606", _bare(Errors.E606.format(path=path, row=row, value=text)))]
        return set(tokens), []
    keep, problems = set(), []
    moves = released_moves(codebook) if moves is None else moves
    for token in tokens:
        try:
            code, old = _resolve(codebook, token, " (decision cell)", moves)
            keep.add(code)
            if old is not None and mapped is not None:
                mapped.setdefault(old, []).append(row)
        except InputError as exc:
            problems.append(Problem(str(path), row, str(exc)[1:5], _bare(str(exc))))
    return keep, problems


def _bare(message: str) -> str:
    """A coded message without its '[E340] ' prefix (``Problem`` puts the code back in front)."""
    return message.split("] ", 1)[1] if message.startswith("[") and "] " in message else message


def parse_decision(value: Any, path: Path, row: int, codebook: Codebook | None = None) -> set[str] | None:
    """Codes to keep from a decision cell: 'a, b' or 'none'; None when the cell is empty (decide later).

    With a codebook each name is resolved by ``resolve_code``; a cell that cannot be used raises
    InputError naming the file and row.
    """
    keep, problems = _read_decision(value, path, row, codebook)
    if problems:
        raise InputError(str(problems[0]))
    return keep


@dataclass(slots=True)
class ReconcileImport:
    """What ``import_reconcile`` did: segments settled, changed, unchanged, left undecided, and warnings.

    ``moved`` counts rows whose segment id a re-ingest gave to another turn, found again by their text (as the
    turn of their speaker, answering their question);
    ``reopened`` segments settled before and settled again because a coder's codings changed there since;
    ``others`` segments another pair of coders settled, settled again for this pair (``ReconcileItem.settled_by``);
    ``unreadable`` rows skipped because a cell holds a formula with no saved value or an error (W621, W622).
    """

    path: Path
    settled: int = 0
    undecided: int = 0
    agreed: int = 0
    unchanged: int = 0
    changed: int = 0
    own_codes: int = 0
    moved: int = 0
    unreadable: int = 0
    reopened: int = 0
    others: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped(self) -> list[Problem]:
        """The rows left unapplied: no longer disputed (W601), gone after a re-ingest (W620) or not told apart from
        identical turns (W537, W538), unreadable (W621, W622)."""
        return [p for p in self.problems if p.code in _SKIPPING]

    @property
    def ok(self) -> bool:
        """True when every filled-in row was applied (W602/W603 notes do not count)."""
        return not self.skipped


#: Warnings that mean a row was not applied (``--strict`` fails on them).
_SKIPPING = frozenset({"W537", "W538", "W601", "W620", "W621", "W622"})
#: The columns the import reads: a formula with no saved value in any of them skips the row (W621).
_READ = ("segment_id", "document_id", "text", "decision", "memo")
#: What a spreadsheet saves as a formula's value when it cannot calculate it (openpyxl reads it as text).
_SHEET_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                           "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#ERROR!"})


def _read_book(p: Path) -> SheetData:
    """The decision sheet's rows, read as coding sheets are (so formulas with no saved value are known)."""
    if p.suffix.lower() == ".csv":
        raise InputError(Errors.E605.format(path=p, detail="a CSV file; import the .xlsx workbook"))
    try:
        data = read_workbook(p)
    except InputError as exc:
        head, _, tail = Errors.E345.partition("{detail}")
        head, message = head.format(path=p), str(exc)
        if not (message.startswith(head) and message.endswith(tail)):
            raise  # a missing or unreadable file (E021) or one too large (E038) says so itself
        raise InputError(Errors.E605.format(path=p, detail=message[len(head):-len(tail)])) from exc
    if not {"segment_id", "decision"} <= set(data.header):
        raise InputError(Errors.E605.format(path=p, detail="no sheet has both 'segment_id' and 'decision' columns"))
    return data


def _unreadable(data: SheetData, n: int, rec: dict[str, Any], p: Path, sid: str) -> list[Problem]:
    """W621/W622 for a row whose cells read would hide what was written: a formula with no saved value,
    or a spreadsheet error saved in place of a decision or memo."""
    stuck = [c for c in _READ if (n, c) in data.uncomputed]
    problems = [Problem(str(p), n, "W621", Warnings.W621.format(
        path=p, row=n, segment=sid, columns=", ".join(f"'{c}'" for c in stuck)))] if stuck else []
    for col in ("decision", "memo"):
        value = rec.get(col)
        if col not in stuck and isinstance(value, str) and value.strip().upper() in _SHEET_ERRORS:
            problems.append(Problem(str(p), n, "W622", Warnings.W622.format(
                path=p, row=n, segment=sid, column=col, value=value.strip())))
    return problems


def _codes_text(codes: Iterable[str]) -> str:
    return ", ".join(sorted(codes)) or "none"


class _Locator:
    """Finds a workbook row's segment now: by its id while that turn still fits the row (its words, and its
    speaker, participant and question where the workbook shows them), else by the one other turn in the same
    document that does (a re-ingest shifted the ids), as coding sheets are read back."""

    def __init__(self, store: Store, header: list[str], rows: list[tuple[int, dict[str, Any]]]) -> None:
        self.header = header
        self.finder: TurnFinder | None = None
        self.held: set[str] = set()  # ids whose own row still fits them: no other row is moved onto them
        if "text" in header:
            self.finder = TurnFinder(store.segments(), shown=lambda q: segment_location(None, None, "answer", q))
            ids = [_cell(rec.get("segment_id")) or "" for _, rec in rows]
            shown = [self.row(rec, sid) for sid, (_, rec) in zip(ids, rows)]
            self.finder.expect(shown)
            self.held.update(sid for sid, row in zip(ids, shown) if self.finder.fits(sid, row))

    def row(self, rec: dict[str, Any], sid: str) -> RowTurn:
        """The turn a row shows (``where``/``location`` give an answer's question as ``Q: ...``)."""
        def shown(col: str) -> str | None:
            return cell_text(rec.get(col)) if col in self.header else None

        where = shown("where") or shown("location") or ""
        asked = where if where.startswith("Q: ") else "Q: " + where.split(", Q: ", 1)[1] if ", Q: " in where else None
        return RowTurn(shown("document_id") or cell_text(sid.rpartition(":")[0]), shown("text") or "", shown("speaker"),
                       shown("participant_id") if "participant_id" in self.header else shown("participant"),
                       shown("question"), asked)

    def find(self, rec: dict[str, Any], sid: str, taken: Container[str]) -> tuple[RowTurn | None, Located]:
        """The row's turn as it shows it, and where it is now (``Located``: not found, and why)."""
        if self.finder is None:
            return None, Located(sid)
        row = self.row(rec, sid)
        return row, self.finder.locate(sid, row, self.held, taken)


def _not_found(p: Path, n: int, sid: str, row: RowTurn | None, found: Located, locate: _Locator) -> Problem:
    """Why a row's turn was not found: several turns fit it (W537), its old id holds its words as someone else's
    turn (W538), or no turn of its speaker reads so any more (W620)."""
    place, fix = f"{p}: row {n}: ", "Export the decisions again with `thematic reconcile --out` and decide it there."
    if row is not None and locate.finder is not None and found.why == "several":
        return Problem(str(p), n, "W537", Warnings.W537.format(place=place, segment=sid, n=found.n,
                                                               whose=row.whose(), fix=fix))
    if row is not None and locate.finder is not None and found.why == "another":
        return Problem(str(p), n, "W538", Warnings.W538.format(place=place, segment=sid, now=locate.finder.whose(sid),
                                                               was=row.whose(document=False), fix=fix))
    return Problem(str(p), n, "W620", Warnings.W620.format(path=p, row=n, segment=sid))


def _cell(value: Any) -> str | None:
    """A cell's text, stripped; None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def import_reconcile(store: Store, path: str | Path, *, consensus: str = "consensus", decided_by: str,
                     codebook: Codebook | None = None, coders: str | Iterable[str] | None = None) -> ReconcileImport:
    """Read the ``decision`` (and ``memo``) column of a disagreement workbook and settle those segments.

    Every decision cell is checked first; if any cannot be used, one InputError (E609) lists them all
    with file and row, and nothing is stored. The rows are matched to the turns stored and settled in one write
    transaction, so a re-ingest that commits meanwhile is read, never written over. A row the
    consensus already settled the same way is counted as unchanged; one whose decision changed is
    applied (warning W603); a row of a segment settled before whose coders' codings changed since
    (``ReconcileItem.reopened``) is settled anew (``reopened``); a kept code neither coder applied is kept
    with warning W602. A row is
    found by its ``text``, ``speaker`` and question (``where`` shows an answer's) when a re-ingest gave its
    segment id to another turn (``moved``); a row whose text no single turn of its speaker holds any more
    is skipped with warning W620, one that several turns fit with W537, and one whose old id now holds its
    words as someone else's turn with W538: never applied to another turn. A
    row with a formula that has no saved value (W621) or a spreadsheet error in its decision or memo
    (W622) is skipped (``unreadable``), never read as empty.
    """
    p = Path(path)
    sheet = _read_book(p)
    cols = list(sheet.header)
    if coders is None:
        end = cols.index("disputed") if "disputed" in cols else len(cols)
        start = cols.index("text") + 1 if "text" in cols else end
        coders = [c for c in cols[start:end] if c not in {"agreed", "document_label"}]
    pair = _pair(coders, consensus)
    with store.transaction():  # read, match and write at one moment: a re-ingest committed meanwhile is read
        return _import_rows(store, p, sheet, pair, consensus=consensus, decided_by=decided_by, codebook=codebook)


def _import_rows(store: Store, p: Path, sheet: SheetData, pair: list[str], *, consensus: str, decided_by: str,
                 codebook: Codebook | None) -> ReconcileImport:
    """``import_reconcile`` once the workbook is read: its rows matched to the turns stored now, and settled."""
    cols = list(sheet.header)
    items = {i.segment_id: i for i in reconcile_items(store, coders=pair, codebook=codebook, consensus=consensus,
                                                      pending_only=False)}
    settled = set(store.coverage(consensus)["segment_id"].astype(str))
    cons = store.codings(coder=consensus)
    current = {str(k): set(v) for k, v in cons.groupby(cons["segment_id"].astype(str))["code_id"]} if len(cons) else {}
    report = ReconcileImport(p)
    errors: list[Problem] = []
    plan: list[tuple[ReconcileItem, set[str], str | None]] = []
    first_row: dict[str, tuple[int, set[str]]] = {}
    who = " nor ".join(pair)
    locate = _Locator(store, cols, sheet.rows)
    moves = released_moves(codebook) if codebook is not None else {}
    mapped: dict[str, list[int]] = {}
    for n, rec in sheet.rows:
        sid = _cell(rec.get("segment_id")) or ""
        hidden = _unreadable(sheet, n, rec, p, sid)
        if hidden:
            report.unreadable += 1
            report.problems.extend(hidden)
            continue
        keep, bad = _read_decision(rec.get("decision"), p, n, codebook, moves, mapped)
        if bad:
            errors.extend(bad)
            continue
        if keep is None:
            report.undecided += 1
            continue
        row, found = locate.find(rec, sid, first_row)
        if found.segment is None:
            report.problems.append(_not_found(p, n, sid, row, found, locate))
            continue
        report.moved += found.moved
        sid = found.segment
        if sid in first_row:
            if first_row[sid][1] != keep:
                errors.append(Problem(str(p), n, "E609", f"segment '{sid}' is decided again here ("
                                      f"{_codes_text(keep)}) but row {first_row[sid][0]} says "
                                      f"{_codes_text(first_row[sid][1])}; keep one row per segment."))
            continue
        first_row[sid] = (n, keep)
        item = items.get(sid)
        if item is None or not item.disputed:
            report.problems.append(Problem(str(p), n, "W601", Warnings.W601.format(
                path=p, row=n, segment=sid, coders=", ".join(pair))))
            continue
        for code in sorted(keep - set(item.disputed) - set(item.agreed)):
            report.own_codes += 1
            report.problems.append(Problem(str(p), n, "W602", Warnings.W602.format(
                path=p, row=n, code=code, coders=who, segment=sid)))
        memo = _cell(rec.get("memo"))
        from ._spreadsheet import check_memo

        check_memo(memo, f" in {p}, row {n}")  # [E362] before anything is settled
        if item.reopened:  # settled before, but a coder changed their coding since (or another pair settled it)
            if item.settled_by:
                report.others += 1
            else:
                report.reopened += 1
            report.settled += 1
            keep = keep | set(item.kept)
        elif sid in settled:
            before, after = current.get(sid, set()), set(item.agreed) | keep
            if before == after:
                report.unchanged += 1
                continue
            report.changed += 1
            report.problems.append(Problem(str(p), n, "W603", Warnings.W603.format(
                path=p, row=n, segment=sid, before=_codes_text(before), after=_codes_text(after))))
        else:
            report.settled += 1
        plan.append((item, keep, memo))
    if errors:
        raise InputError(problems_message(Errors.E609.format(path=p, n=len(errors)), errors))
    for old, rows in mapped.items():
        now, how = moves[old]
        verb = "merged into" if " merge " in f" {how}" else "renamed to"
        report.problems.append(Problem(str(p), rows[0], "W037", Warnings.W037.format(
            path=p, rows=", ".join(str(r) for r in dict.fromkeys(rows)), old=old, new=now, verb=verb, how=how)))
    pending = [i for i in items.values() if i.segment_id not in settled or i.reopened]
    report.reopened += sum(1 for i in pending if i.reopened and not i.disputed and not i.settled_by)
    report.others += sum(1 for i in pending if i.reopened and not i.disputed and i.settled_by)
    flagged: list[tuple[str, str]] = []
    with store.transaction():
        report.agreed = settle_agreed(store, pending, coders=pair, consensus=consensus, decided_by=decided_by,
                                      route="sheet", codebook=codebook, flagged=flagged)
        for item, keep, memo in plan:
            _settle(store, item, keep, coders=pair, consensus=consensus, decided_by=decided_by, route="sheet",
                    memo=memo, codebook=codebook, flagged=flagged)
    warning = flagged_warning(flagged, consensus)
    if warning:
        report.problems.append(Problem(str(p), None, "W036", warning))
    return report


__all__ = ["ReconcileImport", "ReconcileItem", "carried_flag", "check_consensus", "flagged_warning", "import_reconcile",
           "parse_decision", "reconcile_items", "reconcile_table", "released_moves", "resolve_code", "settle",
           "settle_agreed"]
