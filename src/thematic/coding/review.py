"""Reviewing suggestions: the queue a person works through, and the decision on each item.

The queue is every ``suggested`` coding, one item per (span, code) even when several suggesters
agree (their names are listed together and one decision settles them all). It carries the
segment text and its neighbours for context. Deciding changes the status, so a decided item
leaves the queue and an interrupted session resumes where it stopped; skipped items are
remembered in the store and come back last. A suggestion of a code the codebook no longer lets anyone
apply (split away, retired, gone) stays in the queue with migrate's ``flag`` and the reason in ``blocked``:
it can be recoded or rejected, and accepting it is refused (E383).

Example:
    >>> queue = review_queue(store, order="uncertain")
    >>> decide(store, queue.coding_id[0], "accept", reviewer="AB")
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from ..models import FLAG_AMBIGUOUS, FLAG_NOT_FOUND, FLAG_ORPHANED, Coding, Provenance
from ..store import Store
from .evidence import describe_evidence
from .manual import check_code

ORDERS = ("document", "uncertain")
DECISIONS = ("accept", "reject", "skip", "recode")
#: Store meta key holding the ids of skipped suggestions (JSON list).
SKIP_KEY = "review.skipped"

QUEUE_COLUMNS = (
    "coding_id", "document_id", "segment_id", "start", "end", "code_id", "confidence", "coder", "suggesters",
    "twin_ids", "text", "speaker", "participant_id", "segment_start", "segment_end", "segment_text",
    "previous_text", "next_text", "skipped", "codebook_version", "created_at", "evidence", "question", "flag",
    "blocked",
)
#: Flags ``codebook migrate`` sets that mean the suggested code may no longer be applied as it is.
_MIGRATE_FLAGS = ("split: ", "retired: ", "unknown code: ")


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """What a decision changed: the suggestions settled, their new status, and any recoded coding."""

    decision: str
    coding_ids: tuple[str, ...]
    status: str
    new_coding_id: str | None = None
    #: The reviewer's own manual codings of the same code on the same span that an accept folded into it.
    folded: tuple[str, ...] = ()


def skipped_ids(store: Store) -> set[str]:
    """Suggestions skipped in earlier review sessions (they come back at the end of the queue)."""
    return set(json.loads(store.get_meta(SKIP_KEY, "[]") or "[]"))


def _set_skipped(store: Store, ids: set[str]) -> None:
    store.set_meta(SKIP_KEY, json.dumps(sorted(ids)))


def _targets(codebook: Codebook, code_id: str, seen: frozenset[str] = frozenset()) -> list[str]:
    """The codable codes the released changes send ``code_id`` to (following later renames, merges, splits)."""
    out: list[str] = []
    for e in codebook.released_changes():
        if e.kind not in ("rename", "merge", "split") or code_id not in e.sources:
            continue
        for t in e.targets:
            if t == code_id or t in seen:
                continue
            if t in codebook and not codebook[t].is_theme and t not in codebook.retired:
                out.append(t)
            else:
                out += _targets(codebook, t, seen | {code_id})
    return list(dict.fromkeys(out))


_LOST = {
    FLAG_NOT_FOUND: "a re-ingest did not find its quote in the changed text",
    FLAG_AMBIGUOUS: "a re-ingest found its quote in several places of the changed text",
    FLAG_ORPHANED: "its document was removed from the study",
}


def lost_quote(row: dict[str, Any]) -> str | None:
    """Why a coding has no passage to code (a re-ingest lost its quote, or its document went), else None."""
    return _LOST.get(str(row.get("flag") or ""))


def _codebook_refusal(codebook: Codebook, code_id: str) -> tuple[str, list[str]] | None:
    """Why ``code_id`` may not be applied under ``codebook`` and the codes to recode it to; None when it may."""
    if code_id in codebook and not codebook[code_id].is_theme and code_id not in codebook.retired:
        return None
    if code_id in codebook and codebook[code_id].is_theme:
        return "is a theme, not a code", [c.id for c in codebook.children(code_id) if c.id not in codebook.retired]
    if code_id in codebook.retired:
        e = [e for e in codebook.released_changes() if e.kind == "retire" and code_id in e.sources][-1]
        return f"was retired in codebook {e.version}" + (f" ({e.note})" if e.note else ""), _targets(codebook, code_id)
    moved = [e for e in codebook.released_changes() if e.kind in ("rename", "merge", "split") and code_id in e.sources]
    if moved:
        e = moved[-1]
        verb = {"rename": "renamed to", "merge": "merged into", "split": "split into"}[e.kind]
        return f"was {verb} {', '.join(e.targets)} in codebook {e.version}", _targets(codebook, code_id)
    return f"is not in codebook {codebook.name} {codebook.version}", []


def _flag_refusal(flag: Any, codebook: Codebook | None) -> str | None:
    """Migrate's flag as a reason to refuse an accept: a split always; retired or unknown only without a codebook."""
    text = "" if flag is None or str(flag) in ("", "<NA>", "nan", "None") else str(flag)
    if text.startswith("split: ") or (codebook is None and text.startswith(_MIGRATE_FLAGS)):
        return f"is flagged by `thematic codebook migrate`: {text}"
    return None


