"""The co-occurrence heatmap's colour bar and its tick labels lie inside the figure.

With a few codes and long labels, constrained layout placed the colour bar for the image's full slot
and then the image shrank to its square aspect, so the bar's tick labels were cut off at the right edge
of the saved PNG. The heatmap now uses the compressed (aspect-aware) layout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from thematic.analysis.charts import cooccurrence_heatmap, save_figure

LABELS = ["Travel and cost", "Opening hours",
          "Ngôn ngữ và tiếp cận – language barriers (Zugänglichkeit, Łatwość)", "Being listened to",
          "Privacy in a crowded waiting room where everyone can hear your private business and debts"]
COUNTS = [[0, 0, 0, 1, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 4], [0, 0, 0, 4, 0]]


def _matrix(labels: list[str], counts) -> pd.DataFrame:  # noqa: ANN001
    return pd.DataFrame(np.array(counts, float), index=labels, columns=labels)


def _few_long() -> pd.DataFrame:
    return _matrix(LABELS, COUNTS)


def _many() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    a = rng.integers(0, 9, (20, 20)).astype(float)
    return _matrix([f"Code {i} with a rather long label that wraps" for i in range(20)], a + a.T)


@pytest.mark.parametrize("matrix", [_few_long, _many], ids=["few-long-labels", "many-codes"])
@pytest.mark.parametrize("dpi", [100, 200])
def test_colorbar_tick_labels_lie_inside_the_figure(matrix, dpi: int) -> None:  # noqa: ANN001
    fig = cooccurrence_heatmap(matrix())
    fig.set_dpi(dpi)
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    bar = fig.axes[-1]
    assert bar.get_label() == "<colorbar>"
    ticks = [t for t in bar.get_yticklabels() if t.get_text()]
    assert ticks
    width, height = fig.bbox.width, fig.bbox.height
    for t in ticks:
        box = t.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, (t.get_text(), box, width)
    assert bar.get_tightbbox(renderer).x1 <= width


def test_saved_heatmap_draws_nothing_at_its_right_edge(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "heatmap.png"
    save_figure(cooccurrence_heatmap(_few_long()), str(path))
    pixels = np.asarray(Image.open(path).convert("L"))
    assert int((pixels[:, -1] < 128).sum()) == 0
