"""A coding that spans two turns still counts on the turn the consensus did not settle.

``prefer_consensus`` marked a whole coding superseded as soon as it touched one settled segment, so HT's
passage over two turns (as a REFI import or ``study.code((doc, start, end), ...)`` makes) dropped out of the
frequencies, quotes and code matrix on the second turn too, which nobody had settled. The consensus now
replaces a coding only on the segments it settled; elsewhere the coding counts as before, and per-coder views
(``coder="HT"``, the codings export) still see the whole coding.
"""

from __future__ import annotations

from coding.manual_support import fill_study
from thematic.reconcile import reconcile_items, settle_agreed


def _settle_first_turn(study) -> None:  # noqa: ANN001
    fill_study(study)
    first, second = study.store.segment("int-01:1"), study.store.segment("int-01:3")
    study.code("int-01:1", "funding", coder="SO")
    study.mark_seen(["int-01:1"], coder="SO")
    study.code(("int-01", first.start, second.end), "funding", coder="HT")  # one passage over both turns
    study.mark_seen(["int-01:1", "int-01:3"], coder="HT")
    items = reconcile_items(study.store, coders=["HT", "SO"])
    assert [(i.segment_id, i.agreed, i.disputed) for i in items] == [("int-01:1", ("funding",), {})]
    settle_agreed(study.store, items, coders=["HT", "SO"], consensus="consensus", decided_by="HT", route="api")
    assert list(study.seen("consensus")["segment_id"]) == ["int-01:1"]


def test_the_unsettled_turn_keeps_its_coding_in_every_table(study) -> None:  # noqa: ANN001
    _settle_first_turn(study)
    freq = study.frequencies(level="code").set_index("code_id")
    assert int(freq.loc["funding", "n_segments"]) == 2          # consensus on int-01:1, HT on int-01:3

    quotes = study.quotes(codes="funding")
    coder_of = dict(zip(study.codings()["coding_id"], study.codings()["coder"]))
    by_segment: dict[str, set[str]] = {}
    for seg, cid in zip(quotes["segment_id"], quotes["coding_id"]):
        by_segment.setdefault(seg, set()).add(coder_of[cid])
    assert by_segment == {"int-01:1": {"consensus"}, "int-01:3": {"HT"}}

    matrix = study.code_matrix(columns="document")
    assert int(matrix.loc["funding", "int-01"]) == 2


def test_per_coder_views_still_see_the_whole_coding(study) -> None:  # noqa: ANN001
    _settle_first_turn(study)
    ht = study.frequencies(level="code", coder="HT").set_index("code_id")
    assert int(ht.loc["funding", "n_segments"]) == 2
    table = study.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
    assert float(table.loc["funding", "percent_agreement"]) == 1.0


def test_a_coding_inside_settled_turns_only_is_still_replaced(study) -> None:  # noqa: ANN001
    _settle_first_turn(study)
    study.code("int-01:1", "generativity", coder="HT")          # after the settle: the consensus still rules there
    freq = study.frequencies(level="code").set_index("code_id")
    assert "generativity" not in freq.index or int(freq.loc["generativity", "n_segments"]) == 0
