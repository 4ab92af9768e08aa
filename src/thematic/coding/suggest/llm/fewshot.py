"""Few-shot examples from the study's own accepted and manual codings, chosen so they rarely change."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from .prompt import EVIDENCE_CHARS, Example, passage_message

#: Passages longer than this are used as examples only when no shorter one has the code.
SHORT_PASSAGE = 600


def _evidence(seg_text: str, seg_start: int, start: int, end: int) -> str:
    """The coded span when it lies inside the segment (two words or more), else the segment; cut at a word."""
    lo, hi = start - seg_start, end - seg_start
    span = seg_text[lo:hi].strip() if 0 <= lo < hi <= len(seg_text) else ""
    if len(span.split()) < 2:
        span = seg_text.strip()
    if len(span) > EVIDENCE_CHARS:
        cut = span[:EVIDENCE_CHARS]
        span = cut[: cut.rfind(" ")] if " " in cut else cut
    return span


def _value(row: dict, key: str) -> object:
    value = row.get(key)
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def message_for(row: dict) -> str:
    """The user message for a segment row (speaker role, survey question, text)."""
    question = _value(row, "question")
    speaker = _value(row, "participant_id") or _value(row, "speaker")
    return passage_message(str(_value(row, "text") or ""), speaker=None if speaker is None else str(speaker),
                           interviewer=bool(_value(row, "is_interviewer")),
                           question=None if question is None else str(question))


def few_shot_examples(segments: pd.DataFrame | None, codings: pd.DataFrame | None, codes: Sequence[str],
                      n: int) -> list[Example]:
    """Up to ``n`` examples: for each code in codebook order, its first short coded passage (manual/accepted).

    Each example carries every known code humans gave that passage, with the coded span as evidence.
    The choice is by (document, position), so coding more segments later seldom changes it.
    """
    if n <= 0 or segments is None or codings is None or codings.empty or segments.empty:
        return []
    cods = codings[codings["status"].isin(["manual", "accepted"]).fillna(False).to_numpy(dtype=bool)]
    cods = cods[cods["code_id"].isin(list(codes)).fillna(False).to_numpy(dtype=bool)]
    segs = segments.drop_duplicates("segment_id").set_index(segments.drop_duplicates("segment_id")["segment_id"]
                                                            .astype(str))
    by_segment: dict[str, list[tuple[str, str]]] = {}
    for sid, code, start, end in zip(cods["segment_id"].astype(str), cods["code_id"].astype(str),
                                     cods["start"], cods["end"]):
        if sid not in segs.index:
            continue
        seg = segs.loc[sid]
        ev = _evidence(str(seg["text"]), int(seg["start"]), int(start), int(end))
        if ev and code not in {c for c, _ in by_segment.get(sid, [])}:
            by_segment.setdefault(sid, []).append((code, ev))
    if not by_segment:
        return []
    order = sorted(by_segment, key=lambda s: (len(str(segs.loc[s, "text"])) > SHORT_PASSAGE,
                                              str(segs.loc[s, "document_id"]), int(segs.loc[s, "start"]), s))
    rank = {c: i for i, c in enumerate(codes)}
    chosen: list[str] = []
    for code in codes:
        if len(chosen) >= n:
            break
        sid = next((s for s in order if s not in chosen and any(c == code for c, _ in by_segment[s])), None)
        if sid is not None:
            chosen.append(sid)
    return [Example(message_for(segs.loc[s].to_dict()),
                    tuple(sorted(by_segment[s], key=lambda ce: rank[ce[0]]))) for s in chosen]
