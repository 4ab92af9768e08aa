"""Removing a wrong alias from participants.csv (``Sam Lee;Sam`` -> ``Sam Lee``, the ``Sam:`` of wave 2 being a
carer) and ingesting again left the carer's speaker as ``P01`` in the text, the speaker column and the appendix,
although the turn counted for nobody: the key kept ``Sam -> P01`` because only a new participant id replaced a
pseudonym. A label that maps to no participant any more now gets a neutral pseudonym, so the re-ingest stores what
a fresh study with the corrected participants.csv stores."""

from __future__ import annotations

import csv
from pathlib import Path

from thematic.study import Study, init_study

WAVE1 = "Interviewer: How was wave one?\n\nSam Lee: I had no money at all that year.\n"
WAVE2 = "Interviewer: You came with Sam today?\n\nSam: Yes, I am the carer. Money is tight for us both.\n"
WRONG = "participant_id,name,role\nP01,Sam Lee;Sam,mentee\n"
RIGHT = "participant_id,name,role\nP01,Sam Lee,mentee\n"


def _write(study: Study, roster: str) -> None:
    (study.paths.raw / "wave1.txt").write_text(WAVE1, encoding="utf-8")
    (study.paths.raw / "wave2.txt").write_text(WAVE2, encoding="utf-8")
    (study.paths.raw / "participants.csv").write_text(roster, encoding="utf-8")


def _stored(study: Study) -> tuple[list[tuple[object, ...]], set[tuple[str, ...]]]:
    segs = study.segments()
    rows = [(sid, speaker, pid if isinstance(pid, str) else None, text) for sid, speaker, pid, text
            in zip(segs["segment_id"], segs["speaker"], segs["participant_id"], segs["text"])]
    with open(study.root / "private" / "pseudonym-key.csv", encoding="utf-8") as fh:
        return rows, {tuple(r) for r in csv.reader(fh)}


def test_removing_an_alias_gives_what_a_fresh_study_gives(study: Study, tmp_path: Path) -> None:
    _write(study, WRONG)
    assert study.ingest().ok
    assert study.segments().set_index("segment_id").loc["wave2:1", "participant_id"] == "P01"
    (study.paths.raw / "participants.csv").write_text(RIGHT, encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    fresh = init_study(tmp_path / "fresh", name="fresh")
    try:
        _write(fresh, RIGHT)
        assert fresh.ingest().ok
        assert _stored(study) == _stored(fresh)
    finally:
        fresh.close()
    rows, _ = _stored(study)
    assert ("wave2:1", "Speaker 1", None, "Yes, I am the carer. Money is tight for us both.") in rows
    warned = [w for r in report.rows for w in r.warnings if w.startswith("[W100]")]
    assert warned and all("P01" not in w for w in warned), warned
