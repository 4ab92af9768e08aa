"""``agreement(codes=...)`` on a three-level codebook: a named theme or sub-theme stands for what is coded beneath it.

With ``level="theme"`` a sub-theme under ``codes`` matched no theme row, so the table held only a pooled row of
n/a reading "no code was applied to a segment two or more coders saw" and the disagreement list was empty, though
both coders had applied its codes and disagreed. With ``level="code"`` a theme under ``codes`` got a row of its own
and so did every code beneath it nobody applied, each "100% agree" (a theme cannot even be applied). Now at theme
level each named theme or sub-theme is a row that counts as applied where it or any code beneath it is; at code
level a named theme or sub-theme expands to the codes beneath it that a compared coder applied (the rule of the
unfiltered table), while a code named on its own keeps its row as before.
"""

from __future__ import annotations

from coding.manual_support import fill_study

CODEBOOK = """\
name: deep
version: 1.0.0
themes:
- {id: trust, label: Trust, definition: Trust.}
- {id: barriers, label: Barriers, definition: Obstacles.}
codes:
- {id: staff, label: Trust in staff, parent: trust, definition: Staff.}
- {id: honest, label: Honest, parent: staff, definition: Honest.}
- {id: reliable, label: Reliable, parent: staff, definition: Reliable.}
- {id: peers, label: Trust in peers, parent: trust, definition: Peers.}
- {id: funding, label: Funding, parent: barriers, definition: Money.}
"""
SEGS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]


def _study(study):  # noqa: ANN001, ANN202
    fill_study(study)
    study.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    study.code("int-01:1", "honest", coder="HT")
    study.code("int-01:1", "reliable", coder="HT")
    study.code("int-01:3", "reliable", coder="HT")
    study.code("int-01:1", "honest", coder="SO")
    study.code("int-02:1", "reliable", coder="SO")
    study.mark_seen(SEGS, coder="HT")
    study.mark_seen(SEGS, coder="SO")
    return study


def test_a_sub_theme_at_theme_level_is_its_codes_rolled_up(study) -> None:  # noqa: ANN001
    s = _study(study)
    table = s.agreement(["HT", "SO"], level="theme", codes="staff", n_boot=0).set_index("code_id")
    assert list(table.index) == ["staff", "(all codes)"]
    assert float(table.loc["staff", "percent_agreement"]) == 0.5       # agree on int-01:1 and int-02:3
    whole = s.agreement(["HT", "SO"], level="theme", n_boot=0).set_index("code_id")
    assert float(whole.loc["trust", "percent_agreement"]) == 0.5
    diffs = s.disagreements(["HT", "SO"], level="theme", codes="staff")
    assert sorted(diffs["segment_id"]) == ["int-01:3", "int-02:1"]
    themed = s.agreement(["HT", "SO"], level="theme", codes="trust", n_boot=0).set_index("code_id")
    assert list(themed.index) == ["trust", "(all codes)"]


def test_a_theme_at_code_level_is_the_codes_applied_beneath_it(study) -> None:  # noqa: ANN001
    s = _study(study)
    for named in ("trust", "staff"):
        table = s.agreement(["HT", "SO"], codes=named, n_boot=0).set_index("code_id")
        assert list(table.index) == ["honest", "reliable", "(all codes)"], named
    assert float(table.loc["honest", "percent_agreement"]) == 1.0
    assert float(table.loc["reliable", "percent_agreement"]) == 0.25   # agree only on int-02:3 (neither applied it)
    alone = s.agreement(["HT", "SO"], codes="peers", n_boot=0).set_index("code_id")
    assert list(alone.index) == ["peers", "(all codes)"]                  # a code named on its own keeps its row
    assert "no coder applied" in alone.loc["peers", "note"]
