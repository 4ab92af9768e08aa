"""Helpers shared by the REFI import tests."""

from __future__ import annotations

import csv

from thematic.study import Study


def pseudonym_key(study: Study) -> dict[str, str]:
    """The study's pseudonym key as real name -> pseudonym (private/pseudonym-key.csv)."""
    with open(study.root / "private" / "pseudonym-key.csv", encoding="utf-8") as fh:
        return {row["real"]: row["pseudonym"] for row in csv.DictReader(fh)}
