"""Manual coding: a person applies (or removes) a code on a segment or an exact span.

Every write goes through the store's event log, so each act is kept with coder, time and source.
Codes are checked against the codebook (unknown ids get a did-you-mean) and offsets against the
document (``[E014]``), so nothing invalid is ever stored.

Example:
    >>> code(store, "interview-01:12", "generativity", coder="AB", codebook=cb)
    >>> code(store, ("interview-01", 120, 180), "hook_for_change", coder="AB", codebook=cb)
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError, NotFoundError, Warnings
from ..models import COUNTED_STATUSES, Coding, Provenance
from ..store import Store
from ..store.db import coding_from_row

#: A segment id ("doc:12") or an exact span (document_id, start, end).
Target = str | tuple[str, int, int]


class InterviewerTurnWarning(UserWarning):
    """A coding was stored where no table, agreement or quote counts it: an interviewer turn (W533), or a span
    that overlaps no participant's turn or survey answer (W124)."""


class CodedByBatchWarning(UserWarning):
    """A coding by hand found the same coding stored by a batch (W556): it is logged, so undoing the batch keeps it."""


@dataclass(frozen=True, slots=True)
class Span:
    """A resolved coding target: where it is, what it quotes, and the segment around it."""

    document_id: str
    start: int
    end: int
    text: str
    segment_id: str | None


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """The closest known id to ``word`` (typos, missing underscores), or None."""
    opts = list(options)
    close = difflib.get_close_matches(word, opts, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.lower().replace(" ", "_").replace("-", "_"), opts, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_code_hint(codebook: Codebook, code_id: str) -> str:
    """What the changes log made of an id the codebook no longer defines (``changed_hint``), else 'Did you
    mean …?', else where to look the codes up."""
    became = changed_hint(codebook, code_id)
    if became:
        return became
    guess = did_you_mean(code_id, [c.id for c in codebook.codable()])
    if guess:
        return f"Did you mean '{guess}'?"
    return f"The codebook '{codebook.name}' {codebook.version} lists its codes in `thematic codebook show`."


def changed_hint(codebook: Codebook, code_id: str) -> str | None:
    """What became of an id a released rename, merge, split or retire took away (the last such entry), naming the
    codes it is now ("'a' was merged into b in codebook 1.1.0; use b."); None when no entry did."""
    entries = [e for e in codebook.released_changes() if e.kind in ("rename", "merge", "split", "retire")
               and code_id in e.sources and code_id not in e.targets]
    if not entries:
        return None
    e = entries[-1]
    if e.kind == "retire":
        note = f" ({e.note})" if e.note else ""
        return (f"'{code_id}' was retired in codebook {e.version}{note}; choose another code (`thematic codebook "
                "show` lists them).")
    verb = {"rename": "renamed to", "merge": "merged into", "split": "split into"}[e.kind]
    now = list(dict.fromkeys(c for t in e.targets for c in _codes_now(codebook, t, {code_id})))
    use = f"use {' or '.join(now)}." if now else "choose another code (`thematic codebook show` lists them)."
    return f"'{code_id}' was {verb} {', '.join(e.targets)} in codebook {e.version}; {use}"


def _codes_now(codebook: Codebook, code_id: str, seen: set[str]) -> list[str]:
    """The codable ids ``code_id`` became through later renames, merges and splits (itself when codable)."""
    if code_id in seen:
        return []
    seen.add(code_id)
    if code_id in codebook:
        return [] if codebook[code_id].is_theme or code_id in codebook.retired else [code_id]
    moved = [e for e in codebook.released_changes() if e.kind in ("rename", "merge", "split")
             and code_id in e.sources and code_id not in e.targets]
    return [c for t in (moved[-1].targets if moved else ()) for c in _codes_now(codebook, t, seen)]


def check_code(codebook: Codebook, code_id: str, *, where: str = "", allow_retired: bool = False) -> None:
    """Raise InputError unless ``code_id`` is a code (not a theme) of ``codebook`` that may be applied.

    A retired code (a released ``retire`` entry) is refused with ``[E210]`` so nobody applies it by hand.

    Args:
        codebook: the codebook to check against.
        code_id: the id a person typed.
        where: optional location for the message, e.g. " in coding-AB.xlsx row 12".
        allow_retired: accept a retired code (to filter or remove old codings of it, not to apply it).
    """
    if not isinstance(code_id, str):  # None, a number or a list: not a typo to match, but say what a code id is
        example = next((c.id for c in codebook.codable()), "funding")
        raise InputError(Errors.E340.format(code=code_id, where=where, hint=(
            f"A code id is text, such as '{example}'; the codebook '{codebook.name}' {codebook.version} lists its "
            "codes in `thematic codebook show`.")))
    if code_id not in codebook:
        raise InputError(Errors.E340.format(code=code_id, where=where, hint=unknown_code_hint(codebook, code_id)))
    if codebook[code_id].is_theme:
        kids = ", ".join(c.id for c in codebook.children(code_id)[:6]) or "none yet"
        raise InputError(Errors.E341.format(code=code_id, where=where, children=kids))
    if not allow_retired and code_id in codebook.retired:
        raise InputError(retired_message(codebook, code_id, where))


def retired_message(codebook: Codebook, code_id: str, where: str = "") -> str:
    """E210 for a retired code: the version that retired it, its note, and what to use instead if the log says."""
    entries = codebook.released_changes()
    retire = [e for e in entries if e.kind == "retire" and code_id in e.sources][-1]
    note = f" ({retire.note})" if retire.note else ""
    instead = [t for e in entries if e.kind in ("rename", "merge", "split") and code_id in e.sources
               for t in e.targets if t in codebook and t not in codebook.retired]
    if instead:
        hint = f"code {' or '.join(dict.fromkeys(instead))} instead."
    else:
        guess = did_you_mean(code_id, [c.id for c in codebook.codable()])
        hint = (f"choose another code (did you mean '{guess}'?)." if guess else
                "choose another code (`thematic codebook show` lists them).")
    return Errors.E210.format(code=code_id, where=where, version=retire.version, note=note,
                              hint=hint + " Old codings of it stay as history and can still be removed.")


def enclosing_segment(segments: pd.DataFrame, start: int, end: int) -> pd.Series | None:
    """The first segment (of one document's segments frame) containing ``start:end``, if any."""
    inside = segments[(segments["start"] <= start) & (segments["end"] >= end)]
    return None if inside.empty else inside.iloc[0]


def resolve_target(store: Store, target: Target | Sequence[Any]) -> Span:
    """Turn a segment id or a (document, start, end) tuple into a checked span with its quote."""
    if isinstance(target, str):
        seg = store.segment(target)
        return Span(seg.document_id, seg.start, seg.end, seg.text, seg.id)
    if not isinstance(target, (tuple, list)) or len(target) != 3:
        raise InputError(Errors.E343.format(target=target, detail=_SHAPE))
    document_id, start, end = str(target[0]), _offset(target[1], target), _offset(target[2], target)
    text = store.document_text(document_id)
    if start < 0 or end > len(text):
        raise InputError(Errors.E014.format(start=start, end=end, document=document_id, length=len(text)))
    if start >= end:
        raise InputError(Errors.E342.format(start=start, end=end, document=document_id))
    seg = enclosing_segment(store.segments(document=document_id, with_text=False), start, end)
    return Span(document_id, start, end, text[start:end], None if seg is None else str(seg["segment_id"]))


_SHAPE = "give a segment id such as 'interview-01:12' or a (document_id, start, end) tuple."


def _offset(value: Any, target: Any) -> int:
    """A whole-number offset (an int, a numpy integer, 52.0 or "52"); a fraction or a bool is E343, never truncated."""
    whole = (f"the offset {value!r} is not a whole number. Offsets count characters (code points) from the "
             "start of the document text, so give whole numbers (52, or 52.0 as a spreadsheet writes it).")
    if isinstance(value, bool):
        raise InputError(Errors.E343.format(target=target, detail=whole))
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        if math.isfinite(float(value)) and float(value).is_integer():
            return int(float(value))
        raise InputError(Errors.E343.format(target=target, detail=whole))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError(Errors.E343.format(target=target, detail=whole)) from None


def code(
    store: Store,
    target: Target,
    code_id: str,
    *,
    coder: str,
    memo: str | None = None,
    codebook: Codebook | None = None,
) -> Coding:
    """Apply ``code_id`` to a segment or span as ``coder``'s manual coding; returns the stored coding.

    Coding the same span with the same code twice is harmless: the second call only updates the
    memo (when one is given). So is coding a span whose suggestion of that code the coder accepted:
    that accepted coding is already theirs and is returned, not doubled; a memo then goes beside the
    suggester's evidence ("AB: ...", see ``owner.accepted_memo``). Either one stored by a batch (a coded search,
    a sheet or REFI import) is logged as coded again by hand, with W556, so undoing that batch keeps it (a
    suggestion a person accepted since is kept by such an undo already, so it needs neither).
    The quoted text is stored beside the offsets.
    The coder's name is trimmed and NFC-normalised; a suggester's name is E357, a new name with a comma E358.

    Args:
        store: the study's store.
        target: a segment id ("interview-01:12") or (document_id, start, end) offsets.
        code_id: a code of the codebook.
        coder: the person coding (initials or name).
        memo: an optional note kept with the coding; a missing one (None, pd.NA, NaN, as a codings frame shows
            it) is none, and anything else but text is E524.
        codebook: checks the code id and stamps ``codebook_version`` (recommended).
    """
    coding, note = code_with_note(store, target, code_id, coder=coder, memo=memo, codebook=codebook)
    if note is not None:
        warnings.warn(note, CodedByBatchWarning if note.startswith("[W556]") else InterviewerTurnWarning, stacklevel=3)
    return coding


def _memo_or_none(memo: Any) -> str | None:
    """``memo`` as text, or None when it is missing (None, pd.NA, NaN: a codings frame's empty memo, no memo);
    anything else is [E524], not a store write failure."""
    if memo is None or isinstance(memo, str):
        return memo
    if pd.api.types.is_scalar(memo) and pd.isna(memo):
        return None
    raise InputError(Errors.E524.format(kind=type(memo).__name__, value=repr(memo)[:60]))


def code_with_note(store: Store, target: Target, code_id: str, *, coder: str, memo: str | None = None,
                   codebook: Codebook | None = None) -> tuple[Coding, str | None]:
    """``code``, returning W533's, W124's or W556's message (or None) instead of warning it: the widget shows it in
    its status line."""
    from .._spreadsheet import check_memo

    coder = store.person(coder, "coder")
    memo = _memo_or_none(memo)
    check_memo(memo)  # [E362]: a memo no .xlsx export could hold is refused here, not at every export
    if codebook is not None:
        check_code(codebook, code_id)
    span = resolve_target(store, target)
    coding = Coding(
        document_id=span.document_id, start=span.start, end=span.end, code_id=code_id, coder=coder,
        status="manual", text=span.text, segment_id=span.segment_id,
        codebook_version=codebook.version if codebook is not None else None,
        provenance=Provenance("manual"), memo=memo,
    )
    with store.transaction():
        owned = accepted_twins(store, coding.coder, coding.document_id, coding.start, coding.end, code_id)
        added, _ = (0, 0) if owned else store.add_codings([coding], actor=coder)
        if not added:
            if owned:  # the memo goes beside each suggester's evidence, which stays
                from .owner import accepted_memo

                new = {str(r["coding_id"]): accepted_memo(store, r, memo, coder) for r in owned} if memo is not None \
                    else {}
                current = owned[0]
            else:
                current = _same_span(store, coding)
                new = {str(current["coding_id"]): memo} if memo is not None else {}
            changes = {cid: {"memo": m} for cid, m in new.items() if store.coding(cid).get("memo") != m}
            if changes:
                store.update_codings(changes, kind="memo", actor=coder)
            _re_anchor_lost(store, owned or [current], span, coder=coder)
            return coding_from_row(store.coding(current["coding_id"])), _coded_again_by_hand(
                store, owned or [current], coder=coder, code_id=code_id, span=span)
        stored = _same_span(store, coding)["coding_id"]  # not always coding.id: see Store._free_id
    return coding_from_row(store.coding(stored)), interviewer_turn_note(store, span.segment_id, code_id, span)


def _re_anchor_lost(store: Store, rows: Sequence[dict[str, Any]], span: Span, *, coder: str) -> None:
    """Re-anchor, by the coder's hand, those of ``rows`` (their stored codings of exactly ``span``) whose quote a
    re-ingest lost: coding the words now there is the re-coding their flag asks for, so they quote those
    words, lose the flag and count again (a logged ``reanchor``)."""
    from ..models import STALE_FLAGS

    lost = [str(r["coding_id"]) for r in rows if r.get("flag") in STALE_FLAGS]
    if lost:
        store.update_codings({cid: {"text": span.text, "segment_id": span.segment_id, "flag": None} for cid in lost},
                             kind="reanchor", actor=coder, note="coded again by hand where its quote was lost")


def _accepted_since(store: Store, row: dict[str, Any]) -> bool:
    """Whether ``row`` is a suggestion a person accepted after its batch stored it (undoing that batch keeps it)."""
    if row.get("status") != "accepted":
        return False
    events = store.events(coding_id=str(row["coding_id"]))
    accepts = events.loc[(events["kind"] == "accept").to_numpy(dtype=bool), "batch_id"]
    return any(pd.isna(b) or str(b) != str(row["batch_id"]) for b in accepts)


def _coded_again_by_hand(store: Store, rows: Sequence[dict[str, Any]], *, coder: str, code_id: str,
                         span: Span) -> str | None:
    """Log a ``confirm`` event with no batch for each of ``rows`` (the coder's stored codings of this span) that a
    batch stored, so undoing that batch keeps it (``Store.revert_batch``); W556's message per batch, or None."""
    by_batch: dict[str, list[str]] = {}
    for row in rows:
        if row.get("batch_id") and not _accepted_since(store, row):
            by_batch.setdefault(str(row["batch_id"]), []).append(str(row["coding_id"]))
    if not by_batch:
        return None
    kinds = store.batches().set_index("batch_id")["kind"]
    where = span.segment_id or f"{span.document_id} [{span.start}:{span.end}]"
    notes = []
    for batch, ids in by_batch.items():
        store.confirm_codings(ids, actor=coder, batch_id=None, note=f"coded again by hand (stored by batch {batch})")
        notes.append(Warnings.W556.format(where=where, coder=coder, code=code_id, batch=batch,
                                          kind=kinds.get(batch, "a batch")))
    return " ".join(notes)


def interviewer_turn_note(store: Store, segment_id: str | None, code_id: str,
                          span: Span | None = None) -> str | None:
    """W533's message when ``segment_id`` is an interviewer turn, or W124's when ``span`` lies in no segment and
    overlaps no participant's turn or survey answer (a survey's respondent/question header): stored there, a
    coding counts nowhere. Else None."""
    if segment_id is None:
        return None if span is None else _uncounted_span_note(store, span, code_id)
    seg = store.segment(segment_id)
    if not seg.is_interviewer:
        return None
    segs = store.segments(document=seg.document_id, with_text=False)
    after = segs[(segs["index"] > seg.index) & ~segs["is_interviewer"].fillna(False).astype(bool)]
    instead = f" (the next one is '{after.iloc[0]['segment_id']}')" if not after.empty else ""
    return Warnings.W533.format(segment=segment_id, speaker=seg.speaker or "no speaker label", code=code_id,
                                instead=instead)


def _uncounted_span_note(store: Store, span: Span, code_id: str) -> str | None:
    """W124's message when ``span`` overlaps no participant segment (tables count a coding by the segments it
    overlaps), naming the participant segment that follows it; else None."""
    segs = store.segments(document=span.document_id, with_text=False)
    speaking = segs[~segs["is_interviewer"].fillna(False).astype(bool)]
    if ((speaking["start"] < span.end) & (speaking["end"] > span.start)).any():
        return None
    after = speaking[speaking["start"] >= span.end].sort_values("start")
    instead = f" (the next one is '{after.iloc[0]['segment_id']}')" if not after.empty else ""
    quote = " ".join(span.text.split())
    quote = quote if len(quote) <= 60 else quote[:59] + "…"
    return Warnings.W124.format(document=span.document_id, start=span.start, end=span.end, quote=quote,
                                code=code_id, instead=instead)


def accepted_twins(store: Store, coder: str, document_id: str, start: int, end: int,
                   code_id: str) -> list[dict[str, Any]]:
    """The suggestions of ``code_id`` on this exact span that ``coder`` accepted (theirs already; twins from
    several suggesters included)."""
    ids = store.coding_ids_on_span(document_id, start, end, code_id, status="accepted", owner=coder)
    return [store.coding(cid) for cid in ids]  # this span only: not the document's codings, per call


def _same_span(store: Store, coding: Coding) -> dict[str, Any]:
    ids = store.coding_ids_on_span(coding.document_id, coding.start, coding.end, coding.code_id, coder=coding.coder)
    if not ids:  # pragma: no cover - add_codings skipped it, so it exists
        raise NotFoundError(Errors.E013.format(coding=coding.id))
    return store.coding(ids[0])


def uncode(
    store: Store,
    target: Target,
    code_id: str,
    *,
    coder: str,
    codebook: Codebook | None = None,
) -> int:
    """Take ``coder``'s codings of ``code_id`` off a segment (any span inside it) or an exact span.

    A manual coding is removed; a suggestion ``coder`` accepted becomes rejected by them instead, so "this
    code does not apply here" sticks and no suggester stores it again. Both are logged (who, when). Returns
    how many codings were taken off (0 when there was nothing). A code id that is neither coded there nor
    in the codebook raises ``[E340]`` with a did-you-mean; a retired code can still be taken off.
    """
    return sum(uncode_counts(store, target, code_id, coder=coder, codebook=codebook))


def uncode_counts(store: Store, target: Target, code_id: str, *, coder: str,
                  codebook: Codebook | None = None) -> tuple[int, int]:
    """``uncode``, returning (manual codings removed, accepted suggestions turned into rejections); warns W554
    when a coding whose quote a re-ingest lost lies there (it is kept: see ``uncode_with_note``)."""
    removed, rejected, note = uncode_with_note(store, target, code_id, coder=coder, codebook=codebook)
    if note is not None:
        warnings.warn(note, UserWarning, stacklevel=3)
    return removed, rejected


def uncode_with_note(store: Store, target: Target, code_id: str, *, coder: str,
                     codebook: Codebook | None = None) -> tuple[int, int, str | None]:
    """``uncode_counts``, returning W554's message (or None) instead of warning it, for the widget's status line.

    A coding whose quote a re-ingest lost (or whose document went) is never taken off by segment or span: its
    offsets point at other words now, so only its id (``uncode_id``) removes it."""
    import shlex

    from ..models import UNANCHORED_FLAGS
    from .owner import coder_codings

    coder = store.person(coder, "coder")
    if codebook is not None and not isinstance(code_id, str):
        check_code(codebook, code_id, allow_retired=True)  # E340, not a comparison error below
    span = resolve_target(store, target)
    df = coder_codings(store, coder, document=span.document_id)  # theirs: manual by them, or accepted by them
    df = df.loc[(df["code_id"] == code_id).fillna(False).astype(bool)]
    if isinstance(target, str):
        hit = df[(df["segment_id"] == span.segment_id) | ((df["start"] >= span.start) & (df["end"] <= span.end))]
    else:
        hit = df[(df["start"] == span.start) & (df["end"] == span.end)]
    if hit.empty and codebook is not None and code_id not in codebook:  # a typo, not "nothing to remove"
        check_code(codebook, code_id, allow_retired=True)
    lost = hit["flag"].isin(UNANCHORED_FLAGS).fillna(False).astype(bool)
    kept, hit = hit[lost], hit[~lost]
    note = None if kept.empty else Warnings.W554.format(
        where=span.segment_id if isinstance(target, str) else f"{span.document_id} [{span.start}:{span.end}]",
        n=len(kept), coder=coder, code=code_id, ids=", ".join(kept["coding_id"].astype(str)),
        shell=shlex.quote(coder))
    return (*_take_off(store, hit, coder=coder, note="uncoded"), note)


def _take_off(store: Store, rows: pd.DataFrame, *, coder: str, note: str) -> tuple[int, int]:
    """Remove the manual codings among ``rows``; reject (by ``coder``) the accepted suggestions among them."""
    accepted = (rows["status"] == "accepted").fillna(False).astype(bool)
    removes = [str(i) for i in rows.loc[~accepted, "coding_id"]]
    rejects = [str(i) for i in rows.loc[accepted, "coding_id"]]
    with store.transaction():
        removed = store.remove_codings(removes, actor=coder, note=note) if removes else 0
        rejected = store.set_status(rejects, "rejected", actor=coder,
                                    note=f"{note}: the accepted suggestion is now rejected") if rejects else 0
    return removed, rejected


def uncode_id(store: Store, coding_id: str, *, coder: str) -> int:
    """Take one of ``coder``'s codings off by its id (e.g. one of two a merge flagged as duplicates); returns how
    many codings were taken off.

    As in ``uncode``, a manual coding is removed and a suggestion ``coder`` accepted becomes rejected by them,
    with its twins (the same code on the same span from other suggesters, settled together in review).
    Raises ``[E212]`` when there is no such coding, or it is not ``coder``'s: theirs are their manual codings
    and the suggestions they accepted, never a suggestion as such.
    """
    from .owner import coder_codings, owners

    coder = store.person(coder, "coder")
    try:
        row = store.coding(coding_id)
    except NotFoundError:
        raise NotFoundError(Errors.E212.format(coding=coding_id, where="")) from None
    mine = coder_codings(store, coder, document=row["document_id"])
    if coding_id not in set(mine["coding_id"]):
        owner = owners(pd.DataFrame([row])).iloc[0]
        whose = f"a {row['status']} suggestion by {row['coder']}" if row["status"] in ("suggested", "rejected") \
            else f"{owner}'s"
        raise NotFoundError(Errors.E212.format(coding=coding_id, where=f" of {coder}'s (it is {whose})"))
    if row["status"] == "accepted":
        twins = mine.loc[((mine["status"] == "accepted") & (mine["code_id"] == row["code_id"])
                          & (mine["start"] == row["start"]) & (mine["end"] == row["end"])).fillna(False).astype(bool)]
        return sum(_take_off(store, twins, coder=coder, note="uncoded by id"))
    return store.remove_codings([coding_id], actor=coder, note="uncoded by id")


_SEPARATORS = ",;\n"


def split_code_names(text: str, codebook: Codebook | None = None) -> list[str]:
    """The code names typed in one cell (a sheet's ``codes``, a decision), separated by commas, semicolons or
    new lines; a codebook label holding a separator ("Security vetting, clearance and risk aversion") is read
    whole first, the longest such label winning, ignoring case."""
    whole = sorted({e.label.strip() for e in (*codebook.themes, *codebook.codes)
                    if any(ch in e.label for ch in _SEPARATORS) and e.label.strip()} if codebook else (),
                   key=len, reverse=True)
    pieces: list[tuple[bool, str]] = []  # (read whole, text)
    last = 0
    if whole:
        alternatives = "|".join(re.escape(label) for label in whole)
        pattern = re.compile(rf"(?:^|(?<=[,;\n]))[ \t]*({alternatives})[ \t]*(?=[,;\n]|\Z)", re.IGNORECASE)
        for m in pattern.finditer(text):
            pieces += [(False, text[last:m.start()]), (True, m.group(1))]
            last = m.end()
    pieces.append((False, text[last:]))
    names: list[str] = []
    for is_label, piece in pieces:
        names.extend([piece] if is_label else [t.strip() for t in re.split(r"[,;\n]", piece) if t.strip()])
    return names


def _listed(value: str | Iterable[str] | None) -> list[str] | None:
    """A filter value as a list of names (a string may list several, comma-separated); None for no filter."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return [v.strip() for v in items if v.strip()]


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", str(name)).strip()


def _close(value: str, known: Sequence[str]) -> str:
    """" Did you mean 'x'?" for the known value closest to ``value`` (case aside), or ""."""
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.5)
    return f" Did you mean '{folded[close[0]]}'?" if close else ""


def check_statuses(status: str | Iterable[str] | None) -> list[str] | None:
    """The coding statuses a ``status`` filter names; a typo is E016 (not an empty table)."""
    from ..models import CODING_STATUSES

    wanted = _listed(status)
    for name in wanted or []:
        if name not in CODING_STATUSES:
            raise InputError(Errors.E016.format(status=name, allowed=", ".join(CODING_STATUSES)) + _close(name, CODING_STATUSES))
    return wanted


def resolve_coder_names(known: Iterable[str], coder: str | Iterable[str] | None, *,
                        new_ok: bool = False) -> list[str] | None:
    """The coders a ``coder`` filter names, as ``known`` spells them: exactly, else case-insensitively when that
    picks out one (``ab`` is ``AB``), as the analysis tables match them; otherwise E409 naming the known ones.

    With ``new_ok`` a name close to no known coder is kept as it is (a coder who has not coded yet: nothing
    found), and only a likely typo (close to a known name, or ambiguous case aside) is E409.
    """
    people = sorted(set(known), key=str.casefold)
    if isinstance(coder, str) and _nfc(coder) in {_nfc(p) for p in people}:
        wanted: list[str] | None = [coder.strip()]  # a stored name with a comma ('Smith, J') is that one coder
    else:
        wanted = _listed(coder)
    if wanted is None:
        return None
    by_nfc = {_nfc(p): p for p in people}
    wanted = [by_nfc.get(_nfc(name), unicodedata.normalize("NFC", name)) for name in wanted]
    out = []
    for name in wanted:
        same = [name] if name in people else [k for k in people if k.casefold() == name.casefold()]
        if len(same) != 1:
            hint = _close(name, people)
            if new_ok and not same and not hint:
                out.append(name)
                continue
            raise InputError(Errors.E409.format(coder=name, hint=hint, known=", ".join(people) or "none"))
        out.append(same[0])
    return list(dict.fromkeys(out))


def coders_in(store: Store, codings_frame: pd.DataFrame | None = None) -> list[str]:
    """Everyone with a coding in the store (any status), reviewers of accepted suggestions included."""
    df = store.codings() if codings_frame is None else codings_frame
    people = set(df["coder"].dropna().astype(str))
    people |= set(df.loc[(df["status"] == "accepted").fillna(False).astype(bool), "reviewer"].dropna().astype(str))
    return sorted(people, key=str.casefold)


def resolve_documents(store: Store, document: str | Iterable[str] | None) -> list[str] | None:
    """The stored document ids a ``document`` filter names (ids or ``*`` patterns, as the tables take them);
    one that matches none is E408 with a did-you-mean and the stored ids."""
    import fnmatch

    wanted = _listed(document)
    if wanted is None:
        return None
    ids = [str(d) for d in store.documents()["document_id"]]
    out: list[str] = []
    for pattern in wanted:
        found = [d for d in ids if fnmatch.fnmatchcase(d, pattern)]
        if not found:
            shown = ", ".join(ids[:8]) + (" …" if len(ids) > 8 else "")
            raise InputError(Errors.E408.format(pattern=pattern, examples=shown or "(none stored)") + _close(pattern, ids))
        out.extend(found)
    return list(dict.fromkeys(out))


def check_filter_codes(store: Store, code: str | Iterable[str] | None, codebook: Codebook | None) -> list[str] | None:
    """The code ids a ``code`` filter names; with a codebook, one that is neither in it nor stored is E340."""
    wanted = _listed(code)
    if wanted is None or codebook is None:
        return wanted
    stored = set(store.codings()["code_id"].dropna().astype(str))
    known = sorted(set(codebook.entries) | stored)
    for name in wanted:
        if name not in known:
            guess = did_you_mean(name, known)
            hint = f"Did you mean '{guess}'?" if guess else f"The codebook '{codebook.name}' lists its codes in `thematic codebook show`."
            raise InputError(Errors.E340.format(code=name, where=" in the code filter", hint=hint))
    return wanted


def codings(
    store: Store,
    *,
    coder: str | Iterable[str] | None = None,
    code: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    document: str | Iterable[str] | None = None,
    segment: str | None = None,
    counted: bool = False,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """Current codings (``schemas.CODINGS`` columns and ``suggested_by``), filtered by coder, code, status,
    document, segment.

    As in export codings, an accepted suggestion is the coding of the person who accepted it: ``coder`` is
    the reviewer, ``suggested_by`` (and ``suggester``) the suggester. So ``coder=X`` lists X's accepted
    suggestions; a suggester named in ``coder`` still lists each suggestion it made, accepted ones too, except
    with ``counted`` (the tables count an accepted suggestion as the reviewer's only).
    Coders match as in the analysis tables (exactly, else case aside when unambiguous), documents by id or
    ``*`` pattern; a filter value that matches nothing known is an error naming it (E016 status, E408 document,
    and with ``codebook`` E340 code; E409 a coder close to a known one, such as ``AX`` for ``AB``), never a
    silently empty table. A coder unlike any known one is someone who has not coded yet: an empty table.

    Args:
        counted: keep only the statuses tables count (manual and accepted), unless ``status`` is given.
        segment: keep the codings whose span overlaps this segment (or that are recorded on it), the codings
            the tables count for it.
        codebook: check ``code`` against it (and the stored code ids).
    """
    from .owner import accepted_as_coding

    status = check_statuses(status)
    tables_view = status is None and counted
    if tables_view:
        status = list(COUNTED_STATUSES)
    coder = resolve_coder_names(coders_in(store), coder, new_ok=True)
    code = check_filter_codes(store, code, codebook)
    document = resolve_documents(store, document)
    df = store.codings(code=code, status=status, document=document)
    df = accepted_as_coding(df.assign(_row=range(len(df))), keep_suggester=coder is not None and not tables_view)
    if coder is not None:
        df = df.loc[df["coder"].isin(coder).fillna(False).astype(bool)]
    df = df.sort_values("_row", kind="stable").drop(columns="_row").reset_index(drop=True)  # the store's order
    if segment is not None:
        seg = store.segment(segment)
        # overlap, as the tables count a coding (a zero-length one for the segment holding its start)
        start, end = df["start"].astype("int64"), df["end"].astype("int64")
        touches = (start < seg.end) & (end.where(end > start, start + 1) > seg.start)
        on = df["segment_id"].astype("string").eq(seg.id).fillna(False).astype(bool) if "segment_id" in df else False
        df = df[(df["document_id"] == seg.document_id) & (touches | on)].reset_index(drop=True)
    return df


__all__ = ["Span", "Target", "accepted_twins", "check_code", "check_filter_codes", "check_statuses", "code", "coders_in", "codings",
           "code_with_note", "did_you_mean", "enclosing_segment", "interviewer_turn_note", "resolve_coder_names", "resolve_documents", "resolve_target",
           "retired_message", "changed_hint", "uncode", "uncode_counts", "uncode_id", "uncode_with_note",
           "unknown_code_hint"]