def accept_refusal(row: dict[str, Any], codebook: Codebook | None) -> tuple[str, list[str]] | None:
    """Why a suggestion (a codings row) may not be accepted, and the codes to recode it to; None when it may.

    The codebook decides when given (split away, merged, renamed, retired, a theme, unknown); migrate's
    ``split:`` flag also refuses, and without a codebook its ``retired:`` and ``unknown code:`` flags do.
    """
    code_id = str(row["code_id"])
    found = _codebook_refusal(codebook, code_id) if codebook is not None else None
    if found is not None:
        return found
    why = _flag_refusal(row.get("flag"), codebook)
    if why is None:
        return None
    split = str(row.get("flag") or "").removeprefix("split: choose ").split(" (was ")[0]
    targets = split.split(" or ") if str(row.get("flag") or "").startswith("split: choose ") else []
    return why, [t for t in targets if codebook is None or (t in codebook and t not in codebook.retired)]


def _refuse_accept(row: dict[str, Any], codebook: Codebook | None) -> None:
    """E383 when the suggestion's code may no longer be applied; says to recode or reject it."""
    found = accept_refusal(row, codebook)
    if found is None:
        return
    reason, targets = found
    recode = (f"Recode it to {' or '.join(targets)}" if targets else "Recode it to another code")
    todo = (f"{recode} (`c` in `thematic review`; `study.decide(ID, \"recode\", new_code=...)`), or reject it "
            "(`r`; decision \"reject\").")
    raise InputError(Errors.E383.format(coding=row["coding_id"], code=row["code_id"],
                                        segment=row.get("segment_id") or row.get("document_id"), reason=reason,
                                        todo=todo))


def _merge_twins(sugg: pd.DataFrame) -> pd.DataFrame:
    """One row per (document, span, code): the most confident suggestion, naming every suggester.

    ``evidence`` holds each suggester's stored reason, score and threshold, one line each.
    """
    key = ["document_id", "start", "end", "code_id"]
    sugg = sugg.sort_values([*key, "confidence", "coder"], ascending=[True] * 4 + [False, True], na_position="last")
    sugg = sugg.assign(_evidence=[describe_evidence(r) for r in sugg.to_dict("records")])
    groups = sugg.groupby(key, sort=False)
    first = groups.head(1).copy()
    names = groups["coder"].agg(lambda s: ", ".join(sorted(set(map(str, s)))))
    ids = groups["coding_id"].agg(lambda s: ",".join(map(str, s)))
    merged = first.set_index(key).drop(columns="_evidence")
    merged["suggesters"] = names
    merged["twin_ids"] = ids
    merged["evidence"] = groups["_evidence"].agg("\n".join)
    merged["flag"] = groups["flag"].agg(
        lambda s: "; ".join(dict.fromkeys(str(x) for x in s.dropna() if str(x))) or None).astype("string")
    return merged.reset_index()


