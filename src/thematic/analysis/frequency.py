"""Frequencies of themes and codes: segments, documents and "n of N participants", by group.

A theme (or a parent code) counts the union of its codes: a segment coded with two codes of a
theme is one segment for the theme. N is counted per source kind (``source``): the interviewees,
the focus-group members and the survey respondents who speak in at least one non-interviewer turn
or answer (participants.csv rows without any segment are not counted), or everyone in the group with ``by``.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from .ordering import natural_order
from .selection import (
    ALL_GROUP,
    ALL_SOURCES,
    MISSING_GROUP,
    SOURCE_KINDS,
    SOURCE_NOUNS,
    people,
    document_kinds,
    coded_segments,
    entry_table,
    filter_documents,
    filter_entries,
    filter_questions,
    membership,
    participant_groups,
    resolve_coders,
    select_codings,
    study_participants,
    unanchored_note,
)

SOURCE_OPTIONS = ("kind", "all")
FREQUENCY_COLUMNS = [
    "code_id", "label", "kind", "theme_id", "depth", "source", "group", "n_segments", "n_documents",
    "n_participants", "N_participants", "pct_participants", "n_of_N",
]


def entry_units(
    codings: pd.DataFrame, segments: pd.DataFrame, codebook: Codebook | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(entries, units): units are distinct (entry_id, segment_id, document_id, participant_id)."""
    hits = coded_segments(codings, segments)
    entries = entry_table(codebook, hits["code_id"].dropna().unique())
    units = hits.merge(membership(codebook, entries), on="code_id")
    units = units[["entry_id", "segment_id", "document_id", "participant_id"]].drop_duplicates(["entry_id", "segment_id"])
    return entries, units


def n_of_n(n: int, total: int) -> str:
    """``"5 of 9"``, the way findings are written."""
    return f"{n} of {total}"


