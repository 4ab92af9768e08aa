"""The pooled "(all codes)" agreement row depends only on the ratings on the compared segments.

It used to pool every code applied anywhere by a compared coder (``--level code``) or every theme of
the codebook, used or not (``--level theme``), so one coding on a segment the other coder never saw
changed the pooled kappa, and ``--coders HT,SO`` and ``--sample`` gave different figures over the
same segments. Now both levels pool the codes (themes) a compared coder applied to a segment at
least two of them saw, and only those get a row. Figures checked against scikit-learn.
"""

from __future__ import annotations

import math

import pytest
from coding.manual_support import CODEBOOK_YAML, make_document
from sklearn.metrics import cohen_kappa_score

from thematic.models import Participant

TURNS = [(f"Speaker{i}", f"P{i:02d}", False, f"Answer number {i} about the work and the people.") for i in range(12)]
# Both coders saw turns 0-7; HT also saw 8-11.
HT = {0: ["generativity"], 1: ["generativity", "funding"], 2: ["funding"], 3: ["hook_for_change"],
      5: ["generativity"], 6: ["funding"]}
SO = {0: ["generativity"], 1: ["funding"], 2: ["funding"], 4: ["generativity"], 5: ["hook_for_change"],
      6: ["funding"], 7: ["generativity"]}
THEME = {"generativity": "identity", "hook_for_change": "identity", "funding": "barriers"}
SHARED = range(8)


def _sid(i: int) -> str:
    return f"doc-01:{i}"


@pytest.fixture
def two(study):
    """12 turns; HT saw all, SO the first 8; codes as in HT and SO above."""
    study.store.save_document(make_document("doc-01", TURNS))
    study.store.save_participants([Participant(p, {}) for _, p, _, _ in TURNS])
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    for coder, coded in (("HT", HT), ("SO", SO)):
        for i, codes in coded.items():
            for c in codes:
                study.code(_sid(i), c, coder=coder)
    study.mark_seen([_sid(i) for i in range(12)], coder="HT", source="api")
    study.mark_seen([_sid(i) for i in SHARED], coder="SO", source="api")
    yield study


def _pooled_sklearn(items: list[str], of) -> float:  # noqa: ANN001 - item -> codes applied on a turn
    a, b = [], []
    for item in items:
        a += [int(item in of(HT.get(i, []))) for i in SHARED]
        b += [int(item in of(SO.get(i, []))) for i in SHARED]
    return float(cohen_kappa_score(a, b))


def _codes(applied: list[str]) -> list[str]:
    return applied


def _themes(applied: list[str]) -> list[str]:
    return [THEME[c] for c in applied]


def test_a_coding_outside_the_shared_segments_does_not_change_the_pooled_row(two) -> None:
    before = two.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    two.code(_sid(10), "security_vetting", coder="HT")  # a segment SO never saw, a code used nowhere else
    after = two.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    cols = ["prevalence", "percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"]
    assert after.loc["(all codes)", cols].tolist() == pytest.approx(before.loc["(all codes)", cols].tolist())
    assert "security_vetting" not in after.index  # applied only outside the compared segments: no row
    assert list(after.index) == ["generativity", "hook_for_change", "funding", "(all codes)"]
    expected = _pooled_sklearn(["generativity", "hook_for_change", "funding"], _codes)
    assert after.loc["(all codes)", "cohen_kappa"] == pytest.approx(expected, abs=1e-9)
    # 3 codes x 8 shared segments: 18 of 24 decisions agree
    assert after.loc["(all codes)", "percent_agreement"] == pytest.approx(18 / 24)


def test_coders_and_sample_give_the_same_pooled_figures(two) -> None:
    two.code(_sid(9), "shared_experience", coder="HT")
    over_coders = two.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    over_sample = two.agreement(["HT", "SO"], n_boot=0, sample=[_sid(i) for i in SHARED]).set_index("code_id")
    cols = ["prevalence", "percent_agreement", "cohen_kappa", "krippendorff_alpha"]
    assert list(over_coders.index) == list(over_sample.index)
    assert over_coders[cols].to_numpy() == pytest.approx(over_sample[cols].to_numpy())


def test_theme_level_pools_only_the_themes_applied_like_codes(two) -> None:
    table = two.agreement(["HT", "SO"], n_boot=0, level="theme").set_index("code_id")
    assert list(table.index) == ["identity", "barriers", "(all codes)"]  # peers: nobody applied it
    expected = _pooled_sklearn(["identity", "barriers"], _themes)
    assert table.loc["(all codes)", "cohen_kappa"] == pytest.approx(expected, abs=1e-9)
    for theme in ("identity", "barriers"):
        assert table.loc[theme, "cohen_kappa"] == pytest.approx(_pooled_sklearn([theme], _themes), abs=1e-9)


def test_an_asked_code_nobody_applied_keeps_its_row_but_is_not_pooled(two) -> None:
    table = two.agreement(["HT", "SO"], n_boot=0, codes=["generativity", "security_vetting"]).set_index("code_id")
    assert list(table.index) == ["generativity", "security_vetting", "(all codes)"]
    assert "no coder applied this code" in table.loc["security_vetting", "note"]
    pooled = table.loc["(all codes)"]
    assert pooled["cohen_kappa"] == pytest.approx(table.loc["generativity", "cohen_kappa"])
    assert pooled["percent_agreement"] == pytest.approx(table.loc["generativity", "percent_agreement"])
    assert pooled["cohen_kappa"] == pytest.approx(_pooled_sklearn(["generativity"], _codes), abs=1e-9)


def test_no_code_applied_on_the_compared_segments_leaves_only_an_undefined_pooled_row(two) -> None:
    two.mark_seen([_sid(i) for i in range(8, 12)], coder="SO", source="api")
    table = two.agreement(["HT", "SO"], n_boot=10,
                          sample=[_sid(i) for i in range(8, 12)])  # turns nobody coded
    assert list(table["code_id"]) == ["(all codes)"]
    row = table.iloc[0]
    assert row["n_shared"] == 4 and row["n_HT"] == 0 and row["n_SO"] == 0
    assert all(math.isnan(row[s]) for s in ("percent_agreement", "cohen_kappa", "krippendorff_alpha"))
    assert row["note"].startswith("no code was applied to a segment two or more coders saw, so nothing is pooled")