def _context(store: Store, items: pd.DataFrame) -> pd.DataFrame:
    """Add the enclosing segment's text and offsets and its neighbours' text to each item."""
    segs = store.segments(document=sorted(set(items["document_id"].astype(str))))
    fields = ("segment_id", "speaker", "participant_id", "start", "end", "text", "question")
    docs = {str(d): g.sort_values("start")[list(fields)].astype(object).where(g.notna(), None).to_dict("list")
            for d, g in segs.groupby("document_id")}
    names = ("segment_id", "speaker", "participant_id", "segment_start", "segment_end", "segment_text", "question")
    cols: dict[str, list[Any]] = {k: [] for k in (*names, "previous_text", "next_text")}
    for doc_id, start, end, sid in zip(items["document_id"].astype(str), items["start"], items["end"],
                                       items["segment_id"]):
        g = docs.get(doc_id)
        i = -1 if g is None else bisect_right(g["start"], int(start)) - 1
        if g is None or i < 0 or int(end) > g["end"][i]:  # the span is in no single segment
            for k in cols:
                cols[k].append(sid if k == "segment_id" else None)
            continue
        for k, src in zip(names, fields):
            cols[k].append(g[src][i])
        answer = g["question"][i] is not None  # a survey answer: its question is the context, not other answers
        cols["previous_text"].append(g["text"][i - 1] if i > 0 and not answer else None)
        cols["next_text"].append(g["text"][i + 1] if i + 1 < len(g["text"]) and not answer else None)
    out = items.copy()
    for k, v in cols.items():
        out[k] = pd.Series(v, index=out.index, dtype="Int64" if k in ("segment_start", "segment_end") else "string")
    return out


def _by_uncertainty(queue: pd.DataFrame) -> pd.DataFrame:
    """Most uncertain first, using ``thematic.coding.uncertainty_order`` (closest to 0.5 as a fallback)."""
    try:
        from . import uncertainty_order  # type: ignore[attr-defined]
    except ImportError:
        uncertainty_order = None
    if uncertainty_order is not None:
        ranked = list(uncertainty_order(queue)["coding_id"])
        pos = {cid: i for i, cid in enumerate(ranked)}
        return queue.assign(_o=queue["coding_id"].map(pos)).sort_values("_o", kind="stable").drop(columns="_o")
    margin = (queue["confidence"].astype("Float64") - 0.5).abs()
    return queue.assign(_o=margin).sort_values(["_o", "document_id", "start"], na_position="last",
                                               kind="stable").drop(columns="_o")