def percent_text(value: float, digits: int = 0) -> str:
    """``12.5`` -> ``"13"``: a percentage rounded half up, as Excel and APA style round (Python's format rounds
    half to even, so 1 of 8 would read 12% beside 3 of 8's 38%); every writer of percentages uses it."""
    from decimal import ROUND_HALF_UP, Decimal

    if not np.isfinite(value):
        return f"{value:.{digits}f}"
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def frequencies(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    *,
    by: str | None = None,
    level: str = "all",
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    total: bool = True,
    documents: str | Iterable[str] | None = None,
    source: str = "kind",
    coverage: pd.DataFrame | None = None,
    question: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """How often each theme and code occurs: segments, documents and participants ("n of N").

    Args:
        codings: Codings (``schemas.CODINGS``); only manual + accepted count unless asked.
        segments: Segments (``schemas.SEGMENTS``); interviewer turns are never counted.
        participants: Participants and their attributes (``participant_id`` + one column each).
        codebook: Gives order, labels and the hierarchy (without it each code stands alone).
        by: A participant attribute (e.g. ``role``): counts per group, N per group; a group nobody in N
            belongs to is left out (turns of speakers mapped to no participant count only in ``All``).
        level: ``all`` (themes and codes), ``theme`` or ``code``.
        coder: Only these coders' codings.
        include_suggested: Count unreviewed suggestions too.
        total: With ``by``, add the whole-study rows as group ``All`` (a value spelt ``All`` is named
            ``All (by)``, so it never shares the total's rows).
        documents: Only these documents (id patterns such as ``interviews-*``); N is then the
            participants who speak in them.
        source: ``kind`` (default): counts and N per source kind present (``source`` is
            ``interviewees``, ``focus-group members`` or ``survey respondents``); ``all``: one N
            over every participant (``source`` is ``participants``).
        coverage: Segments each coder saw (``store.coverage()``: coder, segment_id). With ``coder``,
            when every named coder has recorded coverage, N counts only the participants in the
            segments they saw or coded (a coder who double-coded a sample is not measured against
            everyone); ``population_note`` says so.
        question: Only survey answers to these questions (id or text; ``*`` patterns, case aside; E413 when
            none matches): N is then the respondents who answered them, not everyone who answered anything.

    Returns:
        Columns ``FREQUENCY_COLUMNS``, entries in codebook order, then source kinds, then groups in
        natural order (``All`` first, numbers numerically, rating scales in scale order, ``(missing)``
        last; see ``ordering``; ``group`` is ``All`` without ``by``); ``population_note`` says what N is.

    Example:
        >>> freq = frequencies(codings, segments, participants, codebook, by="role")
        >>> freq.loc[freq.code_id == "funding", ["group", "n_of_N"]]
    """
    if source not in SOURCE_OPTIONS:
        raise InputError(Errors.E403.format(option="source", value=source, allowed=", ".join(SOURCE_OPTIONS)))
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested, strict=True)
    segments = filter_documents(segments, documents)
    segments = filter_questions(segments, question)
    kinds = document_kinds(segments)  # before the coverage filter: a coder seeing one member keeps a focus group
    segments, seen_note = _seen_by(sel, segments, resolve_coders(codings, coder), coverage)
    entries, _ = entry_units(sel, segments, codebook)
    entries = filter_entries(entries, level)
    frames = [_frequencies(sel, segs, participants, codebook, entries, by=by, total=total).assign(source=noun)
              for noun, segs in source_parts(segments, source, kinds=kinds)]
    out = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(entries["code_id"])}
    groups = [ALL_GROUP] * bool(by and total) + natural_order(g for g in out["group"] if g != ALL_GROUP)
    if not by:
        groups = [ALL_GROUP]
    sources = list(dict.fromkeys(out["source"]))
    out["_o"] = out["code_id"].map(order)
    out["_s"] = out["source"].map({g: i for i, g in enumerate(sources)})
    out["_g"] = out["group"].map({g: i for i, g in enumerate(groups)})
    out = out.sort_values(["_o", "_s", "_g"], kind="stable").drop(columns=["_o", "_s", "_g"])
    out = out.reset_index(drop=True)[FREQUENCY_COLUMNS]
    if seen_note:
        out.attrs[SEEN_ATTR] = seen_note
    if question is not None:
        asked = "; ".join(str(q) for q in dict.fromkeys(segments["question"].dropna()))
        out.attrs[QUESTION_ATTR] = f"who answered {asked}"
    left_out = unanchored_note(codings, include_suggested=include_suggested)
    if left_out:
        out.attrs[UNANCHORED_ATTR] = left_out
    return out


#: ``DataFrame.attrs`` key of a frequency table whose N was limited to what the coders saw.
SEEN_ATTR = "population"
#: ``DataFrame.attrs`` key of a frequency table limited to the answers to some survey questions.
QUESTION_ATTR = "question"
#: ``DataFrame.attrs`` key of the sentence on codings left out because their quote was lost.
UNANCHORED_ATTR = "unanchored"


