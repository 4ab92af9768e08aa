"""A quote the coders marked ``#chosen`` stays chosen once a consensus coding replaces theirs.

After ``reconcile`` the counted coding of a settled segment is the consensus one, written with the decision's
memo only; the coders' ``#chosen`` memos are on the codings it supersedes, and ``select_quotes`` dropped those
before reading the mark. So ``--order chosen --max-quotes 1`` printed another participant's ordinary quote
instead of the one both coders had chosen. Now a consensus quote is chosen when a coding it supersedes, of
the same code and overlapping it in that segment, was marked ``#chosen``; a coder's own view (``coder=``)
reads only that coder's marks.
"""

from __future__ import annotations

from pathlib import Path

from analysis.quote_support import quote_study
from thematic.reconcile import reconcile_items, settle_agreed

FILES = {
    "int-a.txt": "Interviewer: Hi\nP01: An ordinary remark on trust.\n",
    "int-b.txt": "Interviewer: Hi\nP02: The vivid quote about trust I chose for the paper. Then other words.\n",
}


def _reconcile(study) -> None:  # noqa: ANN001
    items = reconcile_items(study.store, coders=["HT", "SO"])
    assert settle_agreed(study.store, items, coders=["HT", "SO"], consensus="consensus", decided_by="HT",
                         route="api") == 2


def test_reconciling_keeps_the_coders_chosen_quote(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    text = study.store.document_text("int-b")
    vivid = ("int-b", text.index("The vivid"), text.index("paper.") + len("paper."))
    for coder in ("HT", "SO"):
        study.code("int-a:1", "trust", coder=coder)
        study.code(vivid, "trust", coder=coder, memo="#chosen")  # a part of the turn
    study.mark_seen(["int-a:1", "int-b:1"], coder="HT")
    study.mark_seen(["int-a:1", "int-b:1"], coder="SO")
    before = study.quotes(order="chosen", max_quotes=1)
    assert list(before["participant_id"]) == ["P02"]
    _reconcile(study)
    after = study.quotes(order="chosen", max_quotes=1)
    assert list(after["participant_id"]) == ["P02"]
    assert bool(after["chosen"].item())
    plain = study.quotes().set_index("participant_id")["chosen"]
    assert not plain["P01"]  # a consensus quote nobody marked stays plain
    assert list(study.quotes(coder="consensus", order="chosen", max_quotes=1)["participant_id"]) == ["P02"]
    study.close()


def test_a_coders_own_view_reads_only_their_marks(tmp_path: Path) -> None:
    study = quote_study(tmp_path, FILES)
    for coder in ("HT", "SO"):
        study.code("int-a:1", "trust", coder=coder)
        study.code("int-b:1", "trust", coder=coder, memo="#chosen" if coder == "HT" else None)
    study.mark_seen(["int-a:1", "int-b:1"], coder="HT")
    study.mark_seen(["int-a:1", "int-b:1"], coder="SO")
    _reconcile(study)
    assert study.quotes().set_index("participant_id")["chosen"]["P02"]
    assert not study.quotes(coder="SO")["chosen"].any()  # SO marked nothing
    study.close()
