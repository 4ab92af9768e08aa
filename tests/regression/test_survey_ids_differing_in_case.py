"""Respondent ids of one survey that differ only in case (``P01``, ``p01``) passed the duplicate screen, and
participants.csv then merged them into one participant with two answers to one question: N depended on whether
participants.csv existed. ``p01`` after ``P01`` is now screened out as a duplicate (W104), as ``P01`` again is."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.study import Study

WAVE = """respondent_id,dept,What would help most?
P01,HR,More staff to cover while I am away on training days.
p01,HR,A budget for the bus and train tickets would help a lot.
P02,IT,Time set aside in the calendar for learning each week.
"""


def _ingest(study: Study, roster: str | None) -> Study:
    (study.paths.raw / "wave.csv").write_text(WAVE, encoding="utf-8")
    if roster is not None:
        (study.paths.raw / "participants.csv").write_text(roster, encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert any(w.startswith("[W104]") and "duplicate" in w for w in report.rows[0].warnings), report.rows
    return study


@pytest.mark.parametrize("roster", [None, "participant_id,role\nP01,manager\nP02,clerk\n"])
def test_ids_differing_only_in_case_are_a_duplicate(study: Study, roster: str | None) -> None:
    _ingest(study, roster)
    segs = study.segments()
    assert sorted(segs["participant_id"]) == ["P01", "P02"]  # N = 2 with or without participants.csv
    assert "A budget for the bus" not in " ".join(segs["text"])  # the second response is screened out
    assert study.store.counts()["participants"] == 2
    excluded = study.store.exclusions()
    assert list(excluded["respondent"]) == ["p01 (row 3)"]
    assert list(excluded["reason"]) == ["duplicate: an earlier response has the same id"]


def test_exact_duplicate_keeps_its_message(study: Study, tmp_path: Path) -> None:
    (study.paths.raw / "wave.csv").write_text(WAVE.replace("p01,", "P01,"), encoding="utf-8")
    report = study.ingest()
    assert any(w.startswith("[W104]") and "duplicate" in w for w in report.rows[0].warnings)
    assert list(study.store.exclusions()["respondent"]) == ["P01 (row 3)"]
