"""Agreement intervals resample only the segments the statistics are computed over.

The bootstrap drew from every segment *any* compared coder saw, so the number of shared segments changed
from one resample to the next: the intervals widened when one coder merely marked more turns seen that the
other never saw, and ``agreement([HT, CD])`` and ``agreement([HT, CD], sample="latest:CD")`` gave different
intervals over the same shared segments. Now each resample draws from the segments two or more coders saw
(for two coders, the segments both saw; for more, the segments alpha uses), so those calls give the same
intervals, and the CLI's table and its Excel report show the same figures as the notebook API.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.manual_support import CODEBOOK_YAML
from coding.test_double_coding import fill_many
from thematic.analysis import agreement
from thematic.cli.main import app
from thematic.study import Study

from .conftest import make_codings, make_segments

BOUNDS = [f"{s}_{end}" for s in ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
          for end in ("low", "high")]
FIGURES = ["code_id", "n_shared", "prevalence", "percent_agreement", "cohen_kappa", "fleiss_kappa",
           "krippendorff_alpha", *BOUNDS]


@pytest.fixture
def two_coders(study):  # noqa: ANN001 - a thematic.Study
    """HT and SO saw and coded the same 12 turns of 60; the other turns nobody has read yet."""
    ids = fill_many(study.store, n_docs=1, turns=60)
    (study.codebook_path or study.paths.codebooks / "fixture.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    for i, sid in enumerate(ids[:12]):
        if i % 3 == 0:
            study.code(sid, "funding", coder="HT")
        if i % 3 == 0 or i % 5 == 0:
            study.code(sid, "funding", coder="SO")
        if i % 4 == 0:
            study.code(sid, "generativity", coder="HT")
        if i % 4 == 0 or i == 3:
            study.code(sid, "generativity", coder="SO")
    study.mark_seen(ids[:12], coder="HT")
    study.mark_seen(ids[:12], coder="SO")
    return study, ids


def _figures(table: pd.DataFrame) -> pd.DataFrame:
    return table[FIGURES].reset_index(drop=True)


def test_intervals_do_not_move_when_one_coder_reads_more_turns_alone(two_coders) -> None:  # noqa: ANN001
    study, ids = two_coders
    before = study.agreement(["HT", "SO"], n_boot=300, seed=0)
    study.mark_seen(ids[12:], coder="HT")  # HT reads 48 turns SO never saw and codes none of them
    after = study.agreement(["HT", "SO"], n_boot=300, seed=0)
    assert (before["n_segments"] == 12).all() and (after["n_segments"] == 60).all()
    assert (after["n_shared"] == 12).all()
    assert after[BOUNDS].notna().to_numpy().any()
    pd.testing.assert_frame_equal(_figures(before), _figures(after))


def test_interval_is_the_bootstrap_over_the_shared_segments_alone(two_coders) -> None:  # noqa: ANN001
    from sklearn.metrics import cohen_kappa_score

    study, ids = two_coders
    study.mark_seen(ids[12:], coder="HT")
    table = study.agreement(["HT", "SO"], codes="funding", n_boot=400, seed=3).set_index("code_id")
    ht = np.array([int(i % 3 == 0) for i in range(12)])
    so = np.array([int(i % 3 == 0 or i % 5 == 0) for i in range(12)])
    draws = np.random.default_rng(3).multinomial(12, np.full(12, 1 / 12), size=400)
    kappas = []
    for counts in draws:
        idx = np.repeat(np.arange(12), counts)
        if len(set(ht[idx]) | set(so[idx])) > 1:
            kappas.append(cohen_kappa_score(ht[idx], so[idx]))
    assert table.loc["funding", "cohen_kappa_low"] == pytest.approx(np.percentile(kappas, 2.5), abs=1e-9)
    assert table.loc["funding", "cohen_kappa_high"] == pytest.approx(np.percentile(kappas, 97.5), abs=1e-9)


def test_all_seen_and_the_recorded_sample_give_the_same_intervals(two_coders) -> None:  # noqa: ANN001
    study, ids = two_coders
    study.mark_seen(ids, coder="HT")
    picked = study.sample(coder="CD", n=20, of="HT", seed=1).segments["segment_id"].tolist()
    for i, sid in enumerate(picked):
        if i % 2 == 0:
            study.code(sid, "funding", coder="CD")
    study.mark_seen(picked, coder="CD")
    everything = study.agreement(["HT", "CD"], n_boot=300, seed=0)
    sampled = study.agreement(["HT", "CD"], sample="latest:CD", n_boot=300, seed=0)
    assert (everything["n_shared"] == 20).all() and (everything["n_segments"] == 60).all()
    assert (sampled["n_segments"] == 20).all()
    pd.testing.assert_frame_equal(_figures(everything), _figures(sampled))


def test_the_cli_and_its_excel_report_show_the_apis_intervals(two_coders, tmp_path) -> None:  # noqa: ANN001
    study, ids = two_coders
    study.mark_seen(ids[12:], coder="HT")
    api = study.agreement(["HT", "SO"], n_boot=200, seed=5)
    root = study.root
    study.close()
    out = tmp_path / "agreement.xlsx"
    result = CliRunner().invoke(app, ["agreement", "--coders", "HT,SO", "--boot", "200", "--seed", "5",
                                      "--out", str(out), "--study", str(root)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out, read_only=True)["Agreement"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "code_id" in row)
    written = pd.DataFrame(rows[header + 1:], columns=rows[header]).dropna(subset=["code_id"])
    assert list(written["code_id"]) == list(api["code_id"])
    for col in BOUNDS:
        assert written[col].astype(float).to_numpy() == pytest.approx(api[col].to_numpy(), abs=1e-9, nan_ok=True), col
    with Study.open(root) as again:  # the workbook's Agreement sheet is the same table
        book = again.report_workbook(tmp_path / "tables.xlsx", coders=["HT", "SO"], n_boot=200, seed=5)
    rows = list(openpyxl.load_workbook(book, read_only=True)["Agreement"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "code_id" in row)
    tables = pd.DataFrame(rows[header + 1:], columns=rows[header]).dropna(subset=["code_id"])
    for col in BOUNDS:
        assert tables[col].astype(float).to_numpy() == pytest.approx(api[col].to_numpy(), abs=1e-9, nan_ok=True), col


def test_three_coders_resample_the_segments_two_or_more_saw() -> None:
    segs = make_segments(1, 30)
    sid = list(segs["segment_id"])
    rows = [(s, "alpha_code", c) for i, s in enumerate(sid[:15]) for c in ("A", "B", "C")
            if (i % 3 == 0) or (c == "B" and i % 5 == 0) or (c == "C" and i % 7 == 1)]
    codings = make_codings(rows, segs)

    def table(a_sees: list[str]) -> pd.DataFrame:
        coverage = pd.DataFrame({"coder": ["A"] * len(a_sees) + ["B"] * 15 + ["C"] * 10,
                                 "segment_id": a_sees + sid[:15] + sid[5:15]})
        return agreement(codings, segs, coders="A,B,C", coverage=coverage, n_boot=300, seed=0)

    before, after = table(sid[:15]), table(sid)  # A alone also reads the last 15 segments
    assert (before["n_segments"] == 15).all() and (after["n_segments"] == 30).all()
    assert after[BOUNDS].notna().to_numpy().any()
    pd.testing.assert_frame_equal(_figures(before), _figures(after))
