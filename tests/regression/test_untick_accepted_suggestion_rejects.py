"""Unticking a suggestion one accepted turns it into a rejection, so it is not suggested again (D6).

Accepting a suggestion and then unticking the code (widget, ``Study.uncode``, ``thematic code remove``)
used to delete the accepted row, and the next ``thematic code`` run stored the same suggestion again as
open. "This code does not apply here" now sticks: the suggestion becomes rejected, logged with who and
when, while manual codings are still removed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coding.assisted_support import interview, write_codebook
from thematic.coding.manual import uncode_id
from thematic.coding.run import code

ANSWERS = ["The vetting took months before I got in.", "The funding ran out last spring."]
SID = "int-01:1"  # the rules suggester suggests security_vetting here


@pytest.fixture
def suggested(study):  # noqa: ANN001, ANN201 - a thematic.Study with one rules run stored
    write_codebook(study)
    study.store.save_document(interview("int-01", ANSWERS))
    report = code(study, suggesters=["rules"], ingest=False)
    study.batch_id = report.batch_id
    return study


def _suggestion(study) -> dict:  # noqa: ANN001
    cods = study.store.codings(code="security_vetting")
    row = cods.loc[cods["segment_id"] == SID]
    assert len(row) == 1, row
    return row.iloc[0].to_dict()


def _rerun(study) -> int:  # noqa: ANN001
    write_codebook(study, version="2.1.0")  # a release makes the suggester run over every document again
    return code(study, suggesters=["rules"], ingest=False).added


def _replay_matches(study) -> None:  # noqa: ANN001
    # every column but updated_at (an event records what changed, not the row's time stamp)
    now = study.store.codings().sort_values("coding_id", ignore_index=True).drop(columns="updated_at")
    replayed = study.store.replay_events().sort_values("coding_id", ignore_index=True).drop(columns="updated_at")
    assert len(now) and (now["status"] == "rejected").any()
    pd.testing.assert_frame_equal(now, replayed)


def _assert_rejected_by_ab(study) -> None:  # noqa: ANN001
    row = _suggestion(study)
    assert row["status"] == "rejected" and row["reviewer"] == "AB"
    last = study.store.events(coding_id=row["coding_id"]).iloc[-1]
    assert last["kind"] == "reject" and last["actor"] == "AB" and last["at"]
    assert study.codings(counted=True).empty                    # a rejection never counts
    usage = study.code_usage().set_index("code_id")
    assert usage.loc["security_vetting", "codings"] == 0 and usage.loc["security_vetting", "suggested"] == 0
    assert study.review_queue().query("code_id == 'security_vetting'").empty
    assert _rerun(study) == 0                                   # not suggested again
    assert _suggestion(study)["status"] == "rejected"
    _replay_matches(study)


def test_unticking_an_accepted_suggestion_in_the_widget_rejects_it(suggested) -> None:  # noqa: ANN001
    pytest.importorskip("ipywidgets")
    w = suggested.widget(coder="AB", document="int-01")
    assert str(w.segment["segment_id"]) == SID
    w.run_shortcut("a")
    assert _suggestion(suggested)["status"] == "accepted" and w.checkboxes["security_vetting"].value
    w.checkboxes["security_vetting"].value = False
    assert w.last_error is None and not w.checkboxes["security_vetting"].value
    assert "rejected" in w.status.value
    _assert_rejected_by_ab(suggested)


def test_study_uncode_of_an_accepted_suggestion_rejects_it(suggested) -> None:  # noqa: ANN001
    suggested.decide(_suggestion(suggested)["coding_id"], "accept", reviewer="AB")
    assert suggested.uncode(SID, "security_vetting", coder="AB") == 1
    _assert_rejected_by_ab(suggested)


def test_removing_an_accepted_suggestion_by_id_rejects_it(suggested) -> None:  # noqa: ANN001
    cid = _suggestion(suggested)["coding_id"]
    suggested.decide(cid, "accept", reviewer="AB")
    assert uncode_id(suggested.store, cid, coder="AB") == 1
    _assert_rejected_by_ab(suggested)


def test_manual_codings_are_still_removed_and_undo_keeps_the_decision(suggested) -> None:  # noqa: ANN001
    suggested.decide(_suggestion(suggested)["coding_id"], "accept", reviewer="AB")
    suggested.code(SID, "funding", coder="AB")
    assert suggested.uncode(SID, "funding", coder="AB") == 1
    assert suggested.store.codings(code="funding", coder="AB").empty          # a manual coding: gone
    assert suggested.uncode(SID, "security_vetting", coder="AB") == 1
    suggested.code(SID, "security_vetting", coder="AB")                        # changed mind again: manual
    assert suggested.uncode(SID, "security_vetting", coder="AB") == 1
    assert suggested.store.codings(code="security_vetting", status="manual").empty
    assert suggested.undo(suggested.batch_id, actor="AB") == 1  # the open funding suggestion on int-01:3
    assert _suggestion(suggested)["status"] == "rejected"                     # the decision is kept
    _replay_matches(suggested)
