"""Frequency charts had 8 colours and cycled them, so from the 9th series on two groups in the legend had
the same colour and a reader credited one group's bars to another. Now every series has its own
(colour, hatch) pair, for a dozen groups as for a hundred, and the legend shows the same pair as the bars."""

from __future__ import annotations

import pandas as pd
import pytest

from thematic.analysis import frequencies
from thematic.analysis.charts import frequency_chart, save_figure
from thematic.codebook import loads_codebook

from .conftest import make_codings, make_segments

CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- {id: t, label: Trust, definition: Trust.}
codes:
- {id: trust, label: Trust in colleagues, parent: t, definition: Trust.}
- {id: other, label: Other, parent: t, definition: Other.}
"""


def _by_site(n_groups: int) -> pd.DataFrame:
    """Frequencies by site for ``n_groups`` one-person sites, each person coded once."""
    segments = make_segments(n_groups, 1)
    participants = pd.DataFrame({"participant_id": [f"P{d:02d}" for d in range(n_groups)],
                                 "site": [f"Site {d + 1}" for d in range(n_groups)]})
    codings = make_codings([(f"d{d}:0", "other" if d == 0 else "trust", "HT") for d in range(n_groups)], segments)
    return frequencies(codings, segments, participants, loads_codebook(CODEBOOK, path="cb.yaml"), by="site")


def _styles(fig) -> list[tuple[tuple[float, ...], str | None]]:
    """The (face colour, hatch) of each bar series, in legend order."""
    ax = fig.axes[0]
    out = []
    for container in ax.containers:
        patches = container.patches
        assert len({(tuple(p.get_facecolor()), p.get_hatch()) for p in patches}) == 1  # one look per series
        out.append((tuple(round(x, 4) for x in patches[0].get_facecolor()), patches[0].get_hatch()))
    return out


@pytest.mark.parametrize("n_groups", [12, 100])
def test_every_series_has_its_own_colour_and_hatch(n_groups, tmp_path):
    fig = frequency_chart(_by_site(n_groups), value="pct_participants", level="code")
    styles = _styles(fig)
    legend = fig.legends[0]
    assert len(styles) == len(legend.get_texts()) == n_groups
    assert len(set(styles)) == n_groups
    # the legend's keys look like the bars they name
    keys = [(tuple(round(x, 4) for x in h.get_facecolor()), h.get_hatch()) for h in legend.legend_handles]
    assert keys == styles
    save_figure(fig, str(tmp_path / "by-site.png"))
    assert (tmp_path / "by-site.png").read_bytes()[:4] == b"\x89PNG"


def test_first_eight_series_keep_plain_colours():
    """Hatching is only for series beyond the plain colours: a small chart stays as it was."""
    styles = _styles(frequency_chart(_by_site(8), value="pct_participants", level="code"))
    assert len({colour for colour, _ in styles}) == 8
    assert all(not hatch for _, hatch in styles)
