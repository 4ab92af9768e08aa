"""Quotes for the appendix: which coded passages to show under each code, in what order, attributed how.

A quote is the part of a coded span inside one (non-interviewer) segment, so each quote has one
speaker. The same passage coded by two coders appears once: overlapping spans of one code in one
segment (nested or not) make one quote over their union. A quote is *chosen* when its coding's memo
contains ``#chosen`` or its id is passed in ``chosen``, or when it is a consensus coding that replaces
such a coding (same code, overlapping it in that segment), so reconciling keeps the coders' marks. With
``max_quotes`` the cap takes one quote per participant before a second from anyone, in rounds: a
participant's chosen quote is their first, and within a round chosen quotes come first; so a code's
quotes show the breadth of voices.

Attribution never uses real names: only the participant id, the ``pseudonym`` attribute, the
(pseudonymised) speaker label and the role attribute that the store holds.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from .selection import (
    SUPERSEDED,
    SUPERSEDED_ON,
    coded_segments,
    document_kinds,
    filter_documents,
    participant_groups,
    resolve_codes,
    resolve_groups,
    select_codings,
)

ATTRIBUTION_STYLES = ("pseudonym-role", "name-role", "role")
QUOTE_ORDERS = ("participant", "document", "chosen")
CHOSEN_TAG = "#chosen"
QUOTE_COLUMNS = [
    "code_id", "coding_id", "document_id", "document_label", "segment_id", "participant_id", "group",
    "start", "end", "text", "attribution", "location", "chosen",
]


DOCUMENT_LABELS = ("neutral", "title", "id")


def document_labels(segments: pd.DataFrame, documents: pd.DataFrame | None = None, *,
                    mode: str = "neutral") -> dict[str, str]:
    """How quotes name their document: ``neutral`` (default), the document ``title`` or its ``id``.

    Neutral labels say what the document is without its file name (which may hold a real name):
    ``Interview 3`` (numbered in participant order), ``Focus group 1``, ``Survey``. The dict is in
    document order: the order of the neutral numbers, or of the ids (naturally) for titles and ids.
    """
    if mode not in DOCUMENT_LABELS:
        raise InputError(Errors.E403.format(option="document labels", value=mode, allowed=", ".join(DOCUMENT_LABELS)))
    ids = sorted(dict.fromkeys(segments["document_id"]), key=_natural)
    if mode != "neutral":
        titles = {} if mode == "id" or documents is None or "title" not in documents else {
            d: t.strip() for d, t in zip(documents["document_id"], documents["title"]) if isinstance(t, str) and t.strip()}
        return {d: titles.get(d, str(d)) for d in ids}
    speaking = segments.loc[~segments["is_interviewer"].fillna(False).astype(bool)] if "is_interviewer" in segments \
        else segments
    kinds = {}
    kind_of = document_kinds(segments)
    for doc, g in speaking.groupby("document_id", sort=False):
        people = g["participant_id"].dropna().unique()
        kind = {"survey": "Survey", "focus group": "Focus group"}.get(kind_of[str(doc)], "Interview")
        kinds[doc] = (kind, (0, _natural(people[0])) if len(people) else (1,), _natural(doc))
    out: dict[str, str] = {}
    for kind in ("Interview", "Focus group", "Survey"):
        docs = sorted((d for d, k in kinds.items() if k[0] == kind), key=lambda d: (kinds[d][1], kinds[d][2]))
        for i, d in enumerate(docs, start=1):
            out[d] = f"{kind} {i}" if len(docs) > 1 or kind != "Survey" else kind
    return {**out, **{d: "Document" for d in ids if d not in out}}


#: Segment kinds a location counts by name (``paragraph 5``); any other is a turn.
_COUNTED_UNITS = ("paragraph", "sentence")


def segment_location(index: object, time_start: object, kind: object = None, question: object = None,
                     page: object = None) -> str:
    """``00:12:03`` when the segment has a timestamp, a survey answer's question, ``p. 4`` for a PDF's
    page, else ``turn 12`` (1-based, counting every speaker's turns), or ``paragraph 5`` / ``sentence 9``
    when the study's unit is finer (every speaker's paragraphs or sentences in the document counted)."""
    if isinstance(kind, str) and kind == "answer" and isinstance(question, str) and question.strip():
        q = question.strip()
        return f"Q: {q[:70]}{'…' if len(q) > 70 else ''}"
    if time_start is not None and not pd.isna(time_start):
        t = int(float(time_start))  # type: ignore[arg-type]
        return f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
    if page is not None and not pd.isna(page):
        return f"p. {int(page)}"  # type: ignore[call-overload]
    if index is None or pd.isna(index):
        return ""
    unit = kind if isinstance(kind, str) and kind in _COUNTED_UNITS else "turn"
    return f"{unit} {int(index) + 1}"  # type: ignore[call-overload]


def span_location(first: str, last: str) -> str:
    """Where a coding spanning several segments lies: ``turns 3-4``, ``sentences 8-9`` (or ``00:01:02 to 00:02:10``)."""
    if not last or first == last:
        return first
    for unit in ("turn", *_COUNTED_UNITS):
        if first.startswith(f"{unit} ") and last.startswith(f"{unit} "):
            return f"{unit}s {first[len(unit) + 1:]}-{last[len(unit) + 1:]}"
    return f"{first} to {last}"


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    """A column, or one of None when the frame lacks it (frames built by hand have no ``page``)."""
    return df[name] if name in df else pd.Series([None] * len(df), index=df.index, dtype=object)


def _natural(value: object) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", str(value)))


def _natural_rank(values: pd.Series) -> pd.Series:
    """Each value's position in natural order (P2 before P10; missing last) as a plain integer sort key."""
    def missing(v: object) -> bool:
        return v is None or (not isinstance(v, str) and bool(pd.isna(v)))

    uniq = [v for v in dict.fromkeys(values.astype(object)) if not missing(v)]
    rank = {v: i for i, v in enumerate(sorted(uniq, key=_natural))}
    return pd.Series([rank.get(v, len(rank)) if not missing(v) else len(rank) for v in values.astype(object)],
                     index=values.index, dtype="int64")


