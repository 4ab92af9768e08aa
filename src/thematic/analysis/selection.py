"""Which codings count, which segments they touch, and the codebook entries tables report on.

Every analysis starts here: codings are filtered by status and coder (``manual`` + ``accepted``
by default), mapped to the segments they overlap (interviewer turns dropped), and codes are rolled
up the codebook hierarchy so that a theme (or a parent code) is the union of its codes.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..coding.manual import resolve_coder_names
from ..coding.owner import accepted_as_coding
from ..errors import Errors, InputError
from ..ingest.checks import MISSING_MARKERS, value_key as value_key
from ..models import COUNTED_STATUSES, UNANCHORED_FLAGS
from .. import schemas
from .ordering import natural_order

#: Columns of ``coded_segments``: one row per (coding, segment it overlaps).
CODED_SEGMENT_COLUMNS = (
    "coding_id", "code_id", "coder", "status", "document_id", "segment_id", "participant_id", "memo",
    "start", "end",
)
UNCATALOGUED = "uncatalogued"
#: The heading codes found in codings but not in the codebook are listed under, after every theme.
UNCATALOGUED_HEADING = "Uncatalogued (in codings, not in the codebook)"
#: Column of a codings frame marking codings a consensus coding replaces (see ``consensus.prefer_consensus``).
SUPERSEDED = "superseded"
#: Column of a codings frame: the settled segments (a tuple of ids, else None) where a consensus coding replaces
#: a coding that also reaches unsettled ones (a passage over two turns); ``coded_segments`` drops it there only.
SUPERSEDED_ON = "superseded_on"

MISSING_GROUP = "(missing)"
#: The group of a frequency table's whole-study rows; an attribute value spelt like it is named with its attribute.
ALL_GROUP = "All"


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def select_codings(
    codings: pd.DataFrame,
    *,
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    statuses: Iterable[str] | None = None,
    strict: bool = False,
    audit: bool = False,
) -> pd.DataFrame:
    """The codings that count: ``manual`` and ``accepted`` (plus ``suggested`` if asked), by coder.

    An accepted suggestion counts as the coding of the person who accepted it (``suggested_by``
    names the suggester). Without a coder filter, codings a consensus coding supersedes (column
    ``superseded``) are left out, and those it supersedes on some of their segments (``superseded_on``)
    count only on the others, so tables count the consensus where one exists.

    Args:
        codings: Codings frame (``schemas.CODINGS``).
        coder: One coder, a comma-separated list, or an iterable of coders; None keeps all.
        include_suggested: Also count suggestions nobody has reviewed yet.
        statuses: Explicit statuses to keep (overrides the two options above).
        strict: Resolve ``coder`` with ``resolve_coders``: case aside when unambiguous, and [E409] for a
            name with no codings (the tables, quotes and exports do; agreement reports missing coders itself).
        audit: Keep the codings a consensus supersedes and those whose quote was lost (an export of every
            coding marks them as not counted rather than leaving them out).

    Returns:
        The filtered frame, same columns.
    """
    schemas.validate_frame(codings, schemas.CODINGS, name="codings",
                           required=("document_id", "start", "end", "code_id", "coder", "status"))
    keep = list(statuses) if statuses is not None else list(COUNTED_STATUSES) + (
        ["suggested"] if include_suggested else [])
    coders = resolve_coders(codings, coder) if strict else _as_list(coder)
    mask = codings["status"].isin(keep).fillna(False).astype(bool)
    if not audit:
        mask &= ~unanchored(codings)
    if coders is None and SUPERSEDED in codings and not audit:
        mask &= ~codings[SUPERSEDED].fillna(False).astype(bool)
    sel = codings.loc[mask].reset_index(drop=True)
    if SUPERSEDED_ON in sel and (coders is not None or audit):  # a coder's own view: the whole coding
        sel = sel.drop(columns=[SUPERSEDED_ON])
    sel = accepted_as_coding(sel, keep_suggester=include_suggested and coders is not None)
    if coders is not None:
        sel = sel.loc[sel["coder"].isin(coders).fillna(False).astype(bool)]
    return sel.reset_index(drop=True)


def unanchored(codings: pd.DataFrame) -> pd.Series:
    """True for codings whose offsets no longer point at what was coded (quote lost at a re-ingest,
    document removed): they are not counted or quoted until a person re-codes them."""
    if "flag" not in codings:
        return pd.Series(False, index=codings.index)
    return codings["flag"].isin(UNANCHORED_FLAGS).fillna(False).astype(bool)


def unanchored_note(codings: pd.DataFrame, *, include_suggested: bool = False) -> str:
    """A sentence saying how many countable codings are left out as unanchored, or "" when none."""
    keep = list(COUNTED_STATUSES) + (["suggested"] if include_suggested else [])
    n = int((unanchored(codings) & codings["status"].isin(keep).fillna(False).astype(bool)).sum())
    if not n:
        return ""
    return (f" {n} coding(s) whose quote was lost at a re-ingest (or whose document was removed) are not counted "
            "until someone re-codes them: `study.store.codings(flagged=True)` lists them.")


def _hint(value: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5) or difflib.get_close_matches(
        value.casefold(), [k.casefold() for k in known], n=1, cutoff=0.5)
    if close and close[0] not in known:
        close = [k for k in known if k.casefold() == close[0]][:1]
    return f" Did you mean '{close[0]}'?" if close else ""


def known_coders(codings: pd.DataFrame) -> list[str]:
    """Everyone with a coding in ``codings`` (any status), reviewers of accepted suggestions included."""
    people = set(codings["coder"].dropna().astype(str)) if "coder" in codings else set()
    if "reviewer" in codings and "status" in codings:
        accepted = (codings["status"] == "accepted").fillna(False).astype(bool)
        people |= set(codings.loc[accepted, "reviewer"].dropna().astype(str))
    return sorted(people, key=str.casefold)


def resolve_coders(codings: pd.DataFrame, coder: str | Iterable[str] | None) -> list[str] | None:
    """The coders a ``coder`` filter names, as the store spells them.

    A name matches exactly, else case-insensitively when that picks out one coder (``ab`` is ``AB``),
    so a typo is an error rather than an empty table.

    Raises:
        InputError: [E409] a name matches no coder with codings (a close one and the known ones are named).
    """
    return resolve_coder_names(known_coders(codings), coder)


def resolve_groups(participants: pd.DataFrame | None, by: str | None,
                   groups: str | Iterable[str] | None) -> list[str] | None:
    """The groups of attribute ``by`` a ``groups`` filter names, spelt as the tables name them.

    Groups match as the tables group values: case and spacing aside (``Mentor`` is ``mentor``).

    Raises:
        InputError: [E411] groups without ``by``; [E410] a group no participant is in (the groups are named);
            [E402] ``by`` is not an attribute.
    """
    wanted = _as_list(groups)
    if wanted is None:
        return None
    if not by:
        raise InputError(Errors.E411.format(groups=", ".join(wanted)))
    column = attribute_column(participants, by)
    assert participants is not None
    ids = participants["participant_id"].dropna().astype(str).unique() if "participant_id" in participants else []
    names = list(dict.fromkeys(participant_groups(participants, ids, column)))
    known = sorted(names, key=lambda g: (g == MISSING_GROUP, g.casefold()))
    by_key = {value_key(g): g for g in known} | group_names(participants, column)  # "All" finds "All (site)"
    out = []
    for group in wanted:
        if value_key(group) not in by_key:
            raise InputError(Errors.E410.format(attribute=column, group=group, hint=_hint(group, known),
                                                known=", ".join(known) or "none"))
        out.append(by_key[value_key(group)])
    return list(dict.fromkeys(out))


def coded_segments(
    codings: pd.DataFrame, segments: pd.DataFrame, *, include_interviewer: bool = False
) -> pd.DataFrame:
    """One row per (coding, segment whose span it overlaps), with the segment's participant.

    A coding counts for every segment its span overlaps (a zero-length coding for the segment
    holding its start) and for its recorded ``segment_id``, except the settled segments in its
    ``superseded_on`` (a consensus coding counts there); codings of documents that no longer
    have segments are dropped. Interviewer segments are dropped unless asked for.
    """
    schemas.validate_frame(segments, schemas.SEGMENTS, name="segments",
                           required=("segment_id", "document_id", "start", "end", "participant_id"))
    parts = []
    segs_by_doc = {d: g.sort_values("start") for d, g in segments.groupby("document_id", sort=False)}
    for doc, cods in codings.groupby("document_id", sort=False):
        segs = segs_by_doc.get(doc)
        if segs is None or segs.empty:
            continue
        starts = segs["start"].to_numpy(dtype=np.int64)
        ends = segs["end"].to_numpy(dtype=np.int64)
        c_start = cods["start"].to_numpy(dtype=np.int64)
        c_end = np.maximum(cods["end"].to_numpy(dtype=np.int64), c_start + 1)
        lo = np.searchsorted(ends, c_start, side="right")
        hi = np.searchsorted(starts, c_end, side="left")
        counts = np.clip(hi - lo, 0, None)
        rows = np.repeat(np.arange(len(cods)), counts)
        seg_pos = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi) if b > a] or [np.array([], int)])
        pairs = pd.DataFrame({"coding_row": rows, "segment_id": segs["segment_id"].to_numpy()[seg_pos]})
        recorded = cods["segment_id"].reset_index(drop=True) if "segment_id" in cods else pd.Series(dtype="string")
        known = recorded.isin(segs["segment_id"])
        extra = pd.DataFrame({"coding_row": np.flatnonzero(known.to_numpy()), "segment_id": recorded[known].to_numpy()})
        pairs = pd.concat([pairs, extra]).drop_duplicates()
        base = cods.reset_index(drop=True).drop(columns=["segment_id"], errors="ignore")
        piece = base.iloc[pairs["coding_row"].to_numpy()].assign(segment_id=pairs["segment_id"].to_numpy())
        if SUPERSEDED_ON in piece:
            replaced = [isinstance(on, tuple) and seg in on
                        for on, seg in zip(piece[SUPERSEDED_ON], piece["segment_id"].astype(str))]
            piece = piece.loc[~np.asarray(replaced, dtype=bool)]
        parts.append(piece)
    seg_info = segments[["segment_id", "participant_id", "is_interviewer"]] if "is_interviewer" in segments else \
        segments[["segment_id", "participant_id"]].assign(is_interviewer=False)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="string") for c in CODED_SEGMENT_COLUMNS})
    out = pd.concat(parts, ignore_index=True).merge(seg_info, on="segment_id", how="inner")
    if not include_interviewer:
        out = out.loc[~out["is_interviewer"].fillna(False).astype(bool)]
    for col in CODED_SEGMENT_COLUMNS:
        if col not in out:
            out[col] = pd.NA
    return out[list(CODED_SEGMENT_COLUMNS)].reset_index(drop=True)


#: Source kinds in table order, and what their participants are called in "n of N".
SOURCE_KINDS = ("interview", "focus group", "survey")
#: Column of a segments frame naming its document's kind where thematic.toml sets one (else missing).
SOURCE_KIND = "source_kind"
SOURCE_NOUNS = {"interview": "interviewees", "focus group": "focus-group members", "survey": "survey respondents"}
ALL_SOURCES = "participants"
_SINGULAR = {"interviewees": "interviewee", "focus-group members": "focus-group member",
             "survey respondents": "survey respondent", "participants": "participant"}


def people(n: int, noun: str) -> str:
    """``n`` and the source noun, singular for one ("1 interviewee", "3 interviewees")."""
    return f"{n} {_SINGULAR.get(noun, noun) if n == 1 else noun}"


def _speaking(segments: pd.DataFrame) -> pd.DataFrame:
    if "is_interviewer" not in segments:
        return segments
    return segments.loc[~segments["is_interviewer"].fillna(False).astype(bool)]


def _focus_group(speaking: pd.DataFrame) -> bool:
    """Whether one document's non-interviewer segments are a group's: two or more participants, or one among
    three or more voices counting speakers mapped to no participant (``Speaker 3``, ``Unknown``). So a group
    with one member in participants.csv is one, while an interview with one unmapped extra voice (a partner's
    word) stays an interview; a document where no participant speaks adds nobody to N and stays an interview,
    as before (ingest names its speakers, W021)."""
    people = speaking["participant_id"].dropna().nunique()
    others = speaking.loc[speaking["participant_id"].isna(), "speaker"].dropna().nunique() if "speaker" in speaking \
        else 0
    return people >= 2 or (people == 1 and 1 + others >= 3)


def document_kinds(segments: pd.DataFrame) -> dict[str, str]:
    """Each document's source kind: ``survey`` (mostly answers), ``focus group`` (see ``_focus_group``: two or
    more participants, or one among three or more voices with unmapped speakers) or ``interview``; where the
    frame has a ``source_kind`` column (thematic.toml's per-file ``kind``, which ``load_frames`` adds), its
    value is the document's kind instead."""
    out: dict[str, str] = {}
    for doc, g in _speaking(segments).groupby("document_id", sort=False):
        answers = (g["kind"] == "answer").mean() if "kind" in g else 0.0
        out[str(doc)] = "survey" if answers > 0.5 else "focus group" if _focus_group(g) else "interview"
    for doc in segments["document_id"].unique():
        out.setdefault(str(doc), "interview")
    if SOURCE_KIND in segments:
        named = segments.loc[segments[SOURCE_KIND].notna().to_numpy(dtype=bool), ["document_id", SOURCE_KIND]]
        out.update({str(d): str(k) for d, k in zip(named["document_id"], named[SOURCE_KIND])})
    return out


def study_participants(participants: pd.DataFrame | None, segments: pd.DataFrame) -> list[str]:
    """Everyone who counts towards N: the participants who speak in at least one non-interviewer turn
    or answer of ``segments``. participants.csv rows without any segment have nothing that could be
    coded, so they are not counted (ingest warns about them); ``participants`` is kept for the API."""
    return natural_order(str(p) for p in _speaking(segments)["participant_id"].dropna())




def attribute_column(participants: pd.DataFrame | None, name: str) -> str:
    """The participants' column ``name`` names: itself, else the one column spelt the same but for case.

    Raises:
        InputError: [E402] no such attribute (the known ones are listed).
    """
    columns = [str(c) for c in (participants.columns if participants is not None else []) if c != "participant_id"]
    if name in columns:
        return name
    same = [c for c in columns if value_key(c) == value_key(name)]
    if len(same) == 1:
        return same[0]
    raise InputError(Errors.E402.format(attribute=name, known=", ".join(columns) or "none"))


def _present(value: object) -> str | None:
    """An attribute value stripped, or None for a missing one (empty, NaN or a marker such as ``n/a``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value_key(value) in MISSING_MARKERS:
        return None
    return str(value).strip()


def commonest_spellings(values: Iterable[str]) -> dict[str, str]:
    """Each ``value_key`` of ``values`` -> its commonest spelling (ties: the first in sorted order), as [W024] names it."""
    spellings = pd.Series(list(values), dtype="object")
    return {key: group.value_counts().sort_index().sort_values(ascending=False, kind="stable").index[0]
            for key, group in spellings.groupby(spellings.map(value_key), sort=False)}


def apart_from(names: dict[str, str], total: str, attribute: str) -> dict[str, str]:
    """``names`` with the one spelt like a table's ``total`` named with its ``attribute`` (``All (site)``),
    so a group never shares a row or column with the total."""
    taken = {value_key(n) for n in names.values()}
    out = dict(names)
    for key, name in names.items():
        if key == value_key(total):
            new = f"{name} ({attribute})"
            while value_key(new) in taken:
                new = f"{new} ({attribute})"
            out[key] = new
    return out


def group_names(participants: pd.DataFrame | None, by: str) -> dict[str, str]:
    """Each ``value_key`` of attribute ``by`` -> the one name every table gives its group.

    Spellings that differ only in case, spacing or number form (``Female``, ``female ``; ``24``, ``24.0``)
    are one group, named by the commonest over all participants on record (the name [W024] announces),
    whoever a table counts; a value spelt like the total ``All`` is named ``All (by)``.
    """
    by = attribute_column(participants, by)
    assert participants is not None
    values = participants.drop_duplicates("participant_id")[by].map(_present).dropna()
    return apart_from(commonest_spellings(values), ALL_GROUP, by)


def participant_groups(
    participants: pd.DataFrame | None, ids: Iterable[str], by: str
) -> pd.Series:
    """Each participant's group of attribute ``by``, named as in every table (``group_names``; missing values
    and people without a row become ``(missing)``)."""
    ids = list(ids)
    by = attribute_column(participants, by)
    assert participants is not None
    names = group_names(participants, by)
    values = participants.drop_duplicates("participant_id").set_index("participant_id")[by]
    out = pd.Series(ids, index=ids, dtype="object").map(values).map(_present)
    out = out.map(lambda v: names[value_key(v)] if isinstance(v, str) else MISSING_GROUP)
    out.index.name = "participant_id"
    return out.astype("object")


def entry_table(codebook: Codebook | None, code_ids: Iterable[str] = ()) -> pd.DataFrame:
    """Codebook entries in reading order (each theme, then its codes depth first).

    Columns: code_id, label, kind (theme | code | uncatalogued), theme_id, parent, depth, definition.
    Codes found in codings but absent from the codebook come last as ``uncatalogued``.
    """
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    if codebook is not None:
        def visit(code_id: str, depth: int, theme: str) -> None:
            c = codebook[code_id]
            seen.add(code_id)
            rows.append({"code_id": c.id, "label": c.label, "kind": "theme" if c.parent is None else "code",
                         "theme_id": theme, "parent": c.parent, "depth": depth, "definition": c.definition})
            for child in codebook.children(code_id):
                if child.id not in seen:
                    visit(child.id, depth + 1, theme)
        for theme in codebook.themes:
            visit(theme.id, 0, theme.id)
        for c in codebook:  # orphans whose parent is missing
            if c.id not in seen:
                visit(c.id, 1, c.parent or c.id)
    for code in sorted(set(code_ids) - seen):
        rows.append({"code_id": code, "label": code, "kind": "code" if codebook is None else UNCATALOGUED,
                     "theme_id": None, "parent": None, "depth": 1, "definition": ""})
    cols = ["code_id", "label", "kind", "theme_id", "parent", "depth", "definition"]
    return pd.DataFrame(rows, columns=cols).astype({"depth": "Int64"})


def membership(codebook: Codebook | None, entries: pd.DataFrame) -> pd.DataFrame:
    """Pairs (entry_id, code_id): an entry counts a coding of itself or of any code below it."""
    pairs = []
    for entry in entries["code_id"]:
        pairs.append((entry, entry))
        if codebook is not None and entry in codebook:
            pairs.extend((entry, d.id) for d in codebook.descendants(entry))
    return pd.DataFrame(pairs, columns=["entry_id", "code_id"]).drop_duplicates()


def filter_entries(entries: pd.DataFrame, level: str) -> pd.DataFrame:
    """Keep themes (``theme``), codes (``code``) or both (``all``)."""
    if level == "all":
        return entries
    if level == "theme":
        return entries.loc[entries["kind"] == "theme"]
    if level == "code":
        return entries.loc[entries["kind"] != "theme"]
    raise InputError(Errors.E403.format(option="level", value=level, allowed="code, theme, all"))


def resolve_codes(codebook: Codebook | None, codes: str | Iterable[str] | None) -> list[str] | None:
    """Expand a code filter: a theme or parent code stands for itself and everything below it."""
    wanted = _as_list(codes)
    if wanted is None:
        return None
    out: list[str] = []
    for code in wanted:
        if codebook is not None and code not in codebook:
            import difflib

            close = difflib.get_close_matches(code, list(codebook.entries), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise InputError(Errors.E401.format(code=code, hint=hint))
        out.append(code)
        if codebook is not None:
            out.extend(d.id for d in codebook.descendants(code))
    return list(dict.fromkeys(out))


def filter_questions(segments: pd.DataFrame, questions: str | Iterable[str] | None) -> pd.DataFrame:
    """Survey answers to the questions matching any pattern (id or text, ``*`` wildcards, case aside); E413
    names the known questions when a pattern matches none."""
    import fnmatch

    if questions is None:
        return segments
    patterns = [questions] if isinstance(questions, str) else [str(q) for q in questions]
    asked = [str(q) for q in dict.fromkeys(segments["question"].dropna()) if str(q).strip()]
    ids: dict[str, set[str]] = {}  # a question's text -> the column ids its files name it by (Q3)
    if "question_id" in segments.columns:
        for q, i in segments.loc[segments["question_id"].notna(), ["question", "question_id"]].drop_duplicates() \
                .itertuples(index=False):
            ids.setdefault(str(q), set()).add(str(i))
    keep: set[str] = set()
    for pattern in patterns:
        wanted = pattern.strip().casefold()
        glob = wanted.replace("[", "[[]")  # only * and ? are wildcards ([Optional] is literal)
        # a question's exact text or id wins; else a pattern matching a text or an id
        found = [q for q in asked if q.strip().casefold() == wanted or wanted in {i.casefold() for i in ids.get(q, ())}] \
            or [q for q in asked if fnmatch.fnmatchcase(q.casefold(), glob)
                or any(fnmatch.fnmatchcase(i.casefold(), glob) for i in ids.get(q, ()))]
        if not found:
            named = [f"{'/'.join(sorted(ids[q]))} ({q})" if q in ids else q for q in asked]
            known = (f"The questions answered here: {'; '.join(named[:8])}{' …' if len(named) > 8 else ''}."
                     if asked else "No survey answers are stored in this study.")
            raise InputError(Errors.E413.format(pattern=pattern, known=known))
        keep.update(found)
    return segments.loc[segments["question"].isin(keep).fillna(False).astype(bool)]


def filter_documents(segments: pd.DataFrame, documents: str | Iterable[str] | None) -> pd.DataFrame:
    """Segments of the documents whose ids match any pattern (``interviews-*``; comma-separated)."""
    import fnmatch

    patterns = _as_list(documents)
    if patterns is None:
        return segments
    ids = list(dict.fromkeys(segments["document_id"]))
    keep: set[str] = set()
    for pattern in patterns:
        found = [d for d in ids if str(d) == pattern] or [d for d in ids if fnmatch.fnmatchcase(str(d), pattern)]
        if not found:
            raise InputError(Errors.E408.format(pattern=pattern, examples=", ".join(map(str, ids[:3])) or "(none stored)"))
        keep.update(found)
    return segments.loc[segments["document_id"].isin(keep)]
