"""Agreement's per-code columns are all over the segments both coders saw, and unseen is missing.

HT saw all four participant turns of the fixture and SO three of them. Prevalence used to be the
share of *all* ratings (HT's extra segment included) in a table titled "over 3 segment(s)"; now
prevalence and n_<coder> are over the shared segments, like kappa, and the command says how many
segments each coder saw. Hand-written fictional data (tests/coding/manual_support.py).
"""

from __future__ import annotations

import numpy as np
import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.analysis.agreement import cohen_kappa, krippendorff_alpha
from thematic.cli.main import app

runner = CliRunner()
TURNS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]


@pytest.fixture
def partly(study):
    """HT: generativity on int-01:1, int-01:3, int-02:3 (saw all four); SO saw int-01:1, int-02:1, int-02:3."""
    fill_study(study)
    s = study
    for sid in ("int-01:1", "int-01:3", "int-02:3"):
        s.code(sid, "generativity", coder="HT")
    s.code("int-01:1", "generativity", coder="SO")
    s.code("int-02:1", "funding", coder="SO")
    s.mark_seen(TURNS, coder="HT", source="api")
    s.mark_seen(["int-01:1", "int-02:1", "int-02:3"], coder="SO", source="api")
    yield s


def test_prevalence_and_counts_are_over_the_shared_segments(partly) -> None:
    table = partly.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    row = table.loc["generativity"]
    assert row["n_shared"] == 3
    # shared: int-01:1 (HT 1, SO 1), int-02:1 (0, 0), int-02:3 (1, 0): 3 of 6 ratings apply it
    assert row["prevalence"] == pytest.approx(3 / 6)
    assert (row["n_HT"], row["n_SO"]) == (2, 1)   # HT's int-01:3 is not a shared segment
    assert (row["seen_HT"], row["seen_SO"]) == (4, 3)
    pooled = table.loc["(all codes)"]
    assert pooled["prevalence"] == pytest.approx((3 + 1) / (2 * 2 * 3))  # funding: SO on int-02:1
    assert (pooled["n_HT"], pooled["n_SO"]) == (2, 2)


def test_a_segment_a_coder_did_not_see_is_missing_not_absent(partly) -> None:
    table = partly.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    ht = [1, 1, 0, 1]                       # int-01:1, int-01:3, int-02:1, int-02:3
    so = [1, np.nan, 0, 0]                  # SO did not see int-01:3
    alpha = krippendorff_alpha([ht, so])
    assert table.loc["generativity", "krippendorff_alpha"] == pytest.approx(alpha)
    assert table.loc["generativity", "cohen_kappa"] == pytest.approx(cohen_kappa(ht, so))
    assert alpha != pytest.approx(krippendorff_alpha([ht, [1, 0, 0, 0]]))  # unseen as "absent" differs
    assert table.loc["generativity", "percent_agreement"] == pytest.approx(2 / 3)


def test_the_command_says_how_many_segments_each_coder_saw(partly) -> None:
    root = partly.root
    partly.close()
    result = runner.invoke(app, ["agreement", "--coders", "HT,SO", "--boot", "0", "--study", str(root)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Agreement over 3 segment(s) seen by HT and SO" in flat
    assert "HT saw 4 segment(s), SO saw 3; both saw 3" in flat
    assert "50%" in flat  # generativity's prevalence over the shared segments (was 57%: 4 of 7 ratings)


def test_coders_are_matched_as_the_tables_match_them(partly) -> None:
    exact = partly.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    folded = partly.agreement(["ht", "so"], n_boot=0).set_index("code_id")
    assert folded["cohen_kappa"].equals(exact["cohen_kappa"]) and exact["cohen_kappa"].notna().any()
    out = runner.invoke(app, ["agreement", "--coders", "ht,so", "--study", str(partly.root)])
    assert out.exit_code == 0, out.output
