"""Co-occurrence counts and Jaccard on the hand-built study."""

from __future__ import annotations

import numpy as np
import pytest

from thematic.analysis import cooccurrence, cooccurrence_matrix


def _pair(t, a, b):
    rows = t.loc[((t.code_a == a) & (t.code_b == b)) | ((t.code_a == b) & (t.code_b == a))]
    return rows.iloc[0]


def test_same_segment_cooccurrence(frames):
    t = cooccurrence(frames.codings, frames.segments, frames.codebook)
    row = _pair(t, "shared_experience", "trust")  # both on int-01:1
    assert (row.n_a, row.n_b, row.n_both) == (3, 2, 1)  # trust includes trust_staff
    assert row.jaccard == pytest.approx(1 / 4)
    assert _pair(t, "shared_experience", "funding").n_both == 1  # int-01:3
    assert _pair(t, "vetting", "funding").n_both == 0
    assert t.iloc[0]["n_both"] == t["n_both"].max()


def test_same_participant_and_theme_level(frames):
    t = cooccurrence(frames.codings, frames.segments, frames.codebook, unit="participant")
    assert _pair(t, "shared_experience", "vetting").n_both == 1  # P03 in fg-01
    themes = cooccurrence(frames.codings, frames.segments, frames.codebook, unit="participant", level="theme")
    row = _pair(themes, "support", "barriers")
    assert (row.n_a, row.n_b, row.n_both) == (3, 3, 3)
    assert row.jaccard == 1.0


def test_matrix_diagonal_and_jaccard(frames):
    m = cooccurrence_matrix(frames.codings, frames.segments, frames.codebook)
    assert m.loc["shared_experience", "shared_experience"] == 3
    assert m.loc["trust", "shared_experience"] == m.loc["shared_experience", "trust"] == 1
    j = cooccurrence_matrix(frames.codings, frames.segments, frames.codebook, value="jaccard")
    assert j.loc["funding", "funding"] == 1.0
    assert j.loc["funding", "shared_experience"] == pytest.approx(1 / 4)
    assert np.allclose(j.to_numpy(), j.to_numpy().T, equal_nan=True)
