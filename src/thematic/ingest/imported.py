"""What a REFI-QDA import attached to a document outlives an edit of its text (ingest reads it again).

An imported document's attributes (its source's note and description, memos on passages, sets, variables, its
GUID) come from the REFI file, not from the text, so the ordinary reading of an edited ``data/raw/refi/<id>.txt``
has none of them. They are kept: a memo on a passage follows its words as a coding's quote does, and one whose
words are gone (or fit several places) stays on the whole document with its ``quote`` (W394). ``KEPT`` lists
their names, so every later re-read of the file (an ordinary text by then) keeps them too.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Mapping

import pandas as pd

from ..errors import Warnings
from ..models import Document
from .align import Alignment, QuoteForms
from .reanchor import locate

#: The attribute naming the attributes a REFI-QDA import gave a document (kept at each re-read of its text).
KEPT = "refi_attributes"
_SHOWN = 60  # characters of a lost memo's quote that W394 shows


def keep_imported(old: Document, doc: Document, before: pd.DataFrame | None, *,
                  rewrite: Callable[[str], str] | None = None,
                  renamed: Mapping[str, str] | None = None) -> Document:
    """``doc`` (the new reading of ``old``'s file) with the attributes a REFI-QDA import gave ``old``, its memos on
    passages moved to their words' new place; W394/W395 (added to its warnings) name what could not stay as it was."""
    names = list(old.attributes) if old.format == "refi" else list(old.attributes.get(KEPT) or [])
    names = [n for n in names if n in old.attributes and n != KEPT]
    if not names:
        return doc
    clash = [n for n in names if n in doc.attributes]
    kept = {n: old.attributes[n] for n in names if n not in clash}
    notes: list[str] = []
    if isinstance(kept.get("memos"), list):
        kept["memos"], lost = _memos(kept["memos"], old, doc, before, QuoteForms(rewrite, renamed))
        if lost:
            shown = "; ".join(f"'{q[:_SHOWN]}…'" if len(q) > _SHOWN else f"'{q}'" for q in lost[:3])
            notes.append(Warnings.W394.format(path=doc.path, n=len(lost),
                                              quotes=shown + (f" and {len(lost) - 3} more" if len(lost) > 3 else "")))
    if clash:
        notes.append(Warnings.W395.format(path=doc.path, names=", ".join(f"'{n}'" for n in clash)))
    attributes = {**doc.attributes, **kept, KEPT: sorted(kept)}
    return dataclasses.replace(doc, attributes=attributes, warnings=doc.warnings + tuple(notes))


def _memos(memos: list[Any], old: Document, doc: Document, before: pd.DataFrame | None,
           forms: QuoteForms) -> tuple[list[Any], list[str]]:
    """The memos with each memo on a passage at its words' new place (or on the whole document), and the quotes
    of those whose words were not found once."""
    align = Alignment(before if before is not None and len(before) else None, doc, forms)
    out: list[Any] = []
    lost: list[str] = []
    for m in memos:
        if not isinstance(m, dict) or "start" not in m:
            out.append(m)
            continue
        start, end = int(m["start"]), int(m.get("end", m["start"]))
        quote = str(m.get("quote") or old.text[start:end])
        where: Any = None
        if quote.strip():
            where = (align.find(quote, start, end) if align.old else
                     locate(doc.text, quote, start, end) or align.nearest(quote, start))
        if isinstance(where, tuple):
            out.append({**m, "start": where[0], "end": where[1], "quote": doc.text[where[0]:where[1]]})
        else:
            out.append({**{k: v for k, v in m.items() if k not in ("start", "end")}, "quote": quote})
            lost.append(" ".join(quote.split()) or "(an empty passage)")
    return out, lost
