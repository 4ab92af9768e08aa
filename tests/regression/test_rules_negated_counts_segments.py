"""`codebook rules`: 'negated' counts segments with a negated match, in the same unit as 'hits' (so never above it)."""

from __future__ import annotations

import pandas as pd

from thematic.codebook import loads_codebook
from thematic.coding.rule_check import rule_report

CB = """\
name: cb
version: 1.0.0
themes:
- id: theme_a
  definition: A theme.
codes:
- id: vetting
  parent: theme_a
  definition: Vetting.
  keywords: [vetting]
"""


def test_negated_counts_segments_not_matches():
    segs = pd.DataFrame({
        "segment_id": ["d:1", "d:2", "d:3"],
        "document_id": ["d", "d", "d"],
        "start": [0, 100, 200],
        "end": [66, 130, 248],
        "text": ["I never had vetting. I did not want vetting. Nobody needs vetting.",
                 "Then the vetting came through.",
                 "I did not want vetting. Then vetting came twice."],
    })
    report = rule_report(loads_codebook(CB, path="cb.yaml"), segs)
    row = report.iloc[0]
    # by hand: all three segments hold 'vetting'; d:1 and d:3 hold a negated one (d:1 three times)
    assert (row["hits"], row["negated"]) == (3, 2)