def _seen_by(sel: pd.DataFrame, segments: pd.DataFrame, coders: list[str] | None,
             coverage: pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """The segments the named coders saw (recorded coverage plus what they coded), and how the note says
    so; all segments (and a note saying why) when a coder has no recorded coverage."""
    if not coders or coverage is None:
        return segments, ""
    names = ", ".join(coders)
    cov = coverage.loc[coverage["coder"].isin(coders).fillna(False).astype(bool)]
    silent = [c for c in coders if not (cov["coder"] == c).any()]
    if silent:
        return segments, (f"no recorded coverage for {', '.join(silent)}, so N is everyone, not only the "
                          "participants whose turns they saw")
    seen = set(cov["segment_id"].astype(str)) | set(coded_segments(sel, segments)["segment_id"].astype(str))
    return segments.loc[segments["segment_id"].astype(str).isin(seen)], f"in the segments {names} saw"


def source_parts(segments: pd.DataFrame, source: str = "kind",
                 kinds: dict[str, str] | None = None) -> list[tuple[str, pd.DataFrame]]:
    """(noun, segments) per source kind present (``source="kind"``), or one part for the whole study.
    ``kinds`` (document -> kind, from whole documents) keeps a part-seen focus group a focus group."""
    doc_kind = segments["document_id"].astype(str).map(kinds if kinds is not None else document_kinds(segments))
    doc_kind = doc_kind.fillna("interview")
    present = [k for k in SOURCE_KINDS if k in set(doc_kind)]
    if source == "all" or len(present) <= 1:
        noun = SOURCE_NOUNS[present[0]] if source == "kind" and present else ALL_SOURCES
        return [(noun, segments)]
    return [(SOURCE_NOUNS[k], segments.loc[(doc_kind == k).to_numpy()]) for k in present]


def population_note(freq: pd.DataFrame) -> str:
    """What N is in a frequency table: ``N: 3 interviewees and 6 survey respondents (everyone with at
    least one turn or answer of that kind; interviewer turns are not counted).``"""
    whole = freq.loc[freq["group"] == ALL_GROUP] if ALL_GROUP in set(freq["group"]) else freq
    sizes = whole.drop_duplicates("source")[["source", "N_participants"]] if len(whole) else whole
    if not len(sizes):
        return "N: no participants."
    parts = [people(int(n), str(noun)) for noun, n in zip(sizes["source"], sizes["N_participants"])]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    per_kind = " of that kind" if len(parts) > 1 else ""
    seen = str(freq.attrs.get(SEEN_ATTR, ""))
    lost = str(freq.attrs.get(UNANCHORED_ATTR, ""))
    asked = str(freq.attrs.get(QUESTION_ATTR, ""))
    if asked:
        within = f", {seen}" if seen.startswith("in the segments") else ""
        return f"N: {listed} (everyone {asked}{within}; only these answers are counted)." + lost
    if seen.startswith("in the segments"):
        return (f"N: {listed} (everyone with at least one turn or answer{per_kind} {seen}, from their recorded "
                "coverage and codings; interviewer turns are not counted)." + lost)
    return (f"N: {listed} (everyone with at least one turn or answer{per_kind}; interviewer turns and "
            "participants.csv rows without any transcript are not counted)." + (f" There is {seen}." if seen else "")
            + lost)


def _frequencies(sel: pd.DataFrame, segments: pd.DataFrame, participants: pd.DataFrame | None,
                 codebook: Codebook | None, entries: pd.DataFrame, *, by: str | None, total: bool) -> pd.DataFrame:
    """Counts per entry (and group) over one set of segments, N = their speakers."""
    _, units = entry_units(sel, segments, codebook)
    people = study_participants(participants, segments)
    group_of = participant_groups(participants, people, by) if by else pd.Series(ALL_GROUP, index=people, dtype="object")
    if by:
        group = units["participant_id"].map(group_of).astype("object").fillna(MISSING_GROUP)
        units = units.assign(group=group.where(units["participant_id"].notna(), None))  # no one's turn: All only
    else:
        units = units.assign(group=ALL_GROUP)
    frames = [_count(entries, units, group_of)]
    if by:  # a group nobody in N belongs to ("(missing)" from turns mapped to no participant) would read "0 of 0"
        frames[0] = frames[0].loc[frames[0]["N_participants"] > 0]
    if by and total:
        all_of = pd.Series(ALL_GROUP, index=people, dtype="object")
        frames.insert(0, _count(entries, units.assign(group=ALL_GROUP), all_of))
    return pd.concat(frames, ignore_index=True)


def _count(entries: pd.DataFrame, units: pd.DataFrame, group_of: pd.Series) -> pd.DataFrame:
    """Counts per entry and group, with every (entry, group) present."""
    sizes = group_of.value_counts()
    groups = natural_order([*sizes.index, *units["group"].dropna()])
    grid = pd.MultiIndex.from_product([entries["code_id"], groups], names=["code_id", "group"])
    agg = units.groupby(["entry_id", "group"]).agg(
        n_segments=("segment_id", "nunique"), n_documents=("document_id", "nunique"),
        n_participants=("participant_id", "nunique"),
    )
    agg.index.names = ["code_id", "group"]
    agg = agg.reindex(grid, fill_value=0).reset_index()
    agg = agg.merge(entries[["code_id", "label", "kind", "theme_id", "depth"]], on="code_id", how="left")
    agg["N_participants"] = agg["group"].map(sizes).fillna(0).astype(int)
    with np.errstate(divide="ignore", invalid="ignore"):
        agg["pct_participants"] = np.where(agg["N_participants"] > 0,
                                           100.0 * agg["n_participants"] / agg["N_participants"], np.nan)
    agg["n_of_N"] = [n_of_n(n, t) for n, t in zip(agg["n_participants"], agg["N_participants"])]
    for col in ("n_segments", "n_documents", "n_participants"):
        agg[col] = agg[col].astype(int)
    # A group with nobody in it (e.g. "(missing)" only used by participant-less turns) has N = 0 here;
    # ``_frequencies`` leaves such groups out of a ``by`` table.
    return agg


def frequency_wide(freq: pd.DataFrame, *, value: str = "n_of_N") -> pd.DataFrame:
    """Entries as rows and groups as columns (``value`` in the cells), labels first.

    Example: ``frequency_wide(frequencies(..., by="role"))`` gives the familiar report table
    with "4 of 5" per role.
    """
    if value not in freq.columns:
        raise InputError(Errors.E403.format(option="value", value=value, allowed=", ".join(freq.columns)))
    freq = freq.assign(group=wide_columns(freq))
    groups = list(dict.fromkeys(freq["group"]))
    wide = freq.pivot_table(index="code_id", columns="group", values=value, aggfunc="first", sort=False)
    wide = wide.reindex(columns=groups)
    labels = freq.drop_duplicates("code_id").set_index("code_id")[["label", "kind"]]
    out = labels.join(wide)
    out.columns.name = None
    return out


def wide_columns(freq: pd.DataFrame) -> list[str]:
    """Column names of a wide table: the group, or with several source kinds ``interviewees`` and
    ``peer mentor (interviewees)``."""
    if "source" in freq and set(freq["group"]) == {ALL_GROUP}:  # no groups: a column per source kind
        return [str(s) for s in freq["source"]]
    if "source" not in freq or freq["source"].nunique() <= 1:
        return [str(g) for g in freq["group"]]
    return [str(s) if g == ALL_GROUP else f"{g} ({s})" for s, g in zip(freq["source"], freq["group"])]


def code_matrix(
    codings: pd.DataFrame,
    segments: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    codebook: Codebook | None = None,
    *,
    columns: str = "participant",
    value: str = "segments",
    level: str = "all",
    coder: str | Iterable[str] | None = None,
    include_suggested: bool = False,
    documents: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Code x participant (or x document) matrix of coded segments, or presence (0/1).

    Rows are entries in codebook order (index ``code_id``), columns every participant in the
    study (or every document with segments), so empty cells are visible zeros.
    """
    if columns not in ("participant", "document"):
        raise InputError(Errors.E403.format(option="columns", value=columns, allowed="participant, document"))
    if value not in ("segments", "presence"):
        raise InputError(Errors.E403.format(option="value", value=value, allowed="segments, presence"))
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested, strict=True)
    segments = filter_documents(segments, documents)
    entries, units = entry_units(sel, segments, codebook)
    entries = filter_entries(entries, level)
    col = f"{columns}_id"
    if columns == "participant":
        all_cols = study_participants(participants if documents is None else None, segments)
    else:
        all_cols = list(dict.fromkeys(segments["document_id"]))
    counts = units.dropna(subset=[col]).groupby(["entry_id", col])["segment_id"].nunique().unstack(fill_value=0)
    matrix = counts.reindex(index=entries["code_id"], columns=all_cols, fill_value=0).fillna(0).astype(int)
    if value == "presence":
        matrix = (matrix > 0).astype(int)
    matrix.index.name, matrix.columns.name = "code_id", col
    return matrix


def with_labels(matrix: pd.DataFrame, codebook: Codebook | None) -> pd.DataFrame:
    """A copy of a code-indexed table with the code's label as its first column."""
    labels = entry_table(codebook, matrix.index)
    out = matrix.copy()
    out.insert(0, "label", matrix.index.map(labels.set_index("code_id")["label"]))
    return out
