"""A coder name with spaces around it (pasted, or read from a file) is one coder everywhere.

``code`` stored ``' Bo '`` as ``Bo``, but the widget compared ticks, unticked and recorded coverage with
``' Bo '``: a tick vanished after moving on, unticking removed nothing ("0 coding(s)"), and the coverage
was filed under a name agreement never asks for. The widget, ``uncode``/``uncode_counts``, ``mark_seen`` and
``decide`` now trim the name, so codings, lookups and seen records all use ``Bo``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.coding.manual import code, uncode, uncode_counts
from thematic.coding.review import decide
from thematic.study import Study

from .unlike_example import write_study

SID = "ana:1"


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s"))
    s.ingest()
    return s


@pytest.mark.parametrize("name", [" Bo ", "Bo\n", "  Bo"])
def test_the_widget_uses_the_trimmed_name_for_ticks_unticks_and_coverage(study: Study, name: str) -> None:
    pytest.importorskip("ipywidgets")
    w = study.widget(coder=name, document="ana")
    assert str(w.segment["segment_id"]) == SID
    w.checkboxes["time_pressure"].value = True
    assert w.last_error is None
    w.next_button.click()
    w.prev_button.click()
    assert w.checkboxes["time_pressure"].value        # the stored tick is shown after moving
    assert "finished" in w.header.value               # and the coverage is found
    w.checkboxes["time_pressure"].value = False
    assert w.last_error is None and "(1 coding(s))" in w.status.value
    assert study.codings().empty                      # the untick took it off
    assert study.seen()["coder"].tolist() == ["Bo"]
    assert set(study.store.events()["actor"]) == {"Bo"}


def test_uncode_and_uncode_counts_trim_the_coder(study: Study) -> None:
    code(study.store, SID, "time_pressure", coder="Bo")
    code(study.store, "ana:3", "time_pressure", coder="Bo")
    assert uncode_counts(study.store, SID, "time_pressure", coder=" Bo ") == (1, 0)
    assert uncode(study.store, "ana:3", "time_pressure", coder="Bo\n") == 1
    assert study.codings().empty
    code(study.store, SID, "time_pressure", coder="Bo")
    assert study.uncode(SID, "time_pressure", coder=" Bo") == 1


def test_mark_seen_trims_the_coder(study: Study) -> None:
    study.store.mark_seen([SID], coder=" Bo ", source="api")
    study.mark_seen(["ana:3"], coder="Bo\t", source="api")
    assert study.seen()["coder"].tolist() == ["Bo", "Bo"]
    assert study.store.has_seen(SID, "Bo")


def test_decide_trims_the_reviewer(study: Study) -> None:
    study.run_code(suggesters=["rules"])
    sugg = study.codings().query("status == 'suggested'").iloc[0]
    decide(study.store, str(sugg["coding_id"]), "accept", reviewer=" Bo ")
    row = study.store.coding(str(sugg["coding_id"]))
    assert row["status"] == "accepted" and row["reviewer"] == "Bo"
    assert study.store.events(coding_id=str(sugg["coding_id"])).iloc[-1]["actor"] == "Bo"
    assert set(study.seen()["coder"]) <= {"Bo"}
