"""Charts are Figures that save as PNG and SVG without a display."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from thematic.analysis import agreement, cooccurrence_matrix, frequencies
from thematic.analysis.charts import agreement_chart, cooccurrence_heatmap, frequency_chart, save_figure
from thematic.errors import InputError

from .test_intercoder import random_study


def test_frequency_chart_bars_per_group(frames, tmp_path):
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook, by="role", source="all")
    fig = frequency_chart(freq, title="Codes by role")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 5 * 3  # five codes x three roles (the All rows are not drawn)
    # group sizes in the legend (issue 19)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["peer mentor (n=2)", "service user (n=2)", "staff (n=1)"]
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


def test_frequency_chart_keeps_themes_above_their_codes_and_labels_readable(frames):
    """Issue 19: themes and codes are not ranked in one list; the axis says what is counted; labels never overlap."""
    freq = frequencies(frames.codings, frames.segments, frames.participants, frames.codebook)
    fig = frequency_chart(freq, level=None)
    ax = fig.axes[0]
    ticks = [t.get_text().strip() for t in ax.get_yticklabels()][::-1]  # top to bottom
    # a sub-code is marked with a dash: right-aligned labels would hide an indent of spaces
    assert ticks == ["Peer support", "Shared experience", "Trust", "\u2013 Trust in staff", "Barriers", "Funding",
                     "Security vetting"]
    assert ax.get_xlabel() == "Participants the code was applied to"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["interviewees (n=3)", "focus-group members (n=2)"]
    fig.canvas.draw()
    boxes = sorted((t.get_window_extent() for t in ax.get_yticklabels()), key=lambda b: b.y0)
    assert all(a.y1 <= b.y0 + 0.5 for a, b in zip(boxes, boxes[1:]))


def test_frequency_chart_many_long_labels_do_not_overlap():
    import pandas as pd

    n = 60
    freq = pd.DataFrame({
        "code_id": [f"c{i}" for i in range(n)], "label": [f"A rather long code label number {i} about funding_resources "
                                                          "and the things people say" for i in range(n)],
        "kind": "code", "theme_id": "t", "depth": 1, "source": "participants", "group": "All",
        "n_segments": range(n), "n_documents": 1, "n_participants": range(n), "N_participants": n,
        "pct_participants": 1.0, "n_of_N": "x"})
    fig = frequency_chart(freq)
    ax = fig.axes[0]
    fig.canvas.draw()
    boxes = sorted((t.get_window_extent() for t in ax.get_yticklabels()), key=lambda b: b.y0)
    assert all(a.y1 <= b.y0 + 0.5 for a, b in zip(boxes, boxes[1:]))
    assert fig.get_size_inches()[1] <= 10.5
