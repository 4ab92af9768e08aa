"""Study-wide checks after an ingest: who will (not) count towards "n of N", and why.

Per-file problems are warnings on each file's row; these look across the whole store once every
file is in: participants.csv rows without any segment, turns of unmapped speakers, interviews
without participants.csv, ids that are missing-value markers, attribute values that differ only
in case or spacing, and attributes that two files give different values.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Warnings
from ..store import ROSTER_SOURCE, source_document
from .labels import is_id_like

if TYPE_CHECKING:
    import pandas as pd
    from ..store import Store

#: Excel's error values (and Google Sheets' ``#ERROR!``), as an error cell holds them and a CSV saved from Excel
#: writes them: a failed formula, or an answer Excel took for one (``=)`` shows ``#NAME?``): no value.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
                          "#EXTERNAL!", "#PYTHON!", "#ERROR!"})
#: Ids and attribute values that stand for "no value" in spreadsheets (grouped as "(missing)" in tables), Excel's
#: error values (``#N/A``) among them: ingest reads those as empty, and a value stored before it did is no value.
MISSING_MARKERS = frozenset({"", "na", "n/a", "n.a.", "-", "--", "none", "null", "nan", "missing", "?", "not applicable",
                             *(e.casefold() for e in EXCEL_ERRORS)})
_SHOW = 6
_WHOLE_FLOAT = re.compile(r"([-+]?\d+)\.0*")


def _key(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def value_key(value: object) -> str:
    """What spellings of one attribute value share: case, spacing and a whole number's ``.0`` aside
    (``Female`` / ``female ``, ``24`` / ``24.0``), so [W024] and every table group them alike."""
    text = _key(value)
    whole = _WHOLE_FLOAT.fullmatch(text)
    return whole.group(1) if whole else text


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_SHOW])
    return shown + (f" and {len(items) - _SHOW} more" if len(items) > _SHOW else "")


def study_warnings(store: "Store", participants_csv: Path, *, roster_ids: frozenset[str], has_roster: bool) -> list[str]:
    """Coded warnings (W020-W027, W007) about the study as a whole, in a stable order."""
    segs = store.segments(with_text=False)
    speaking = segs.loc[~segs["is_interviewer"].fillna(False).astype(bool)]
    out: list[str] = []
    with_data = {str(p) for p in speaking["participant_id"].dropna()}
    silent = sorted(p for p in roster_ids if p not in with_data)
    screened = _screened_out(store)
    off = [p for p in silent if p.casefold() in screened]  # off record: not "ingest their transcripts"
    silent = [p for p in silent if p.casefold() not in screened]
    if silent:
        out.append(Warnings.W020.format(path=participants_csv.name, n=len(silent), ids=_listed(silent)))
    if off:
        files = sorted({f for p in off for f in screened[p.casefold()]})
        out.append(Warnings.W007.format(path=participants_csv.name, n=len(off), files=_listed(files), ids=_listed(off)))
    unmapped = speaking.loc[speaking["participant_id"].isna() & speaking["speaker"].notna()]
    if len(unmapped):
        who: dict[str, list[str]] = defaultdict(list)
        for doc, speaker in unmapped[["document_id", "speaker"]].drop_duplicates().itertuples(index=False):
            who[str(doc)].append(str(speaker))
        where = "; ".join(f"{d}: {', '.join(s[:_SHOW])}" for d, s in list(who.items())[:_SHOW])
        out.append(Warnings.W021.format(n=len(unmapped), where=where))
    if not has_roster and len(speaking) and (speaking["kind"] != "answer").any():
        out.append(Warnings.W022.format(path=participants_csv))
        out.extend(_one_name_many_files(speaking))
    people = store.participants()
    markers = sorted(str(p) for p in people["participant_id"] if _key(p) in MISSING_MARKERS)
    if markers:
        sources = store.participant_sources()
        given_by = sources.loc[sources["participant_id"].isin(markers), "source"].drop_duplicates()
        paths = _document_paths(store)
        where = ", ".join(_source_name(s, paths, participants_csv) for s in given_by) or participants_csv.name
        out.append(Warnings.W023.format(path=where, ids=", ".join(repr(m) for m in markers)))
    for col in (c for c in people.columns if c != "participant_id"):
        spellings: dict[str, list[str]] = defaultdict(list)
        for v in people[col].dropna():
            if isinstance(v, str) and _key(v) not in MISSING_MARKERS:
                spellings[value_key(v)].append(v)
        for raw in spellings.values():
            if len(set(raw)) > 1:
                kept = max(sorted({r.strip() for r in raw}), key=[r.strip() for r in raw].count)
                values = ", ".join(repr(r) for r in sorted(set(raw)))
                out.append(Warnings.W024.format(attribute=col, values=values, kept=kept))
    out.extend(_conflict_warnings(store, participants_csv))
    out.extend(_case_only_ids(with_data))
    return out


def _screened_out(store: "Store") -> dict[str, list[str]]:
    """Respondent ids (casefolded) screened out of a stored survey -> the paths of those surveys."""
    paths = _document_paths(store)
    out: dict[str, list[str]] = defaultdict(list)
    for doc, respondent in store.exclusions()[["document_id", "respondent"]].itertuples(index=False):
        if str(doc) in paths:
            out[str(respondent).casefold()].append(paths[str(doc)])
    return out


def _one_name_many_files(speaking: "pd.DataFrame") -> list[str]:
    """W026: without participants.csv a named speaker is one person in every file; say where that
    joins files, as two people with the same first name would be counted once."""
    turns = speaking.loc[(speaking["kind"] != "answer") & speaking["participant_id"].notna()]
    docs = turns.groupby("participant_id")["document_id"].unique()
    joined = {str(p): sorted(map(str, d)) for p, d in docs.items() if len(d) > 1 and not is_id_like(str(p))}
    if not joined:
        return []
    where = "; ".join(f"{p} in {', '.join(d[:_SHOW])}" for p, d in list(sorted(joined.items()))[:_SHOW])
    return [Warnings.W026.format(n=len(joined), where=where)]


def _case_only_ids(ids: set[str]) -> list[str]:
    """W027: ids that differ only in case (p01 in a survey, P01 a file's name) are two people in every table."""
    spellings: dict[str, list[str]] = defaultdict(list)
    for pid in sorted(ids):
        spellings[pid.casefold()].append(pid)
    groups = [" / ".join(s) for s in spellings.values() if len(s) > 1]
    return [Warnings.W027.format(groups=_listed(groups))] if groups else []


def _document_paths(store: "Store") -> dict[str, str]:
    return {doc: path for doc, (path, _) in store.document_hashes().items()}


def _source_name(source: str, paths: dict[str, str], participants_csv: Path) -> str:
    doc = source_document(source)
    if source == ROSTER_SOURCE:
        return participants_csv.name
    if doc is not None:
        return paths.get(doc, doc)
    return source


def _conflict_warnings(store: "Store", participants_csv: Path) -> list[str]:
    """W025 per attribute and pair of sources: how many participants differ, with examples."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for c in store.participant_conflicts():
        shown = f"{c.participant_id}: {c.kept!s} / {c.other!s}"
        grouped[(c.attribute, c.kept_source, c.other_source)].append(shown)
    if not grouped:
        return []
    paths = _document_paths(store)
    out = []
    for (attribute, kept, other), examples in grouped.items():
        kept_name, other_name = (_source_name(s, paths, participants_csv) for s in (kept, other))
        out.append(Warnings.W025.format(attribute=attribute, n=len(examples), kept_source=kept_name,
                                        other_source=other_name, examples=_listed(examples)))
    return out
