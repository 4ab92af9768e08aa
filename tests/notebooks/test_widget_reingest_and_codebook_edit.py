"""A click after both a re-ingest and a codebook edit stored the coding on a turn the coder never saw.

When the codebook had changed, a tick, a typed toggle or an accept first rebuilt the code list, and that
rebuild showed the segment again, which silently reloaded the re-ingested transcript and moved to another
turn; the check for a re-ingest then found nothing changed, so the write went to that other turn. Now the
rebuilt list never reloads a transcript: the click is refused with E640 and stores nothing, as when only the
re-ingest happened, and the widget then shows the turn the coder was reading, reloaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from regression.unlike_example import ANA_INSERTED, write_study  # noqa: E402

from thematic.errors import InputError  # noqa: E402
from thematic.models import Coding, Provenance  # noqa: E402
from thematic.study import Study  # noqa: E402

SHOWN = "There is never enough time, and the funding for transcription ran out."


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    s = Study(write_study(tmp_path / "s"))
    s.ingest()
    yield s
    s.close()


def _open_on_shown(study: Study):  # noqa: ANN202 - a CodingWidget
    w = study.widget(coder="HT", document="ana")
    w.run_shortcut("g 2")
    assert str(w.segment["segment_id"]) == "ana:3" and str(w.segment["text"]) == SHOWN
    return w


def _reingest_and_edit_codebook(study: Study) -> None:
    (study.root / "data" / "raw" / "ana.txt").write_text(ANA_INSERTED, encoding="utf-8")
    study.ingest()
    assert study.store.segment("ana:3").text == "At the university."  # the id on screen now names another turn
    path = study.codebook_path
    text = path.read_text(encoding="utf-8")
    assert "Money, grants and equipment." in text
    path.write_text(text.replace("Money, grants and equipment.", "Money, grants, equipment and staff."),
                    encoding="utf-8")


def _refused_and_on_the_shown_turn(w, study: Study, before: int) -> None:  # noqa: ANN001
    assert w.last_error is None or str(w.last_error).startswith("[E640]")
    assert len(study.codings(coder="HT")) == before  # nothing stored, least of all on "At the university."
    assert str(w.segment["text"]) == SHOWN and str(w.segment["segment_id"]) == "ana:5"
    assert SHOWN in w.context.value and not any(b.value for b in w.checkboxes.values())


def test_a_tick_after_a_reingest_and_a_codebook_edit_is_refused(study: Study) -> None:
    w = _open_on_shown(study)
    _reingest_and_edit_codebook(study)

    w.checkboxes["time_pressure"].value = True
    assert w.last_error is not None and str(w.last_error).startswith("[E640]"), w.status.value
    assert "E640" in w.status.value and "codebook changed" in w.status.value
    _refused_and_on_the_shown_turn(w, study, 0)

    w.checkboxes["time_pressure"].value = True  # clicked again: stored on the turn shown
    assert w.last_error is None, w.status.value
    cods = study.codings(coder="HT")
    assert cods["text"].tolist() == [SHOWN] and cods["segment_id"].tolist() == ["ana:5"]


def test_a_tick_on_a_turn_removed_since_is_refused_after_a_codebook_edit(study: Study) -> None:
    w = _open_on_shown(study)
    removed = ANA_INSERTED.replace("Interviewer: And the practical side?\nAna: " + SHOWN + "\n", "")
    assert SHOWN not in removed
    (study.root / "data" / "raw" / "ana.txt").write_text(removed, encoding="utf-8")
    study.ingest()
    path = study.codebook_path
    path.write_text(path.read_text(encoding="utf-8").replace("Not enough time", "Too little time"), encoding="utf-8")

    w.checkboxes["time_pressure"].value = True
    assert w.last_error is not None and str(w.last_error).startswith("[E640]"), w.status.value
    assert "no longer there" in w.status.value
    assert study.codings(coder="HT").empty  # not on "Family life and the job both want my time."
    assert str(w.segment["text"]) != SHOWN and not w.checkboxes["time_pressure"].value


@pytest.mark.parametrize("typed", ["time_pressure", "1"])
def test_a_typed_toggle_after_a_reingest_and_a_codebook_edit_is_refused(study: Study, typed: str) -> None:
    w = _open_on_shown(study)
    assert w.code_order[0] == "time_pressure"
    _reingest_and_edit_codebook(study)
    with pytest.raises(InputError, match=r"^\[E640\]"):
        w.run_shortcut(typed)
    _refused_and_on_the_shown_turn(w, study, 0)


def test_an_accept_after_a_reingest_and_a_codebook_edit_is_refused(study: Study) -> None:
    seg = study.store.segment("ana:3")
    suggestion = Coding(document_id="ana", start=seg.start, end=seg.end, code_id="funding_resources",
                        coder="thematic.rules.v1", status="suggested", text=seg.text, segment_id="ana:3",
                        confidence=0.9, provenance=Provenance("suggester", "thematic.rules.v1"))
    study.store.add_codings([suggestion])
    w = _open_on_shown(study)
    ((coding_id, accept, _reject),) = w.suggestion_buttons
    assert coding_id == suggestion.id
    _reingest_and_edit_codebook(study)

    accept.click()
    assert w.last_error is not None and str(w.last_error).startswith("[E640]"), w.status.value
    assert study.store.coding(coding_id)["status"] == "suggested"
    assert study.codings(coder="HT").empty and str(w.segment["segment_id"]) == "ana:5"
    assert str(w.segment["text"]) == SHOWN
