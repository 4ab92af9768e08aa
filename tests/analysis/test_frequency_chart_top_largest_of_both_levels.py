"""``frequency_chart(level=None, top=N)`` keeps the N largest entries, drawn in codebook order.

With themes and codes together (``level=None``, the CLI's default chart) ``top`` kept the first N entries in
codebook order, so a theme every participant was coded under was cut while an empty theme listed first stayed,
though the docstring promises "only the top entries by the whole-study value". Now the N entries with the
largest whole-study values are kept (ties go to the earlier entry, so a theme always comes with its codes'
heading), still drawn in codebook order, each theme above its codes.
"""

from __future__ import annotations

from coding.manual_support import fill_study
from thematic.analysis.charts import frequency_chart


def _ticks(fig) -> list[str]:  # noqa: ANN001
    return [t.get_text().strip() for t in fig.axes[0].get_yticklabels()][::-1]  # top to bottom


def test_top_keeps_the_largest_themes_and_codes_in_codebook_order(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")          # Identity: 1 segment
    for seg in ("int-01:1", "int-01:3", "int-02:1"):            # Barriers: 3 segments, Funding all of them
        study.code(seg, "funding", coder="HT")
    study.code("int-01:3", "security_vetting", coder="HT")      # Security vetting: 1 segment
    freq = study.frequencies()
    fig = frequency_chart(freq, level=None, value="n_segments", top=2)
    assert _ticks(fig) == ["Structural barriers", "Funding"]
    assert [p.get_width() for p in fig.axes[0].patches][::-1] == [3, 3]
    three = _ticks(frequency_chart(freq, level=None, value="n_segments", top=3))
    assert three == ["Identity and change", "Structural barriers", "Funding"]  # ties: the earlier entry
    assert _ticks(frequency_chart(freq, level=None, value="n_segments"))[:2] == ["Identity and change", "Giving back"]
