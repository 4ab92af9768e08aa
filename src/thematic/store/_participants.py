"""Participants merged from their sources: participants.csv, survey files, REFI imports.

Each source's word is stored apart, so re-reading one file never drops what another gave. An
attribute's value comes from the lowest-ranked source that gives it (ties: the source named first);
attribute names that differ only in case or spacing (``Gender``, ``gender``) are one attribute,
spelt as that source spells it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd


#: The participant source of data/raw/participants.csv.
ROSTER_SOURCE = "participants.csv"
#: What a store made before sources were kept held; it only fills gaps, and is never a conflict.
STORED_SOURCE = "stored"


def document_source(document_id: str) -> str:
    """The participant source of a document's respondents (a survey file)."""
    return f"document:{document_id}"


def source_document(source: str) -> str | None:
    """The document id of a document's participant source, else None."""
    return source.removeprefix("document:") if source.startswith("document:") else None


@dataclass(frozen=True, slots=True)
class AttributeConflict:
    """Two sources give one participant's attribute different values; ``kept`` is the one used."""

    participant_id: str
    attribute: str
    kept_source: str
    kept: Any
    other_source: str
    other: Any


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _name_key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _value_key(value: Any) -> str:
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return " ".join(text.split()).casefold()
    return repr(number) if math.isfinite(number) else text


def _walk(sources: pd.DataFrame) -> tuple[dict[str, dict[str, Any]], list[AttributeConflict]]:
    merged: dict[str, dict[str, tuple[Any, str]]] = {}
    spelling: dict[str, str] = {}
    conflicts: list[AttributeConflict] = []
    for source, pid, attributes in sources[["source", "participant_id", "attributes"]].itertuples(index=False):
        mine = merged.setdefault(str(pid), {})
        for name, value in dict(attributes).items():
            if _empty(value):
                continue
            key = _name_key(name)
            spelling.setdefault(key, str(name))
            if key not in mine:
                mine[key] = (value, str(source))
                continue
            kept, kept_source = mine[key]
            if kept_source != source and source != STORED_SOURCE and _value_key(kept) != _value_key(value):
                conflicts.append(AttributeConflict(str(pid), spelling[key], kept_source, kept, str(source), value))
    out = {pid: {spelling[key]: value for key, (value, _) in attrs.items()} for pid, attrs in merged.items()}
    return out, conflicts


def merge_attributes(sources: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """``{participant_id: attributes}`` merged from ``sources`` (in merge order: rank, then source)."""
    return _walk(sources)[0]


def attribute_conflicts(sources: pd.DataFrame) -> list[AttributeConflict]:
    """Every attribute two sources give different values, with the value kept and the one set aside."""
    return _walk(sources)[1]


__all__ = ["ROSTER_SOURCE", "STORED_SOURCE", "AttributeConflict", "attribute_conflicts", "document_source", "merge_attributes",
           "source_document"]
