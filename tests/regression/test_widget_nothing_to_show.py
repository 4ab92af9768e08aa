"""A coding widget with no segment to show says why, and its clicks say there is nothing on screen.

With ``only_suggested=True`` and no open suggestion (or a document of interviewer turns only) the header said
"ingest transcripts first" although the transcript was ingested, "next" answered "Segment 1.", and a tick
was an E630 IndexError advising a kernel restart. Now the header gives the true reason and the clicks store
nothing and say there is no segment on screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from thematic.study import Study  # noqa: E402

from .unlike_example import TRANSCRIPTS, write_study  # noqa: E402

NOTES = "Interviewer: Hello?\nInterviewer: Anyone there?\n"  # a document of interviewer turns only


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s", {**TRANSCRIPTS, "notes.txt": NOTES}))
    s.ingest()
    return s


def _clicks_store_nothing(study: Study, w) -> None:  # noqa: ANN001
    w.next_button.click()
    assert w.last_error is None
    assert "Segment 1" not in w.status.value and "no segment" in w.status.value.lower()
    w.prev_button.click()
    assert "Segment" not in w.status.value
    w.checkboxes["time_pressure"].value = True
    assert "E630" not in w.status.value and "IndexError" not in w.status.value
    assert "no segment" in w.status.value.lower()
    assert not w.checkboxes["time_pressure"].value          # the box shows that nothing was stored
    assert w.run_shortcut("funding").lower().startswith("no segment")
    assert study.codings().empty and study.seen().empty


def test_only_suggested_without_open_suggestions_says_so(study: Study) -> None:
    w = study.widget(coder="HT", document="ana", only_suggested=True)
    assert "ingest" not in w.header.value
    assert "open suggestion" in w.header.value and "only_suggested" in w.header.value
    _clicks_store_nothing(study, w)


def test_a_document_of_interviewer_turns_only_says_so(study: Study) -> None:
    w = study.widget(coder="HT", document="notes")
    assert "ingest" not in w.header.value
    assert "interviewer" in w.header.value and "include_interviewer" in w.header.value
    _clicks_store_nothing(study, w)


def test_a_study_with_nothing_ingested_says_ingest(tmp_path: Path) -> None:
    s = Study(write_study(tmp_path / "empty", {}))
    w = s.widget(coder="HT")
    assert "ingest" in w.header.value
    _clicks_store_nothing(s, w)
