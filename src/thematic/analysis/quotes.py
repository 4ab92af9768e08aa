"""Quotes for the appendix: which coded passages to show under each code, in what order, attributed how.

A quote is the part of a coded span inside one (non-interviewer) segment, so each quote has one
speaker. The same passage coded by two coders appears once (spans inside a longer quote of the same
code and segment are dropped). A quote is *chosen* when its coding's memo contains ``#chosen`` or
its id is passed in ``chosen``. With ``max_quotes`` the cap takes one quote per participant before a
second from anyone (chosen quotes first), so a code's quotes show the breadth of voices.

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
    coded_segments,
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
    for doc, g in speaking.groupby("document_id", sort=False):
        people = g["participant_id"].dropna().unique()
        kind = "Survey" if (g.get("kind") == "answer").mean() > 0.5 else "Interview" if len(people) <= 1 else "Focus group"
        kinds[doc] = (kind, _natural(people[0]) if len(people) else (), _natural(doc))
    out: dict[str, str] = {}
    for kind in ("Interview", "Focus group", "Survey"):
        docs = sorted((d for d, k in kinds.items() if k[0] == kind), key=lambda d: (kinds[d][1], kinds[d][2]))
        for i, d in enumerate(docs, start=1):
            out[d] = f"{kind} {i}" if len(docs) > 1 or kind != "Survey" else kind
    return {**out, **{d: "Document" for d in ids if d not in out}}


def segment_location(index: object, time_start: object, kind: object = None, question: object = None,
                     page: object = None) -> str:
    """``00:12:03`` when the segment has a timestamp, a survey answer's question, ``p. 4`` for a PDF's
    page, else ``turn 12`` (1-based, counting every speaker's turns)."""
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
    return f"turn {int(index) + 1}"  # type: ignore[call-overload]


def span_location(first: str, last: str) -> str:
    """Where a coding spanning several segments lies: ``turns 3-4`` (or ``00:01:02 to 00:02:10``)."""
    if not last or first == last:
        return first
    if first.startswith("turn ") and last.startswith("turn "):
        return f"turns {first[5:]}-{last[5:]}"
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
    """One quote per passage: drop spans inside a longer span of the same code and segment."""
    df = df.sort_values(["code_id", "segment_id", "start", "end", "chosen"], ascending=[True, True, True, False, False])
    keep, last_key, reach = [], None, -1
    for key, end in zip(zip(df["code_id"], df["segment_id"]), df["end"]):
        if key != last_key:
            last_key, reach = key, -1
        keep.append(end > reach)
        reach = max(reach, end)
    chosen_any = df.groupby(["code_id", "segment_id"])["chosen"].transform("any")
    return df.assign(chosen=chosen_any.astype(bool)).loc[keep]


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
    segments = filter_documents(segments, in_documents)
    df = _pieces(sel, segments)
    chosen_ids = set(chosen)
    memo = df["memo"].fillna("").astype(str).str.lower()
    df["chosen"] = memo.str.contains(CHOSEN_TAG, regex=False) | df["coding_id"].isin(chosen_ids)
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
    labels = document_labels(segments, documents, mode=document_label)
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
    if max_quotes is not None:
        df["_rank"] = df.groupby(["code_id", "participant_id"], dropna=False).cumcount()
        picked = df.sort_values(["_c", "_rank", *keys], kind="stable").groupby("code_id", sort=False).head(max_quotes)
        df = df.loc[df.index.isin(picked.index)]
    return df.drop(columns=[c for c in ("_p", "_d", "_c", "_rank") if c in df])
