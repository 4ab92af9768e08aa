"""A `$` in a code label, theme label, group value or title was read by matplotlib as mathtext: `$20k-$40k`
lost its dollar signs, and a label such as `Wage: $10/hr, a 5% raise, then $12/hr` crashed
`tables frequency --chart` and `report quotes --charts` with a traceback. Now every text of every chart is
drawn as written (no mathtext, no TeX), and the figures save as PNG and SVG."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.text import Text

from thematic.analysis import agreement, cooccurrence_matrix, frequencies
from thematic.analysis.charts import agreement_chart, cooccurrence_heatmap, frequency_chart, save_figure
from thematic.codebook import loads_codebook

from .conftest import make_codings, make_segments

WAGE = "Wage: $10/hr, a 5% raise, then $12/hr"
THEME = "Money $ and $ pay"
CODEBOOK = f"""\
name: cb
version: 1.0.0
themes:
- {{id: money, label: "{THEME}", definition: Money talk.}}
codes:
- {{id: wage, label: "{WAGE}", parent: money, definition: Wages.}}
- {{id: rent, label: "Rent_$x$", parent: money, definition: Rent.}}
"""


@pytest.fixture
def study_parts():
    segments = make_segments(3, 2)
    participants = pd.DataFrame({"participant_id": ["P00", "P01", "P02"],
                                 "income": ["$20k-$40k", "$40k-$60k", "$20k-$40k"]})
    rows = [(f"d{d}:0", "rent", c) for d in range(3) for c in ("A", "B")]
    rows += [("d0:1", "wage", "A"), ("d0:1", "wage", "B"), ("d1:1", "wage", "A"), ("d1:0", "wage", "B")]
    codebook = loads_codebook(CODEBOOK, path="cb.yaml")
    return make_codings(rows, segments), segments, participants, codebook


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text)]


def _labels(texts) -> list[str]:
    """Tick labels with their wrapping undone."""
    return [" ".join(t.get_text().split()) for t in texts]


def _saves(fig, tmp_path, name: str) -> None:
    for fmt in ("png", "svg"):
        save_figure(fig, str(tmp_path / f"{name}.{fmt}"))
    svg = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")
    assert "<svg" in svg[:400]


def _literal(fig) -> None:
    """Every text of the figure is drawn as written: neither mathtext nor TeX."""
    fig.canvas.draw()
    for t in fig.findobj(Text):
        assert not t.get_usetex(), t.get_text()
        assert "$" not in t.get_text() or not t.get_parse_math(), t.get_text()


@pytest.mark.parametrize("level", [None, "code", "theme"])
def test_frequency_chart_labels_and_legend_verbatim(study_parts, level, tmp_path):
    codings, segments, participants, codebook = study_parts
    freq = frequencies(codings, segments, participants, codebook, by="income")
    fig = frequency_chart(freq, value="pct_participants", level=level, title="Pay in $ and $ again")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["$20k-$40k (n=2)", "$40k-$60k (n=1)"]
    ticks = _labels(fig.axes[0].get_yticklabels())
    if level != "theme":
        assert WAGE in ticks and "Rent_$x$" in ticks
    if level != "code":
        assert THEME in ticks
    assert fig.axes[0].get_title(loc="left") == "Pay in $ and $ again"
    _literal(fig)
    _saves(fig, tmp_path, f"freq-{level}")


def test_heatmap_and_agreement_chart_verbatim(study_parts, tmp_path):
    codings, segments, _, codebook = study_parts
    labels = {c.id: c.label for c in codebook}
    fig = cooccurrence_heatmap(cooccurrence_matrix(codings, segments, codebook), labels=labels,
                               title="Co-occurrence, $ and $")
    assert WAGE in _labels(fig.axes[0].get_xticklabels())
    assert WAGE in _labels(fig.axes[0].get_yticklabels())
    _literal(fig)
    _saves(fig, tmp_path, "heatmap")
    table = agreement(codings, segments, coders="A,B", codebook=codebook, n_boot=20)
    table = table.assign(label=table["code_id"].map(labels).fillna(table["code_id"]))
    fig = agreement_chart(table, title="Agreement $1 $2")
    assert WAGE in _labels(fig.axes[0].get_yticklabels())
    _literal(fig)
    _saves(fig, tmp_path, "agreement")


def test_text_literal_even_with_usetex_configured(study_parts, tmp_path):
    """A user's matplotlibrc that turns TeX on does not make labels go through TeX."""
    codings, segments, participants, codebook = study_parts
    freq = frequencies(codings, segments, participants, codebook, by="income")
    with matplotlib.rc_context({"text.usetex": True, "axes.formatter.use_mathtext": True}):
        fig = frequency_chart(freq, value="pct_participants", level=None)
        assert "$20k-$40k (n=2)" in _texts(fig)
        _literal(fig)
        _saves(fig, tmp_path, "usetex")
