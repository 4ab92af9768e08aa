"""Cross-validation folds that keep each document (or gold ``group``) together.

A model that saw other turns of the same interview is rewarded for recognising the interview, not
the code; holding whole documents out is what a researcher gets on the next, unseen transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, KFold

from ..errors import Warnings


@dataclass
class Folds:
    """The train/test index pairs and how they were made (for the report)."""

    splits: list[tuple[np.ndarray, np.ndarray]]
    grouped_by: str
    n_groups: int
    k: int
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, object]:
        """JSON-ready description: grouping, number of groups, folds and any warning."""
        return {"grouped_by": self.grouped_by, "n_groups": self.n_groups, "k": self.k, "warnings": list(self.warnings)}


def unit_groups(units: pd.DataFrame) -> np.ndarray:
    """Each unit's group: the ``group`` column where set, else its ``document_id``."""
    docs = units["document_id"].astype(str).to_numpy()
    if "group" in units:
        g = units["group"].astype("string").fillna("").astype(str).to_numpy()
        return np.where(g != "", g, docs)
    return docs


def grouped_folds(units: pd.DataFrame, k: int, *, seed: int = 0, source: str = "document") -> Folds:
    """``k`` folds that never split a group (fewer when there are fewer groups; W520/W521 say why)."""
    groups = unit_groups(units)
    n_groups = len(set(groups.tolist()))
    n = len(units)
    warnings: list[str] = []
    if n_groups == n and n > 1:
        warnings.append(Warnings.W520.format(n=n))
    if n_groups >= 2:
        kk = min(k, n_groups)
        if kk < k:
            warnings.append(Warnings.W521.format(k=k, n_groups=n_groups))
        order = np.random.default_rng(seed).permutation(n)  # GroupKFold is deterministic; shuffle rows first
        splits = [(np.sort(order[tr]), np.sort(order[te]))
                  for tr, te in GroupKFold(n_splits=kk).split(order, groups=groups[order])]
        return Folds(splits, source, n_groups, kk, warnings)
    if n < 2:  # nothing to cross-validate on (zero-shot suggesters are still scored)
        return Folds([], "unit (one unit only)", n_groups, 0, warnings)
    warnings.append(Warnings.W522.format(k=min(k, n)))  # the folds used: no more than the units
    splits = list(KFold(n_splits=min(k, n), shuffle=True, random_state=seed).split(np.arange(n)))
    return Folds(splits, "unit (one group only)", n_groups, len(splits), warnings)
