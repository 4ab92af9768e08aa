"""A transcript re-ingested while a coding widget is open: a click never codes a turn other than the one shown.

The widget read its segment list once, so after a correction and ``thematic ingest`` a tick on the turn on
screen was stored on whatever turn now had that id (text the coder never read), "next" recorded the wrong
turn as seen, and the widget kept showing the old text. Now each write first compares the document's turns
with the ones on screen: when they changed, nothing is stored, the click is refused with E640, and the widget
reloads the transcript, staying on the same turn (found by its text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from thematic.errors import InputError  # noqa: E402
from thematic.study import Study  # noqa: E402

from .unlike_example import ANA_INSERTED, write_study  # noqa: E402

SHOWN = "There is never enough time, and the funding for transcription ran out."


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s"))
    s.ingest()
    return s


def _reingest(study: Study) -> None:
    (study.root / "data" / "raw" / "ana.txt").write_text(ANA_INSERTED, encoding="utf-8")
    study.ingest()
    assert study.store.segment("ana:3").text == "At the university."  # the id on screen now names another turn


def _open_on_shown(study: Study):  # noqa: ANN202 - a CodingWidget
    w = study.widget(coder="HT", document="ana")
    w.run_shortcut("g 2")
    assert str(w.segment["segment_id"]) == "ana:3" and str(w.segment["text"]) == SHOWN
    return w


def _still_on_the_shown_turn(w) -> None:  # noqa: ANN001
    assert str(w.segment["text"]) == SHOWN and str(w.segment["segment_id"]) == "ana:5"
    assert "of 4" in w.header.value and SHOWN in w.context.value  # the reloaded transcript: 4 participant turns


def test_a_tick_after_a_reingest_is_refused_and_never_codes_another_turn(study: Study) -> None:
    w = _open_on_shown(study)
    _reingest(study)

    w.checkboxes["time_pressure"].value = True
    assert w.last_error is not None and str(w.last_error).startswith("[E640]"), w.status.value
    assert "E640" in w.status.value and "ana" in w.status.value
    assert study.codings().empty                   # nothing stored, least of all on "At the university."
    assert not w.checkboxes["time_pressure"].value  # the box shows the store again
    _still_on_the_shown_turn(w)

    w.checkboxes["time_pressure"].value = True     # clicked again: stored on the turn shown
    assert w.last_error is None
    cods = study.codings()
    assert cods["text"].tolist() == [SHOWN] and cods["segment_id"].tolist() == ["ana:5"]


def test_a_typed_toggle_after_a_reingest_is_refused(study: Study) -> None:
    w = _open_on_shown(study)
    _reingest(study)
    with pytest.raises(InputError, match=r"^\[E640\]"):
        w.run_shortcut("time_pressure")
    assert study.codings().empty and not w.checkboxes["time_pressure"].value
    _still_on_the_shown_turn(w)


def test_next_after_a_reingest_does_not_record_another_turn_as_seen(study: Study) -> None:
    w = _open_on_shown(study)
    _reingest(study)

    w.next_button.click()
    assert w.last_error is not None and str(w.last_error).startswith("[E640]")
    assert study.seen().empty
    _still_on_the_shown_turn(w)

    w.next_button.click()                          # again: the turn shown is recorded, under its new id
    assert w.last_error is None
    assert study.seen()["segment_id"].tolist() == ["ana:5"]


def test_moving_after_a_reingest_shows_the_transcript_as_stored(study: Study) -> None:
    w = _open_on_shown(study)
    _reingest(study)
    w.prev_button.click()
    assert w.last_error is None
    assert "of 4" in w.header.value
    sid = str(w.segment["segment_id"])
    assert str(w.segment["text"]) == study.store.segment(sid).text
    assert sid == "ana:3" and str(w.segment["text"]) == "At the university."  # the turn before the one shown


def test_an_accept_after_a_reingest_is_refused_then_works(study: Study) -> None:
    study.run_code(suggesters=["rules"])
    w = _open_on_shown(study)
    assert w.suggestion_buttons, "the rules suggester suggests a code on the turn shown"
    _reingest(study)
    with pytest.raises(InputError, match=r"^\[E640\]"):
        w.run_shortcut("a")
    assert not (study.codings()["status"] == "accepted").any()
    _still_on_the_shown_turn(w)
    w.run_shortcut("a")
    accepted = study.codings().query("status == 'accepted'")
    assert accepted["text"].tolist() == [SHOWN]


def test_an_unchanged_reingest_changes_nothing(study: Study) -> None:
    w = _open_on_shown(study)
    study.ingest(force=True)                       # the same files again: the same turns
    w.checkboxes["time_pressure"].value = True
    assert w.last_error is None
    assert study.codings()["segment_id"].tolist() == ["ana:3"]
