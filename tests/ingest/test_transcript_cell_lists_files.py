"""participants.csv's transcript column listing a participant's wave files (``w1/first.txt;w2/second.txt``), as
the name column lists names, was taken as one path: only the last file was mapped, the first wave's speaker left
unmapped (W100). Each file the cell lists, separated by ``;``, is now that participant's."""

from __future__ import annotations

from thematic.ingest.participants import parse_roster
from thematic.study import Study


def test_each_listed_file_is_the_participants() -> None:
    roster = parse_roster("participant_id,transcript\nP01,w1/first-meeting.txt; w2/second-meeting.txt\n", "p.csv")
    assert roster.for_document("w1/first-meeting.txt") == "P01"
    assert roster.for_document("second-meeting") == "P01"


def test_both_waves_are_mapped(study: Study) -> None:
    raw = study.paths.raw
    (raw / "w1").mkdir()
    (raw / "w2").mkdir()
    (raw / "w1" / "first-meeting.txt").write_text("Interviewer: How was it?\n\nRespondent: Hard at first.\n",
                                                 encoding="utf-8")
    (raw / "w2" / "second-meeting.txt").write_text("Interviewer: And now?\n\nRespondent: Much better now.\n",
                                                  encoding="utf-8")
    (raw / "participants.csv").write_text(
        "participant_id,transcript,role\nP01,w1/first-meeting.txt;w2/second-meeting.txt,mentee\n", encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert not any(w.startswith("[W100]") for r in report.rows for w in r.warnings)
    segs = study.segments(include_interviewer=False)
    assert sorted(segs["participant_id"]) == ["P01", "P01"]
