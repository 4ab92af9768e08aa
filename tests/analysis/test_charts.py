"""Charts are Figures that save as PNG and SVG without a display."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from thematic.analysis import agreement, cooccurrence_matrix, frequencies
from thematic.analysis.charts import agreement_chart, cooccurrence_heatmap, frequency_chart, save_figure
from thematic.errors import InputError

from .test_intercoder import random_study


def test_frequency_chart_bars_per_group(frames, tmp_path):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, by="role")
    fig = frequency_chart(freq, title="Codes by role")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 5 * 3  # five codes x three roles (the All rows are not drawn)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["peer mentor", "service user", "staff"]
    save_figure(fig, str(tmp_path / "f.png"))
    save_figure(fig, str(tmp_path / "f.svg"))
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "f.svg").read_bytes()[:400]
    with pytest.raises(InputError, match="E405"):
        save_figure(fig, str(tmp_path / "f.gif"))


def test_frequency_chart_themes_sorted_by_value(frames):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook)
    ax = frequency_chart(freq, level="theme", value="n_segments").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Barriers", "Peer support"]  # 3 then 4, largest on top


def test_heatmap_and_agreement_chart(frames):
    m = cooccurrence_matrix(frames.codings, frames.segments, frames.codebook)
    fig = cooccurrence_heatmap(m, labels={"funding": "Funding"})
    assert "Funding" in [t.get_text() for t in fig.axes[0].get_xticklabels()]
    segs, codings, _ = random_study(1)
    fig2 = agreement_chart(agreement(codings, segs, coders="A,B", n_boot=50))
    assert len(fig2.axes[0].get_yticklabels()) == 4  # three codes and the pooled row
