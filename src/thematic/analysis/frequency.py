"""Frequencies of themes and codes: segments, documents and "n of N participants", by group.

A theme (or a parent code) counts the union of its codes: a segment coded with two codes of a
theme is one segment for the theme. N is everyone in the study (participants.csv plus the
speakers of non-interviewer turns), or everyone in the group with ``by``.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import Errors, InputError
from .selection import (
    MISSING_GROUP,
    coded_segments,
    entry_table,
    filter_documents,
    filter_entries,
    membership,
    participant_groups,
    select_codings,
    study_participants,
)

ALL_GROUP = "All"
FREQUENCY_COLUMNS = [
    "code_id", "label", "kind", "theme_id", "depth", "group", "n_segments", "n_documents",
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
) -> pd.DataFrame:
    """How often each theme and code occurs: segments, documents and participants ("n of N").

    Args:
        codings: Codings (``schemas.CODINGS``); only manual + accepted count unless asked.
        segments: Segments (``schemas.SEGMENTS``); interviewer turns are never counted.
        participants: Participants and their attributes (``participant_id`` + one column each).
        codebook: Gives order, labels and the hierarchy (without it each code stands alone).
        by: A participant attribute (e.g. ``role``): counts per group, N per group.
        level: ``all`` (themes and codes), ``theme`` or ``code``.
        coder: Only these coders' codings.
        include_suggested: Count unreviewed suggestions too.
        total: With ``by``, add the whole-study rows as group ``All``.
        documents: Only these documents (id patterns such as ``interviews-*``); N is then the
            participants who speak in them.

    Returns:
        Columns ``FREQUENCY_COLUMNS``, entries in codebook order (``group`` is ``All`` without ``by``).

    Example:
        >>> freq = frequencies(codings, segments, participants, codebook, by="role")
        >>> freq.loc[freq.code_id == "funding", ["group", "n_of_N"]]
    """
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested)
    segments = filter_documents(segments, documents)
    entries, units = entry_units(sel, segments, codebook)
    entries = filter_entries(entries, level)
    people = study_participants(participants if documents is None else None, segments)
    group_of = participant_groups(participants, people, by) if by else pd.Series(ALL_GROUP, index=people, dtype="object")
    if by:
        units = units.assign(group=units["participant_id"].map(group_of).fillna(MISSING_GROUP).astype("object"))
    else:
        units = units.assign(group=ALL_GROUP)
    frames = [_count(entries, units, group_of)]
    if by and total:
        all_of = pd.Series(ALL_GROUP, index=people, dtype="object")
        frames.insert(0, _count(entries, units.assign(group=ALL_GROUP), all_of))
    out = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(entries["code_id"])}
    groups = [ALL_GROUP] * bool(by and total) + sorted(set(group_of), key=lambda g: (g == MISSING_GROUP, g))
    out["_o"] = out["code_id"].map(order)
    out["_g"] = out["group"].map({g: i for i, g in enumerate(groups)})
    return out.sort_values(["_o", "_g"], kind="stable").drop(columns=["_o", "_g"]).reset_index(drop=True)[FREQUENCY_COLUMNS]


def _count(entries: pd.DataFrame, units: pd.DataFrame, group_of: pd.Series) -> pd.DataFrame:
    """Counts per entry and group, with every (entry, group) present."""
    sizes = group_of.value_counts()
    groups = sorted(set(sizes.index) | set(units["group"]), key=str)
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
    # Groups with nobody in them (e.g. "(missing)" only used by participant-less turns) keep counts but N = 0.
    return agg


def frequency_wide(freq: pd.DataFrame, *, value: str = "n_of_N") -> pd.DataFrame:
    """Entries as rows and groups as columns (``value`` in the cells), labels first.

    Example: ``frequency_wide(frequencies(..., by="role"))`` gives the familiar report table
    with "4 of 5" per role.
    """
    if value not in freq.columns:
        raise InputError(Errors.E403.format(option="value", value=value, allowed=", ".join(freq.columns)))
    groups = list(dict.fromkeys(freq["group"]))
    wide = freq.pivot_table(index="code_id", columns="group", values=value, aggfunc="first", sort=False)
    wide = wide.reindex(columns=groups)
    labels = freq.drop_duplicates("code_id").set_index("code_id")[["label", "kind"]]
    out = labels.join(wide)
    out.columns.name = None
    return out


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
    sel = select_codings(codings, coder=coder, include_suggested=include_suggested)
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
