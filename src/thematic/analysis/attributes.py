"""Survey-style tallies of participant attributes: counts and % of participants, multi-select, crosstabs.

"29 of 35 respondents named funding as the top barrier": every value of every attribute counted
over all participants (N includes people who did not answer, or answered ``na``, shown as ``(no answer)``), multi-select
answers split into their options (so the percentages of one question may add up past 100).
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from .._personal import PERSONAL_ATTRIBUTES as PERSONAL_ATTRIBUTES
from .._personal import is_personal
from .._personal import without_personal as without_personal
from ..errors import Errors, InputError
from .frequency import n_of_n
from .ordering import is_ordered, natural_key, natural_order
from ..ingest.checks import MISSING_MARKERS
from .selection import _as_list, apart_from, attribute_column, commonest_spellings, value_key

NO_ANSWER = "(no answer)"
#: A crosstab's margins; an answer spelt like it is named with its attribute (``Total (band)``).
TOTAL = "Total"
#: Never tallied unless named: one value per person, so a tally would list people (or real names).
TALLY_COLUMNS = ["attribute", "value", "n", "N", "pct", "n_of_N"]


def _answers(series: pd.Series, multi: bool, sep: str, total: str | None = None) -> pd.Series:
    """Each participant's list of answers (options split for multi-select; empty = no answer).

    Missing-value markers (``na``, ``n/a``, ``-``…) are no answer, and spellings that differ only in
    case, spacing or number form (``Female``, ``female ``; ``24``, ``24.0``) are one answer under the
    commonest, as in frequency tables. An answer spelt like a crosstab's ``total`` is named with its
    attribute (``Total (band)``).
    """
    def split(v: object) -> list[str]:
        if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)):
            return []
        if isinstance(v, (list, tuple)):
            items = [str(x).strip() for x in v]
        else:
            items = str(v).split(sep) if multi else [str(v)]
        return [i.strip() for i in items if i.strip() and value_key(i) not in MISSING_MARKERS]
    lists = series.map(split)
    spellings = pd.Series([i for items in lists for i in items], dtype="object")
    if spellings.empty:
        return lists
    commonest = commonest_spellings(spellings)
    if total is not None:
        commonest = apart_from(commonest, total, str(series.name))
    return lists.map(lambda items: list(dict.fromkeys(commonest[value_key(i)] for i in items)))


def _columns(participants: pd.DataFrame, names: Iterable[str] | None) -> list[str]:
    """Each named attribute's column (case aside); E402 for one the participants lack."""
    return [attribute_column(participants, n) for n in names or []]


def attribute_tallies(
    participants: pd.DataFrame,
    attributes: str | Iterable[str] | None = None,
    *,
    multi_select: str | Iterable[str] | None = None,
    sep: str = ";",
) -> pd.DataFrame:
    """Counts and % of participants for every value of each attribute.

    Args:
        participants: ``participant_id`` plus one column per attribute.
        attributes: Which attributes (default: all but ids, pseudonyms and name/contact columns).
        multi_select: Attributes whose answers list several options separated by ``sep``.
        sep: Separator of multi-select options.

    Returns:
        Columns attribute, value, n, N (all participants), pct, n_of_N; values of a rating scale or
        numbers in scale order (``Strongly disagree`` … ``Strongly agree``, ``2, 4, 10``), other values
        by descending n (ties alphabetical, case aside); ``(no answer)`` last.

    Example:
        >>> attribute_tallies(participants, "barriers", multi_select="barriers")
    """
    names = _columns(participants, _as_list(attributes)) or [c for c in participants.columns if not is_personal(c)]
    multi = set(_columns(participants, _as_list(multi_select)))
    people = participants.drop_duplicates("participant_id") if "participant_id" in participants else participants
    total = len(people)
    rows = []
    for name in names:
        answers = _answers(people[name], name in multi, sep)
        counts = answers.explode().dropna().value_counts()
        key = natural_key(counts.index)
        if is_ordered(counts.index):  # a rating scale or numbers: in scale order, as a survey report reads
            counts = counts.iloc[sorted(range(len(counts)), key=lambda i: key(counts.index[i]))]
        else:
            counts = counts.iloc[sorted(range(len(counts)), key=lambda i: (-counts.iloc[i], key(counts.index[i])))]
        for value, n in counts.items():
            rows.append((name, str(value), int(n)))
        unanswered = int((answers.map(len) == 0).sum())
        if unanswered:
            rows.append((name, NO_ANSWER, unanswered))
    out = pd.DataFrame(rows, columns=["attribute", "value", "n"])
    out["N"] = total
    out["pct"] = 100.0 * out["n"] / total if total else np.nan
    out["n_of_N"] = [n_of_n(n, total) for n in out["n"]]
    return out[TALLY_COLUMNS]


def crosstab(
    participants: pd.DataFrame,
    rows: str,
    columns: str,
    *,
    multi_select: str | Iterable[str] | None = None,
    sep: str = ";",
    percent: str | None = None,
    margins: bool = True,
) -> pd.DataFrame:
    """Participants counted by two attributes crossed (multi-select options each counted).

    Args:
        participants: ``participant_id`` plus attributes.
        rows: Attribute for the rows.
        columns: Attribute for the columns (e.g. ``role``).
        multi_select: Attributes to split into options.
        sep: Separator of multi-select options.
        percent: None for counts, ``column`` for % of each column's participants, ``row`` for %
            of each row's participants.
        margins: Add a ``Total`` row and column (participants, not answers).

    Returns:
        A table indexed by the row attribute's values, one column per column value, both in natural
        order (numbers numerically, rating scales in scale order, ``(no answer)`` then ``Total`` last), with
        or without ``percent``; an answer spelt ``Total`` is named with its attribute (``Total (band)``).
    """
    multi = set(_columns(participants, _as_list(multi_select)))
    rows, columns = _columns(participants, [rows, columns])
    if percent not in (None, "row", "column"):
        raise InputError(Errors.E403.format(option="percent", value=percent, allowed="row, column"))
    people = participants.drop_duplicates("participant_id").reset_index(drop=True)
    long = pd.DataFrame({
        "pid": people["participant_id"],
        "r": _answers(people[rows], rows in multi, sep, TOTAL).map(lambda a: a or [NO_ANSWER]),
        "c": _answers(people[columns], columns in multi, sep, TOTAL).map(lambda a: a or [NO_ANSWER]),
    }).explode("r").explode("c")
    table = long.pivot_table(index="r", columns="c", values="pid", aggfunc="nunique", fill_value=0)
    order = {"index": natural_order(table.index), "columns": natural_order(table.columns)}
    row_tot = long.groupby("r")["pid"].nunique()
    col_tot = long.groupby("c")["pid"].nunique()
    if percent == "column":
        table = 100.0 * table / col_tot
    elif percent == "row":
        table = 100.0 * table.div(row_tot, axis=0)
    table = table.reindex(**order)  # after the division, which aligns (and sorts) the labels as text
    if margins:
        table[TOTAL] = row_tot if percent is None else (100.0 * row_tot / len(people) if percent == "column" else 100.0)
        total_row = col_tot.reindex(table.columns[:-1]).tolist() + [len(people)]
        if percent == "column":
            total_row = [100.0] * len(total_row)
        elif percent == "row":
            total_row = [100.0 * v / len(people) for v in total_row]
        table.loc[TOTAL] = total_row
    table.index.name, table.columns.name = rows, columns
    return table
