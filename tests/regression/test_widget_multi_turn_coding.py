"""A coding that spans several turns shows as ticked on each turn it overlaps, and is never doubled or lost.

The widget showed only codings inside the turn, so a coder's coding of two turns (made by offsets, or from a
REFI import) was unticked on both, and a tick stored a second, overlapping coding of the same code. Now the
box is ticked on every turn the coding overlaps (with a note saying it is part of a longer coding); unticking
there does not remove the longer coding (that would take it off the other turns too) but is refused with
E643, which says where it runs and how to remove it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from thematic.errors import InputError  # noqa: E402
from thematic.study import Study  # noqa: E402

from .unlike_example import write_study  # noqa: E402


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s"))
    s.ingest()
    a, b = s.store.segment("ana:1"), s.store.segment("ana:3")
    s.code(("ana", a.start, b.end), "time_pressure", coder="HT")   # ana:1 to ana:3, the question between
    return s


def test_a_coding_over_two_turns_is_ticked_on_both(study: Study) -> None:
    w = study.widget(coder="HT", document="ana")
    assert str(w.segment["segment_id"]) == "ana:1" and w.checkboxes["time_pressure"].value
    assert "longer coding" in w.context.value
    w.next_button.click()
    assert str(w.segment["segment_id"]) == "ana:3" and w.checkboxes["time_pressure"].value
    w.next_button.click()
    assert str(w.segment["segment_id"]) == "ana:5" and not w.checkboxes["time_pressure"].value
    assert "longer coding" not in w.context.value
    other = study.widget(coder="SO", document="ana")               # another coder's coding is not SO's tick
    assert not other.checkboxes["time_pressure"].value


def test_unticking_it_is_refused_and_says_how_to_remove_it(study: Study) -> None:
    w = study.widget(coder="HT", document="ana")
    w.checkboxes["time_pressure"].value = False
    assert w.last_error is not None and str(w.last_error).startswith("[E643]")
    message = str(w.last_error)
    assert "ana:1" in message and "ana:3" in message and "uncode" in message
    assert w.checkboxes["time_pressure"].value                      # still ticked: still stored
    assert len(study.codings()) == 1                                # not lost
    with pytest.raises(InputError, match=r"^\[E643\]"):
        w.run_shortcut("time_pressure")                             # a typed toggle is an untick here: refused
    assert len(study.codings()) == 1                                # and never doubled


def test_a_coding_inside_the_turn_is_still_removed_beside_the_longer_one(study: Study) -> None:
    study.code("ana:1", "time_pressure", coder="HT")
    w = study.widget(coder="HT", document="ana")
    w.checkboxes["time_pressure"].value = False
    assert str(w.last_error).startswith("[E643]") and "1 coding" in str(w.last_error)
    cods = study.codings()                                          # only the longer coding is left
    assert len(cods) == 1 and int(cods.iloc[0]["end"]) == study.store.segment("ana:3").end
    assert w.checkboxes["time_pressure"].value


def test_the_suggested_way_removes_it(study: Study) -> None:
    w = study.widget(coder="HT", document="ana")
    w.checkboxes["time_pressure"].value = False
    a, b = study.store.segment("ana:1"), study.store.segment("ana:3")
    assert f"('ana', {a.start}, {b.end})" in str(w.last_error)
    assert study.uncode(("ana", a.start, b.end), "time_pressure", coder="HT") == 1
    w.prev_button.click()
    assert not w.checkboxes["time_pressure"].value