def review_queue(
    store: Store,
    *,
    order: str = "document",
    coder: str | Iterable[str] | None = None,
    code: str | Iterable[str] | None = None,
    document: str | Iterable[str] | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Suggested codings awaiting a decision, with segment text and context (see ``QUEUE_COLUMNS``).

    A document or code that matches nothing known is an error naming it (E408 document, and with ``codebook``
    E340 code), not an empty queue; documents may be ``*`` patterns. A suggester with nothing waiting gives an
    empty queue (it may simply not have run yet).

    Args:
        store: the study's store.
        order: ``document`` (reading order) or ``uncertain`` (most uncertain first: active learning).
        coder: only suggestions by these suggesters (e.g. ``thematic.rules.v1``).
        code: only suggestions of these codes.
        document: only these documents (ids or ``*`` patterns).
        codebook: check ``code`` against it (and the stored code ids), and say in ``blocked`` which items may
            not be accepted.

    Returns:
        One row per item; items skipped before come last (``skipped`` is True). ``flag`` is migrate's flag
        (``split: choose b or c``, ``retired: ...``); ``blocked`` says why accepting is refused (E383), else None.
    """
    if order not in ORDERS:
        raise InputError(Errors.E349.format(what="review order", value=order, allowed=", ".join(ORDERS)))
    from .manual import check_filter_codes, resolve_documents

    code = check_filter_codes(store, code, codebook)
    document = resolve_documents(store, document)
    sugg = store.codings(status="suggested", coder=coder, code=code, document=document)
    if sugg.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in QUEUE_COLUMNS})
    queue = _context(store, _merge_twins(sugg))
    queue["blocked"] = [_blocked(r, codebook) for r in queue[["coding_id", "code_id", "flag"]].to_dict("records")]
    skipped = skipped_ids(store)
    queue["skipped"] = [bool(skipped & set(t.split(","))) for t in queue["twin_ids"]]
    queue = queue.sort_values(["document_id", "start", "end", "code_id"], kind="stable")
    if order == "uncertain":
        queue = _by_uncertainty(queue)
    queue = queue.sort_values("skipped", kind="stable").reset_index(drop=True)
    return queue[list(QUEUE_COLUMNS)]


def _blocked(row: dict[str, Any], codebook: Codebook | None) -> str | None:
    """The queue's ``blocked`` text: why accepting is refused and what to recode to, or None."""
    lost = lost_quote(row)
    if lost is not None:
        return f"{lost}: reject it"
    found = accept_refusal(row, codebook)
    if found is None:
        return None
    reason, targets = found
    return f"'{row['code_id']}' {reason}: " + (f"recode to {' or '.join(targets)} or reject" if targets
                                                else "recode or reject")


def _twins(store: Store, row: dict[str, Any]) -> list[str]:
    df = store.codings(status="suggested", code=str(row["code_id"]), document=str(row["document_id"]))
    same = df[(df["start"] == row["start"]) & (df["end"] == row["end"])]
    return sorted(set(same["coding_id"].astype(str)) | {str(row["coding_id"])})


def _check_open(row: dict[str, Any]) -> None:
    """E036 when another reviewer decided this suggestion; E350 when it was never a suggestion."""
    if row["status"] == "suggested":
        return
    if row.get("reviewer"):
        raise InputError(Errors.E036.format(coding=row["coding_id"], status=row["status"], reviewer=row["reviewer"],
                                            at=row.get("updated_at") or "an earlier time"))
    raise InputError(Errors.E350.format(coding=row["coding_id"], status=row["status"]))


def decide(
    store: Store,
    coding_id: str,
    decision: str,
    *,
    reviewer: str,
    new_code: str | None = None,
    codebook: Codebook | None = None,
) -> ReviewDecision:
    """Accept, reject, skip or recode one suggestion (and any identical suggestion by another suggester).

    ``recode`` rejects the suggestion and codes the same span with ``new_code`` as the reviewer's
    manual coding (provenance ``review``); recoded to the code it already suggests, it is accepted. ``skip`` leaves it suggested and moves it to the end of
    the queue. ``accept`` is refused (E383) for a code that may no longer be applied: split away, retired,
    renamed or merged and not migrated yet (checked against ``codebook``, else migrate's flag). Every
    change is a logged event with the reviewer's name. Once no suggestion is left open on the segment,
    the segment is recorded as seen by the reviewer (coverage, source ``review``). ``new_code`` goes only with
    ``recode`` (E363 with another decision, before anything is stored).

    Accepting a suggestion of a code the reviewer already applied by hand to the same span folds that manual
    coding into the accepted one (``folded``): removed with a logged note naming the suggestion, its memo kept
    beside the suggester's evidence, so the passage is the reviewer's coding once. The reviewer's name is
    trimmed and NFC-normalised; a suggester's name is E357, a new name with a comma E358.
    """
    if decision not in DECISIONS:
        raise InputError(Errors.E349.format(what="decision", value=decision, allowed=", ".join(DECISIONS)))
    if decision != "recode" and new_code is not None:  # "accept, but as x" would keep the suggested code
        raise InputError(Errors.E363.format(new_code=new_code, decision=decision, coding=coding_id))
    reviewer = store.person(reviewer, "reviewer")
    _check_open(store.coding(coding_id))
    if decision == "recode":
        if not new_code:
            raise InputError(Errors.E351.format(coding=coding_id))
        if codebook is not None:
            check_code(codebook, new_code)
    with store.transaction():  # BEGIN IMMEDIATE: re-read, so a decision made meanwhile is seen, not overwritten
        row = store.coding(coding_id)
        _check_open(row)
        if decision == "recode" and str(new_code) == str(row["code_id"]):
            decision = "accept"  # recoded to the code it suggests: right, never a rejection plus a manual twin
        if decision in ("accept", "recode") and lost_quote(row) is not None:
            raise InputError(Errors.E385.format(coding=coding_id, code=row["code_id"], why=lost_quote(row),
                                                verb="accepted" if decision == "accept" else "recoded"))
        if decision == "accept":
            _refuse_accept(row, codebook)
        ids = _twins(store, row)
        skipped = skipped_ids(store)
        if decision == "skip":
            _set_skipped(store, skipped | set(ids))
            return ReviewDecision("skip", tuple(ids), "suggested")
        status = "accepted" if decision == "accept" else "rejected"
        store.set_status(ids, status, actor=reviewer, note=f"review: {decision}")
        new_id = _recode(store, row, new_code, reviewer, codebook) if decision == "recode" else None
        folded = _fold_hand_codings(store, row, ids, reviewer) if decision == "accept" else ()
        if skipped & set(ids):
            _set_skipped(store, skipped - set(ids))
        _mark_finished(store, row, reviewer)
    return ReviewDecision(decision, tuple(ids), status, new_id, folded)


def _fold_hand_codings(store: Store, row: dict[str, Any], ids: list[str], reviewer: str) -> tuple[str, ...]:
    """Fold the reviewer's manual codings of the accepted code on the same span into the accepted suggestion(s).

    The accepted suggestion is kept (so the suggester is credited and the decision recorded); each manual twin
    is removed with a note naming it (its full record stays in the event log), and its memo goes beside the
    suggester's evidence on each accepted twin, so nothing the reviewer wrote is lost and the passage counts once.
    """
    from .owner import accepted_memo

    df = store.codings(coder=reviewer, code=str(row["code_id"]), document=str(row["document_id"]), status="manual")
    twins = df.loc[((df["start"] == int(row["start"])) & (df["end"] == int(row["end"]))).fillna(False).astype(bool)]
    if twins.empty:
        return ()
    gone = tuple(str(c) for c in twins["coding_id"])
    memo = "; ".join(dict.fromkeys(str(m) for m in twins["memo"].dropna() if str(m)))
    if memo:
        changes = {cid: {"memo": accepted_memo(store, store.coding(cid), memo, reviewer)} for cid in ids}
        store.update_codings(changes, kind="memo", actor=reviewer,
                             note=f"review: accept: memo of {reviewer}'s hand coding {', '.join(gone)}")
    store.remove_codings(gone, actor=reviewer, note=f"review: accept: folded into the accepted suggestion "
                                                    f"{row['coding_id']} ({reviewer} had coded it by hand)")
    return gone


def _mark_finished(store: Store, row: dict[str, Any], reviewer: str) -> None:
    """When no suggestion is left open on the decided suggestion's segment, the reviewer has seen it."""
    segs = store.segments(document=str(row["document_id"]), with_text=False)
    inside = segs.loc[(segs["start"] <= int(row["start"])) & (segs["end"] >= int(row["end"]))]
    if inside.empty:
        return
    seg = inside.iloc[0]
    left = store.codings(status="suggested", document=str(row["document_id"]))
    if ((left["start"] >= int(seg["start"])) & (left["end"] <= int(seg["end"]))).any():
        return
    store.mark_seen([str(seg["segment_id"])], coder=reviewer, source="review")


def _recode(store: Store, row: dict[str, Any], new_code: str | None, reviewer: str,
            codebook: Codebook | None) -> str:
    from .manual import accepted_twins

    owned = accepted_twins(store, reviewer, str(row["document_id"]), int(row["start"]), int(row["end"]),
                           str(new_code))
    if owned:  # the reviewer already holds that code there through a suggestion they accepted: no twin
        return str(owned[0]["coding_id"])
    coding = Coding(
        document_id=str(row["document_id"]), start=int(row["start"]), end=int(row["end"]), code_id=str(new_code),
        coder=reviewer, status="manual", text=str(row["text"]), segment_id=row["segment_id"],
        codebook_version=codebook.version if codebook is not None else row["codebook_version"],
        provenance=Provenance("review", f"recode:{row['code_id']}",
                              {"suggestion": row["coding_id"], "suggester": row["coder"]}),
    )
    store.add_codings([coding], actor=reviewer)
    df = store.codings(document=coding.document_id, code=coding.code_id, coder=coding.coder)
    same = df[(df["start"] == coding.start) & (df["end"] == coding.end)]
    return str(same["coding_id"].iloc[0]) if len(same) else coding.id  # not always coding.id: Store._free_id


__all__ = ["DECISIONS", "ORDERS", "QUEUE_COLUMNS", "ReviewDecision", "SKIP_KEY", "accept_refusal", "decide",
           "review_queue", "skipped_ids"]
