"""Whose coding is it: an accepted suggestion is the coding of the person who accepted it.

The suggester stays in the coding's provenance (``suggested_by`` in frames, ``coder`` and
``suggester`` in the store), but every per-coder view (agreement, frequencies by coder, coding
sheets, the widget's ticks) counts it as the reviewer's coding. A suggestion is never a person's
as such: not its suggester's name's, nor anyone's but the reviewer who accepted it. Its memo is the
suggester's evidence; a note the reviewer writes goes after it (``accepted_memo``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable, Mapping

import pandas as pd

from ..models import COUNTED_STATUSES
from ..store import Store

#: Column added to codings frames: who suggested an accepted coding (its ``coder`` is the accepter).
SUGGESTED_BY = "suggested_by"


def accepted_as_coding(codings: pd.DataFrame, *, keep_suggester: bool = False) -> pd.DataFrame:
    """``codings`` with ``coder`` set to the reviewer of each accepted suggestion (``suggested_by`` keeps
    the suggester); with ``keep_suggester`` the suggestion also stays the suggester's own row."""
    out = codings.copy()
    out[SUGGESTED_BY] = pd.Series(pd.NA, index=out.index, dtype="string")
    if "reviewer" not in out or out.empty:
        return out
    moved = ((out["status"] == "accepted") & out["reviewer"].notna() & (out["reviewer"] != out["coder"]))
    moved = moved.fillna(False).astype(bool)
    if not moved.any():
        return out
    originals = out.loc[moved].copy()
    out.loc[moved, SUGGESTED_BY] = out.loc[moved, "coder"]
    out.loc[moved, "coder"] = out.loc[moved, "reviewer"]
    return pd.concat([out, originals], ignore_index=True) if keep_suggester else out


def owners(codings: pd.DataFrame) -> pd.Series:
    """Whose coding each row is: the reviewer of an accepted suggestion, else its ``coder``."""
    if "reviewer" not in codings:
        return codings["coder"]
    accepted = ((codings["status"] == "accepted") & codings["reviewer"].notna()).fillna(False).astype(bool)
    return codings["coder"].where(~accepted, codings["reviewer"])


def coder_codings(store: Store, coder: str, *, document: str | Iterable[str] | None = None) -> pd.DataFrame:
    """``coder``'s counted codings: their manual ones and every suggestion they accepted (never a suggestion
    someone else accepted, whatever its suggester is called)."""
    df = store.codings(status=COUNTED_STATUSES, document=document)
    df = df.loc[(owners(df) == coder).fillna(False).astype(bool)]
    return df.reset_index(drop=True)


def suggester_evidence(store: Store, row: Mapping[str, Any]) -> str | None:
    """The memo the suggester stored with a suggestion (its evidence, see ``coding.evidence``), read from the
    event log so a coder's note added since is not part of it."""
    events = store.events(coding_id=str(row["coding_id"]))
    for payload in reversed(events.loc[events["kind"] == "add", "payload"].tolist()):
        data = json.loads(payload)
        if data.get("status") == "suggested":
            return data.get("memo") or None
    memo = row.get("memo")  # no log of it as a suggestion: the memo up to a coder's note line
    if not isinstance(memo, str) or not memo:
        return None
    reviewer = row.get("reviewer")
    return memo.split(f"\n{reviewer}: ")[0] if isinstance(reviewer, str) else memo


def accepted_memo(store: Store, row: Mapping[str, Any], memo: str | None, coder: str) -> str | None:
    """The memo to store on a suggestion ``coder`` accepted when they write ``memo`` for it: the suggester's
    evidence is kept, and the coder's note follows on a line of its own ("AB: ...")."""
    evidence = suggester_evidence(store, row)
    note = (memo or "").strip()
    if evidence and evidence in note:  # a sheet's memo cell shows the evidence too: only the rest is the note
        note = note.replace(evidence, "", 1)
    note = note.strip(" \t\r\n;")
    while note.startswith(f"{coder}:"):
        note = note[len(coder) + 1:].strip()
    parts = [p for p in (evidence, f"{coder}: {note}" if note else None) if p]
    return "\n".join(parts) or None


def coder_words(cell: str | None, evidence: Iterable[str], coder: str) -> str | None:
    """What ``coder`` wrote in a coding sheet's memo cell: the cell less each suggester's ``evidence`` it shows (its
    row's accepted suggestions', which the cell joins with the rest), their "AB: " labels and the separators
    left empty dropped; with no evidence, the cell as it is."""
    text = cell or ""
    shown = sorted({e for e in evidence if e}, key=len, reverse=True)
    if not shown:
        return text or None
    for e in shown:
        text = text.replace(e, "", 1)
    pieces = re.split(r"(;|\r\n|\r|\n)", text)
    parts: list[str] = []
    seps: list[str] = []
    for i in range(0, len(pieces), 2):
        part = pieces[i].strip()
        while part.startswith(f"{coder}:"):
            part = part[len(coder) + 1:].strip()
        if part and part not in parts:
            seps.append("; " if i and pieces[i - 1] == ";" else "\n")
            parts.append(part)
    return "".join(sep + part for sep, part in zip(["", *seps[1:]], parts)) or None


__all__ = ["SUGGESTED_BY", "accepted_as_coding", "accepted_memo", "coder_codings", "coder_words", "owners",
           "suggester_evidence"]