def _clean(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def attribution(participant_id: object, attrs: dict[str, object], speaker: object, *, style: str,
                role_attribute: str = "role") -> str:
    """The attribution of a quote: ``P03 (peer mentor)``, ``(James, peer mentor)`` or ``(peer mentor)``.

    ``name-role`` takes the name from the ``pseudonym`` attribute, else the stored speaker label
    (pseudonymised at ingest), else the participant id; it never reads any other name column.
    """
    if style not in ATTRIBUTION_STYLES:
        raise InputError(Errors.E403.format(option="style", value=style, allowed=", ".join(ATTRIBUTION_STYLES)))
    role = _clean(attrs.get(role_attribute))
    pid = _clean(participant_id)
    if style == "role":
        return f"({role or 'participant'})"
    if style == "name-role":
        name = _clean(attrs.get("pseudonym")) or _clean(speaker) or pid or "Unattributed"
        return f"({name}, {role})" if role else f"({name})"
    who = pid or _clean(speaker) or "Unattributed"
    return f"{who} ({role})" if role else who


def _pieces(codings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Each coding clipped to each non-interviewer segment it overlaps, with that segment's text."""
    hits = coded_segments(codings, segments)
    seg_cols = ["segment_id", "index", "start", "end", "speaker", "time_start", "kind", "question", "page", "text"]
    segs = segments[[c for c in seg_cols if c in segments]].rename(
        columns={"start": "seg_start", "end": "seg_end", "text": "seg_text"})
    df = hits.merge(segs, on="segment_id", how="left")
    df["start"] = np.maximum(df["start"].astype("int64"), df["seg_start"].astype("int64"))
    df["end"] = np.minimum(df["end"].astype("int64"), df["seg_end"].astype("int64"))
    df["text"] = [
        str(t)[s - ss:e - ss].strip() if isinstance(t, str) else ""
        for t, s, e, ss in zip(df["seg_text"], df["start"], df["end"], df["seg_start"].astype("int64"))
    ]
    return df.loc[df["text"] != ""]


def _dedupe(df: pd.DataFrame) -> pd.DataFrame:
    """One quote per passage: overlapping spans of one code and segment (nested or not) become one quote over
    their union, chosen if any of them is; spans that only touch stay apart."""
    df = df.sort_values(["code_id", "segment_id", "start", "end", "chosen"], ascending=[True, True, True, False, False])
    passage, last_key, reach = [], None, -1
    for key, start, end in zip(zip(df["code_id"], df["segment_id"]), df["start"], df["end"]):
        if key != last_key or start >= reach:
            last_key, reach = key, end
            passage.append(len(passage))
        else:
            reach = max(reach, end)
            passage.append(passage[-1])
    groups = df.assign(_g=passage).groupby("_g", sort=False)
    end, chosen_any = groups["end"].transform("max"), groups["chosen"].transform("any")
    out = df.assign(end=end, chosen=chosen_any.astype(bool)).loc[~pd.Series(passage, index=df.index).duplicated()]
    out["text"] = [str(t)[s - ss:e - ss].strip() if isinstance(t, str) else ""
                   for t, s, e, ss in zip(out["seg_text"], out["start"], out["end"], out["seg_start"].astype("int64"))]
    return out


def _replaced(codings: pd.DataFrame, segments: pd.DataFrame, *, include_suggested: bool) -> pd.DataFrame:
    """Pieces of the codings a consensus coding replaces, on the segments it settled (see ``consensus``)."""
    none = pd.Series(None, index=codings.index, dtype=object)
    whole = codings[SUPERSEDED].fillna(False).astype(bool) if SUPERSEDED in codings else none.notna()
    on = codings[SUPERSEDED_ON] if SUPERSEDED_ON in codings else none
    old = codings.loc[(whole | on.map(lambda v: isinstance(v, tuple))).to_numpy()]
    if old.empty:
        return pd.DataFrame(columns=["coding_id", "code_id", "segment_id", "start", "end", "memo"])
    settled_on = dict(zip(old["coding_id"].astype(str), old[SUPERSEDED_ON] if SUPERSEDED_ON in old else none))
    old = select_codings(old.drop(columns=[SUPERSEDED, SUPERSEDED_ON], errors="ignore"),
                         include_suggested=include_suggested)
    pieces = _pieces(old, segments)
    there = [not isinstance(settled_on.get(str(c)), tuple) or str(seg) in settled_on[str(c)]
             for c, seg in zip(pieces["coding_id"], pieces["segment_id"])]
    return pieces.loc[np.asarray(there, dtype=bool)]


def _marked(df: pd.DataFrame, chosen_ids: set[str]) -> pd.Series:
    """True for pieces whose coding's memo says ``#chosen`` or whose id is in ``chosen_ids``."""
    memo = df["memo"].fillna("").astype(str).str.lower()
    return memo.str.contains(CHOSEN_TAG, regex=False) | df["coding_id"].isin(chosen_ids)


def _inherit_chosen(df: pd.DataFrame, replaced: pd.DataFrame, chosen_ids: set[str]) -> pd.Series:
    """``df``'s chosen flags, plus those of consensus pieces that replace a chosen piece of the same code
    overlapping them in that segment (a piece that is itself replaced there, in a coder's view, inherits nothing)."""
    chosen = df["chosen"].copy()
    if replaced.empty or df.empty:
        return chosen
    gone = set(zip(replaced["coding_id"].astype(str), replaced["segment_id"].astype(str)))
    marks = replaced.loc[_marked(replaced, chosen_ids), ["code_id", "segment_id", "start", "end"]]
    own = [(str(c), str(s)) not in gone for c, s in zip(df["coding_id"], df["segment_id"])]
    mine = df.loc[np.asarray(own, dtype=bool), ["code_id", "segment_id", "start", "end"]].reset_index()
    pairs = mine.merge(marks, on=["code_id", "segment_id"], suffixes=("", "_old"))
    if pairs.empty:
        return chosen
    a0, a1 = pairs["start"].astype("int64"), pairs["end"].astype("int64")
    b0, b1 = pairs["start_old"].astype("int64"), pairs["end_old"].astype("int64")
    overlap = (a0 < np.maximum(b1, b0 + 1)) & (b0 < np.maximum(a1, a0 + 1))
    chosen.loc[pairs.loc[overlap, "index"].unique()] = True
    return chosen


def select_quotes(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    *,
    codes: str | Iterable[str] | None = None,
    by: str | None = None,
    groups: str | Iterable[str] | None = None,
    max_quotes: int | None = None,
    order: str = "participant",
    style: str = "pseudonym-role",
    chosen: Iterable[str] = (),
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    documents: pd.DataFrame | None = None,
    role_attribute: str = "role",
    document_label: str = "neutral",
    in_documents: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The quotes to print under each code, attributed and located.

    Args:
        codes: Only these codes (a theme stands for itself and its codes).
        by: Participant attribute that ``groups`` refers to (and that fills ``group``).
        groups: Only quotes from participants in these groups of ``by``.
        max_quotes: At most this many quotes per code (breadth first, see the module docstring).
        order: ``participant`` (P01, P02 … P10), ``document`` (document, then position; documents in
            the order their neutral labels number them, Interview 1 before Interview 2, or by id with
            ``document_label`` ``title``/``id``) or ``chosen`` (chosen quotes first, then by participant).
        style: Attribution style, one of ``ATTRIBUTION_STYLES``.
        chosen: Coding ids to treat as chosen (besides memos containing ``#chosen``).
        documents: Documents frame, for ``document_label="title"``.
        document_label: How locations name documents: ``neutral`` (``Interview 3``; file names may
            hold real names), ``title`` or ``id``.
        in_documents: Only quotes from these documents (id patterns such as ``interviews-*``).

    Returns:
        Columns ``QUOTE_COLUMNS``; within each code, rows follow ``order``.
    """
    if order not in QUOTE_ORDERS:
        raise InputError(Errors.E403.format(option="order", value=order, allowed=", ".join(QUOTE_ORDERS)))
    if style not in ATTRIBUTION_STYLES:
        raise InputError(Errors.E403.format(option="style", value=style, allowed=", ".join(ATTRIBUTION_STYLES)))
    check_max_quotes(max_quotes)
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested, strict=True)
    wanted = resolve_codes(codebook, codes)
    if wanted is not None:
        sel = sel.loc[sel["code_id"].isin(wanted)]
    labels = document_labels(segments, documents, mode=document_label)  # the study's: a subset keeps its labels
    segments = filter_documents(segments, in_documents)
    df = _pieces(sel, segments)
    chosen_ids = set(chosen)
    df["chosen"] = _marked(df, chosen_ids)
    df["chosen"] = _inherit_chosen(df, _replaced(codings, segments, include_suggested=include_suggested), chosen_ids)
    df = _dedupe(df) if len(df) else df
    people = participants.drop_duplicates("participant_id").set_index("participant_id") if participants is not None \
        and "participant_id" in participants else pd.DataFrame()
    wanted_groups = resolve_groups(participants, by, groups)  # [E410]/[E411] rather than no quotes
    if by:
        group_of = participant_groups(participants, df["participant_id"].dropna().unique(), by)
        df["group"] = df["participant_id"].map(group_of)
        if wanted_groups is not None:
            df = df.loc[df["group"].isin(wanted_groups)]
    else:
        df["group"] = None
    df["document_label"] = df["document_id"].map(labels)
    df["attribution"] = [
        attribution(p, dict(people.loc[p]) if p is not None and not pd.isna(p) and p in people.index else {}, s,
                    style=style, role_attribute=role_attribute)
        for p, s in zip(df["participant_id"], df.get("speaker", pd.Series([None] * len(df), index=df.index)))
    ]
    df["location"] = [
        ", ".join(x for x in (lab, segment_location(i, t, k, q, pg)) if x)
        for lab, i, t, k, q, pg in zip(df["document_label"], df.get("index"), df.get("time_start"), df.get("kind"),
                                       df.get("question"), _column(df, "page"))
    ]
    return _order(df, order, max_quotes, list(labels))[QUOTE_COLUMNS].reset_index(drop=True)


def check_max_quotes(max_quotes: Any) -> None:
    """E403 unless ``max_quotes`` is None (no cap) or a whole number >= 1 (a cap of 0 or -1 would drop quotes)."""
    if max_quotes is None:
        return
    if isinstance(max_quotes, bool) or not isinstance(max_quotes, (int, np.integer)) or max_quotes < 1:
        raise InputError(Errors.E403.format(option="max_quotes", value=max_quotes,
                                            allowed="None (every quote) or a whole number of 1 or more"))


def _order(df: pd.DataFrame, order: str, max_quotes: int | None, documents: list[str]) -> pd.DataFrame:
    """Sort within each code and apply the per-code cap (breadth first across participants).

    ``documents`` is document order (``document_labels``'): Interview 1 before Interview 2 as labelled.
    """
    if df.empty:
        return df.reindex(columns=QUOTE_COLUMNS)
    place = {d: i for i, d in enumerate(documents)}
    df = df.assign(_p=_natural_rank(df["participant_id"]),
                   _d=df["document_id"].map(lambda d: place.get(d, len(place))).astype("int64"),
                   _c=~df["chosen"].astype(bool))
    keys = {"participant": ["_p", "_d", "start"], "document": ["_d", "start"], "chosen": ["_c", "_p", "_d", "start"]}[order]
    df = df.sort_values(keys, kind="stable")
    if max_quotes is not None:  # rounds of one quote per participant (their chosen first), chosen first in each
        ranked = df.sort_values(["_c", *keys], kind="stable")
        df["_rank"] = ranked.groupby(["code_id", "participant_id"], dropna=False).cumcount()
        picked = df.sort_values(["_rank", "_c", *keys], kind="stable").groupby("code_id", sort=False).head(max_quotes)
        df = df.loc[df.index.isin(picked.index)]
    return df.drop(columns=[c for c in ("_p", "_d", "_c", "_rank") if c in df])
