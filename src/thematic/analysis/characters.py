"""Character-level percent agreement and kappa, computed the way NVivo's coding comparison does.

NVivo compares two coders per (code, source) over *characters*: each character of the document is
coded or not by each coder; agreement is the share of characters where they match, and kappa uses
the coders' coded-character proportions for chance agreement. When the coders agree on every
character NVivo reports kappa = 1 (we do too, and say so in ``note``). These numbers reward long
uncoded stretches and are reported for comparison with NVivo only; the segment-level statistics in
``intercoder.py`` are the ones to publish.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from .agreement import kappa_from_confusion
from .selection import _as_list, entry_table, resolve_codes, select_codings

_COLUMNS = ["code_id", "document_id", "n_chars", "chars_a", "chars_b", "chars_both",
            "percent_agreement", "kappa", "note"]


def _coverage(spans: pd.DataFrame, length: int) -> np.ndarray:
    covered = np.zeros(length + 1, dtype=np.int64)
    starts = np.clip(spans["start"].to_numpy(dtype=np.int64), 0, length)
    ends = np.clip(spans["end"].to_numpy(dtype=np.int64), 0, length)
    np.add.at(covered, starts, 1)
    np.add.at(covered, ends, -1)
    return np.cumsum(covered[:-1]) > 0


def _shared_characters(sel: pd.DataFrame, segments: pd.DataFrame, pair: list[str], doc_lengths: Mapping[str, int],
                       coverage: pd.DataFrame | None, units: str,
                       sample: Iterable[str] | None) -> tuple[list[str], dict[str, np.ndarray]]:
    """Documents with a segment both coders saw, and per document the mask of those segments' characters."""
    from .intercoder import seen_segments

    segs = segments.loc[~segments["is_interviewer"].fillna(False).astype(bool)] if "is_interviewer" in segments \
        else segments
    seen = seen_segments(sel, segs, pair, coverage=coverage, units=units)
    shared = seen[pair[0]] & seen[pair[1]]
    if sample is not None:
        shared &= {str(s) for s in sample}
    both = segs.loc[segs["segment_id"].astype(str).isin(shared)]
    masks: dict[str, np.ndarray] = {}
    for doc, g in both.groupby("document_id", sort=True):
        masks[str(doc)] = _coverage(g[["start", "end"]], int(doc_lengths.get(str(doc), 0)))
    return sorted(masks), masks


def _row(code: str, doc: str, n: int, a: int, b: int, both: int) -> dict[str, object]:
    neither = n - a - b + both
    agree = (both + neither) / n if n else np.nan
    conf = np.array([[neither, b - both], [a - both, both]], dtype=float)
    kappa = float(kappa_from_confusion(conf))
    note = ""
    if n and agree == 1.0:
        kappa, note = 1.0, "complete agreement; NVivo reports kappa = 1"
    elif n == 0:
        note = "empty document"
    return {"code_id": code, "document_id": doc, "n_chars": n, "chars_a": a, "chars_b": b, "chars_both": both,
            "percent_agreement": agree, "kappa": kappa, "note": note}


def character_agreement(
    codings: pd.DataFrame,
    *,
    coders: str | Iterable[str],
    doc_lengths: Mapping[str, int],
    codebook: Codebook | None = None,
    codes: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    segments: pd.DataFrame | None = None,
    coverage: pd.DataFrame | None = None,
    units: str = "seen",
    sample: Iterable[str] | None = None,
) -> pd.DataFrame:
    """NVivo-style character-level agreement of two coders, per (code, document) and per code.

    Args:
        codings: Codings (``schemas.CODINGS``).
        coders: Exactly two coders ("A,B"; named as ``agreement`` names them, ``ht`` is HT).
        doc_lengths: Characters per document (``documents()["n_chars"]``).
        codebook: For code order; codes not applied by either coder are left out.
        codes: Only these codes (a theme stands for its codes).
        include_suggested: Count unreviewed suggestions too.
        segments: With ``segments``, only the characters of segments both coders saw count
            (``units``, ``coverage`` and ``sample`` as in ``agreement``); without, whole documents.

    Returns:
        Rows per (code, document) over the documents both coders coded (or saw), then one row per code with
        ``document_id = "(all documents)"`` summing characters over them (NVivo's
        size-weighted average). Columns: code_id, document_id, n_chars, chars_a, chars_b, chars_both,
        percent_agreement (0-1), kappa, note.
    """
    from .intercoder import spelt_as_stored

    pair = spelt_as_stored(codings, _as_list(coders) or [], coverage)  # `ht,so` is HT and SO, as in agreement
    if len(pair) != 2:
        raise InputError(Errors.E404.format(detail=f"character-level agreement compares exactly two coders, got "
                                                   f"{len(pair)}", known=", ".join(pair) or "none"))
    sel = select_codings(codings, coder=pair, include_suggested=include_suggested)
    docs = sorted(set(sel.loc[sel["coder"] == pair[0], "document_id"]) & set(sel.loc[sel["coder"] == pair[1], "document_id"]))
    masks: dict[str, np.ndarray] | None = None
    if segments is not None:
        docs, masks = _shared_characters(sel, segments, pair, doc_lengths, coverage, units, sample)
    wanted = resolve_codes(codebook, codes)
    order = [c for c in entry_table(codebook, sel["code_id"].unique())["code_id"] if c in set(sel["code_id"])]
    order = [c for c in order if wanted is None or c in wanted]
    rows = []
    for code in order:
        per_code = []
        for doc in docs:
            length = int(doc_lengths.get(doc, 0))
            keep = masks[doc] if masks is not None else np.ones(length, dtype=bool)
            spans = sel.loc[(sel["code_id"] == code) & (sel["document_id"] == doc)]
            a = _coverage(spans.loc[spans["coder"] == pair[0]], length) & keep
            b = _coverage(spans.loc[spans["coder"] == pair[1]], length) & keep
            per_code.append(_row(code, doc, int(keep.sum()), int(a.sum()), int(b.sum()), int((a & b).sum())))
        rows.extend(per_code)
        totals = pd.DataFrame(per_code)[["n_chars", "chars_a", "chars_b", "chars_both"]].sum() if per_code else None
        if totals is not None:
            rows.append(_row(code, "(all documents)", *(int(totals[c]) for c in ("n_chars", "chars_a", "chars_b", "chars_both"))))
    return pd.DataFrame(rows, columns=_COLUMNS)
