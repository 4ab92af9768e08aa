"""A coding whose quote a re-ingest lost was ticked on whatever turn now lay at its old offsets.

When a corrected transcript no longer held a coding's quote, ingest flagged the coding (kept, counted nowhere,
for a person to re-code), but the coding widget still picked codings by offsets alone: the box was ticked on
the words now at those offsets (on two turns, with a "longer coding" note, when the old span ran over both),
and unticking it there deleted the flagged coding. Now such a coding is ticked on no turn, an untick or a tick
there never touches it, and the widget notes on every turn of that document how many of the coder's codings
lost their quote and how to list and remove them (`thematic codebook flagged`, `thematic code remove --id`).
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from regression.unlike_example import TRANSCRIPTS, write_study  # noqa: E402

from thematic.models import FLAG_NOT_FOUND  # noqa: E402
from thematic.study import Study  # noqa: E402

CODED = "There is never enough time, and the funding for transcription ran out."
LONGER = "Honestly the practical side is fine for me: the staff are kind and the whole course runs well."


def _study(root: Path, now: str) -> Study:
    """HT coded Ana's turn ana:3 (164-234) as funding and ana:5 as time pressure; then her words in ana:3 were
    corrected to ``now`` and the file re-ingested, so the funding coding lost its quote."""
    s = Study(write_study(root))
    s.ingest()
    s.code("ana:3", "funding_resources", coder="HT")
    s.code("ana:5", "time_pressure", coder="HT")
    (s.root / "data" / "raw" / "ana.txt").write_text(TRANSCRIPTS["ana.txt"].replace(CODED, now), encoding="utf-8")
    s.ingest()
    (lost,) = s.store.codings(flagged=True).to_dict("records")
    assert lost["flag"] == FLAG_NOT_FOUND and lost["code_id"] == "funding_resources"
    assert (lost["start"], lost["end"]) == (164, 234)
    return s


@pytest.fixture()
def study(tmp_path: Path) -> Study:
    """Ana's words became "Fine.": the old span now runs over her new turn and the two turns after it."""
    s = _study(tmp_path / "s", "Fine.")
    yield s
    s.close()


@pytest.fixture()
def longer(tmp_path: Path) -> Study:
    """Ana's words became longer ones: the new ana:3 (164-258) holds the whole old span."""
    s = _study(tmp_path / "s", LONGER)
    assert (s.store.segment("ana:3").start, s.store.segment("ana:3").end) == (164, 258)
    yield s
    s.close()


def _lost(study: Study) -> list[dict]:
    return study.store.codings(coder="HT", code="funding_resources", flagged=True).to_dict("records")


def test_a_lost_quote_is_ticked_on_no_turn_and_said_apart(study: Study) -> None:
    w = study.widget(coder="HT")
    seen = {}
    for i in range(len(w.segments)):
        w.go(i)
        sid = str(w.segment["segment_id"])
        seen[sid] = {k for k, b in w.checkboxes.items() if b.value}
        context = html.unescape(w.context.value)
        assert "longer coding" not in context, sid
        note = "1 of HT's codings on this document lost its quote at a re-ingest"
        assert (note in context) == sid.startswith("ana:"), (sid, context)
        if sid.startswith("ana:"):
            assert "thematic codebook flagged --coder HT" in context and "thematic code remove --id" in context
    assert seen == {"ana:1": set(), "ana:3": set(), "ana:5": {"time_pressure"}, "david:1": set(),
                    "david:3": set()}


def test_a_tick_and_untick_where_a_lost_quote_lies_leave_it(longer: Study) -> None:
    study = longer
    w = study.widget(coder="HT", document="ana")
    (before,) = _lost(study)

    w.run_shortcut("g 2")  # ana:3, Ana's new words, which hold the lost coding's old span
    assert str(w.segment["segment_id"]) == "ana:3" and str(w.segment["text"]) == LONGER
    assert not w.checkboxes["funding_resources"].value
    w.run_shortcut("funding_resources")  # a tick codes the words on screen, beside the lost coding
    assert w.last_error is None and w.checkboxes["funding_resources"].value
    new = study.store.codings(coder="HT", code="funding_resources", flagged=False)
    assert new["text"].tolist() == [LONGER] and new["segment_id"].tolist() == ["ana:3"]

    w.checkboxes["funding_resources"].value = False  # the untick takes off the new one only, and says so
    assert w.last_error is None, w.status.value
    status = html.unescape(w.status.value)
    assert "Removed funding_resources from ana:3 (1 coding(s))" in status and "[W554]" in status
    assert before["coding_id"] in status and "thematic code remove --id" in status
    assert study.store.codings(coder="HT", code="funding_resources", flagged=False).empty
    assert not w.checkboxes["funding_resources"].value
    w.run_shortcut("funding_resources")  # the shortcut on an unticked box ticks; it never takes the lost one
    w.run_shortcut("funding_resources")
    assert w.last_error is None and not w.checkboxes["funding_resources"].value

    with pytest.warns(UserWarning, match=r"\[W554\]"):
        assert study.uncode("ana:3", "funding_resources", coder="HT") == 0
    assert _lost(study) == [before]
    assert "remove" not in study.store.events(coding_id=before["coding_id"])["kind"].tolist()
