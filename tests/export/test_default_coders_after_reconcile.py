"""The table bundle keeps thematic.toml's coders' agreement after reconcile.

``default_coders`` (the coders ``export tables`` and ``report workbook`` compare when none are named) counted
only the codings the tables count, and those leave out what the consensus supersedes. So once every disputed
segment was settled, a coder whose codings all lay on settled segments counted as absent: with two coders the
Agreement and Disagreements tables silently went missing, and with three the table switched to another set of
coders. Now every coding of a configured coder counts (superseded or not), as does recorded coverage alone, as
``build_ratings`` counts them, so the same agreement table is written before and after reconcile.
"""

from __future__ import annotations

import pandas as pd

from coding.manual_support import fill_study
from thematic.export.reports import default_coders
from thematic.reconcile import reconcile_items, settle, settle_agreed

SEGS = ["int-01:1", "int-01:3", "int-02:1", "int-02:3"]


def _coders(study, names: list[str]) -> None:  # noqa: ANN001
    toml = study.paths.config
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "coders = []", "coders = [" + ", ".join(f'"{n}"' for n in names) + "]"), encoding="utf-8")


def _settle_all(study, pair: list[str]) -> None:  # noqa: ANN001
    items = reconcile_items(study.store, coders=pair)
    settle_agreed(study.store, items, coders=pair, consensus="consensus", decided_by="HT", route="api")
    for item in (i for i in items if i.disputed):
        settle(study.store, item, (), coders=pair, consensus="consensus", decided_by="HT", route="api")
    assert not [i for i in reconcile_items(study.store, coders=pair) if i.disputed]


def test_two_coders_keep_their_agreement_tables_after_every_dispute_is_settled(study, tmp_path) -> None:  # noqa: ANN001
    fill_study(study)
    _coders(study, ["HT", "SO"])
    study.code("int-01:1", "funding", coder="HT")
    study.code("int-01:3", "funding", coder="HT")
    study.code("int-01:3", "generativity", coder="HT")
    study.code("int-01:1", "funding", coder="SO")
    study.code("int-01:3", "generativity", coder="SO")
    study.mark_seen(["int-01:1", "int-01:3"], coder="HT")
    study.mark_seen(["int-01:1", "int-01:3"], coder="SO")
    before = {p.name for p in study.export_tables(tmp_path / "before", format="csv", n_boot=0)}
    assert {"agreement.csv", "disagreements.csv"} <= before
    _settle_all(study, ["HT", "SO"])
    assert default_coders(study.frames(), ["HT", "SO"]) == ["HT", "SO"]
    after = {p.name for p in study.export_tables(tmp_path / "after", format="csv", n_boot=0)}
    assert {"agreement.csv", "disagreements.csv"} <= after
    table = pd.read_csv(tmp_path / "after" / "agreement.csv", encoding="utf-8-sig")
    assert {"seen_HT", "seen_SO"} <= set(table.columns) and int(table["n_shared"].iloc[0]) == 2
    book = study.report_workbook(tmp_path / "after.xlsx", n_boot=0)
    assert {"Agreement", "Disagreements"} <= set(pd.ExcelFile(book).sheet_names)


def test_three_coders_stay_three_when_one_pair_is_reconciled(study) -> None:  # noqa: ANN001
    fill_study(study)
    _coders(study, ["HT", "SO", "MK"])
    for seg in SEGS:
        study.code(seg, "funding", coder="HT")
    study.code("int-01:1", "funding", coder="SO")             # SO's sample: both segments later settled
    study.code("int-01:3", "generativity", coder="SO")
    study.code("int-02:1", "funding", coder="MK")
    study.mark_seen(SEGS, coder="HT")
    study.mark_seen(["int-01:1", "int-01:3"], coder="SO")
    study.mark_seen(["int-01:3", "int-02:1", "int-02:3"], coder="MK")
    assert default_coders(study.frames(), ["HT", "SO", "MK"]) == ["HT", "SO", "MK"]
    _settle_all(study, ["HT", "SO"])
    assert default_coders(study.frames(), ["HT", "SO", "MK"]) == ["HT", "SO", "MK"]


def test_a_coder_who_saw_segments_and_ticked_nothing_counts(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "funding", coder="HT")
    study.mark_seen(["int-01:1", "int-01:3"], coder="HT")
    study.mark_seen(["int-01:1", "int-01:3"], coder="SO")     # SO returned her sheet without a tick
    assert default_coders(study.frames(), ["HT", "SO"]) == ["HT", "SO"]
    assert default_coders(study.frames(), ["HT", "XY"]) is None
