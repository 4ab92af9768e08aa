"""Two survey files without an id column: their respondents are different people.

Before, both files numbered their rows R1, R2…, so the second file's R1 was counted as the first
file's R1: N was too small, and one person's attributes replaced another's.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .unlike_example import write_study

WAVE = ("Gender,What takes your time?\n"
        "f,Marking takes all my time and the funding forms.\n"
        "m,Family, mostly, and never enough time.\n")


def test_respondents_of_two_id_less_files_are_counted_apart(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"wave one.csv": WAVE, "wave two.csv": WAVE.replace("f,", "x,", 1)})
    with Study(root) as study:
        report = study.ingest()
        segs = study.store.segments()
        for sid in segs["segment_id"]:
            study.code(sid, "time_pressure", coder="HT")
        people = study.store.participants()
        table = study.frequencies().set_index("label")
    assert report.ok and not [w for w in report.study_warnings if w.startswith("[W025]")]
    ids = sorted(segs["participant_id"])
    assert ids == ["wave-one-R1", "wave-one-R2", "wave-two-R1", "wave-two-R2"]
    assert dict(zip(people["participant_id"], people["Gender"])) == {
        "wave-one-R1": "f", "wave-one-R2": "m", "wave-two-R1": "x", "wave-two-R2": "m"}
    assert table.loc["Time pressure", "n_of_N"] == "4 of 4"


def test_a_survey_with_an_id_column_keeps_its_ids(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {"wave.csv": "id," + WAVE.replace("\nf,", "\nA1,f,").replace("\nm,", "\nA2,m,")})
    with Study(root) as study:
        study.ingest()
        assert sorted(study.store.segments()["participant_id"]) == ["A1", "A2"]
