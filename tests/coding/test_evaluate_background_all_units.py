"""Cross-validation fits a suggester that reads a background (the ensemble: its similarity part's z-scores) on every
unit's text, as `thematic code` fits it on every segment of the study, while it learns labels from the training
units only; before, its background in `thematic evaluate` was the training units alone, so the figures measured a
different suggester from the one a run uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from thematic.codebook import load_codebook
from thematic.coding.evaluate import _cross_validate, read_gold
from thematic.coding.folds import grouped_folds
from thematic.coding.suggest.ensemble import EnsembleSuggester

REPO = Path(__file__).resolve().parents[2]
SEEN: list[tuple[set[str], set[str]]] = []


class _Recording(EnsembleSuggester):
    """The ensemble (rules only, no encoder), noting what each fold's fit was given."""

    def fit(self, segments: pd.DataFrame | None = None, codings: pd.DataFrame | None = None,
            codebook: Any = None) -> "_Recording":
        assert segments is not None and codings is not None
        SEEN.append((set(segments["segment_id"].astype(str)), set(codings["segment_id"].dropna().astype(str))))
        return super().fit(segments, codings, codebook)


def test_each_fold_reads_every_unit_and_learns_from_its_training_units() -> None:
    units, labels = read_gold(REPO / "tests/gold/example-gold.jsonl")
    cb = load_codebook(REPO / "codebooks/peer-work-desistance.yaml")
    folds = grouped_folds(units, 3)
    SEEN.clear()
    _cross_validate(_Recording(parts=("rules",)), units, labels, cb, folds)
    everyone = set(units["segment_id"].astype(str))
    assert len(SEEN) == len(folds.splits) == 3
    for (background, learnt), (train, test) in zip(SEEN, folds.splits):
        assert background == everyone
        assert learnt == set(units["segment_id"].iloc[train].astype(str))
        assert not learnt & set(units["segment_id"].iloc[test].astype(str))
