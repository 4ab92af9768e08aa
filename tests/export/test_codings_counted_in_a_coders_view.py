"""A codings export for one coder (``coder=...``) marks as counted what that coder's tables count.

After a reconcile, ``export codings --coder SO``, ``export tables --coder SO`` and ``report workbook --coder SO``
listed every one of SO's codings the consensus supersedes as ``counted = FALSE``, while the Frequencies sheet of
the same workbook, a per-coder view, counted them: filtering the Codings sheet on ``counted`` to check the
Frequencies sheet found nothing. A superseded coding is still marked ``superseded``, but it is not ``counted``
only in the whole-study view, where the consensus counts in its place.
"""

from __future__ import annotations

import pandas as pd

from coding.manual_support import fill_study
from thematic.reconcile import reconcile_items, settle_agreed


def _reconciled(study):  # noqa: ANN001, ANN202
    fill_study(study)
    study.code("int-01:1", "funding", coder="HT")
    study.code("int-01:3", "funding", coder="HT")
    study.code("int-01:1", "funding", coder="SO")
    study.mark_seen(["int-01:1", "int-01:3"], coder="HT")
    study.mark_seen(["int-01:1"], coder="SO")
    items = reconcile_items(study.store, coders=["HT", "SO"])
    settle_agreed(study.store, items, coders=["HT", "SO"], consensus="consensus", decided_by="HT", route="api")
    return study


def _flags(table: pd.DataFrame) -> list[tuple[str, str, bool, bool]]:
    return sorted((str(s), str(c), bool(x), bool(n)) for s, c, x, n in
                  zip(table["segment_id"], table["coder"], table["superseded"], table["counted"]))


def test_a_coders_export_counts_what_their_tables_count(study, tmp_path) -> None:  # noqa: ANN001
    s = _reconciled(study)
    assert int(s.frequencies(level="code", coder="SO").set_index("code_id").loc["funding", "n_segments"]) == 1
    one = pd.read_csv(s.export_codings(tmp_path / "so.csv", coder="SO"), encoding="utf-8-sig")
    assert _flags(one) == [("int-01:1", "SO", True, True)]
    book = s.report_workbook(tmp_path / "so.xlsx", coder="SO", n_boot=0)
    sheet = pd.read_excel(book, sheet_name="Codings")
    assert _flags(sheet) == [("int-01:1", "SO", True, True)]
    freq = pd.read_excel(book, sheet_name="Frequencies").set_index("code_id")
    assert int(freq.loc["funding", "n_segments"]) == int(sheet["counted"].sum())
    about = pd.read_excel(book, sheet_name="About")
    said = str(about.set_index(about.columns[0]).iloc[:, 0]["Codings"])
    assert "superseded by the consensus coding" not in said and "own tables count" in said


def test_the_whole_study_export_still_leaves_superseded_codings_uncounted(study, tmp_path) -> None:  # noqa: ANN001
    s = _reconciled(study)
    table = pd.read_csv(s.export_codings(tmp_path / "all.csv"), encoding="utf-8-sig")
    assert _flags(table) == [("int-01:1", "HT", True, False), ("int-01:1", "SO", True, False),
                             ("int-01:1", "consensus", False, True), ("int-01:3", "HT", False, True)]
