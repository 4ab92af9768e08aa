"""participants.csv giving one name to two people (``P01,Sam Lee;Sam`` and ``P02,Sam Park;Sam``) sent every
``Sam:`` turn to the last row's participant, without a word, even in the file that the transcript column names for the
other one. Now a shared name picks nobody: ingest warns (W128, naming the lines and the name), the file's own
participant (the transcript column) decides inside that person's file, and elsewhere the speaker is left unmapped
(W129) and every mention of the name is written ``[name]``."""

from __future__ import annotations

from thematic.ingest.participants import parse_roster
from thematic.study import Study

ROSTER = "participant_id,name,role\nP01,Sam Lee;Sam,mentee\nP02,Sam Park;Sam,mentor\n"
MAPPED = "participant_id,name,transcript,role\nP01,Sam Lee;Sam,int-a.txt,mentee\nP02,Sam Park;Sam,int-b.txt,mentor\n"


def _files(study: Study, roster: str) -> None:
    raw = study.paths.raw
    (raw / "int-a.txt").write_text("Interviewer: How was the first year?\n\nSam: It was hard, I had no money.\n",
                                   encoding="utf-8")
    (raw / "int-b.txt").write_text("Interviewer: And for you, Sam?\n\nSam: Much better now, the group helped.\n",
                                   encoding="utf-8")
    (raw / "participants.csv").write_text(roster, encoding="utf-8")


def _who(study: Study) -> dict[str, object]:
    segs = study.segments()
    return {sid: pid if isinstance(pid, str) else None for sid, pid in zip(segs["segment_id"], segs["participant_id"])}


def test_a_name_two_rows_give_maps_no_label_and_is_listed() -> None:
    roster = parse_roster(ROSTER, "participants.csv")
    assert roster.find("Sam") is None and roster.find("sam park") == "P02"
    assert dict(roster.shared) == {"Sam": ("P01", "P02")}
    [warning] = roster.warnings
    assert warning.startswith("[W128] participants.csv") and "lines 2, 3" in warning and "'Sam'" in warning
    assert "P01" in warning and "P02" in warning


def test_a_shared_name_in_another_name_column_picks_nobody_either() -> None:
    roster = parse_roster("participant_id,Full name\nP01,Ann Ode\nP02,Ann Ode\n", "participants.csv")
    assert roster.find("Ann Ode") is None and [w[:6] for w in roster.warnings] == ["[W128]"]


def test_shared_name_without_transcript_column_leaves_both_unmapped(study: Study) -> None:
    _files(study, ROSTER)
    report = study.ingest()
    assert report.ok, report.rows
    assert any(w.startswith("[W128]") and "'Sam'" in w for w in report.warnings), report.warnings
    assert _who(study) == {"int-a:0": None, "int-a:1": None, "int-b:0": None, "int-b:1": None}
    for row in report.rows:
        assert any(w.startswith("[W129]") for w in row.warnings), row.warnings
    segs = study.segments()
    assert "P02" not in set(segs["speaker"]) and "P01" not in set(segs["speaker"])
    assert "And for you, [name]?" in set(segs["text"])


def test_transcript_column_decides_inside_each_persons_file(study: Study) -> None:
    _files(study, MAPPED)
    report = study.ingest()
    assert report.ok, report.rows
    assert any(w.startswith("[W128]") for w in report.warnings)
    assert _who(study) == {"int-a:0": None, "int-a:1": "P01", "int-b:0": None, "int-b:1": "P02"}
    assert not any(w.startswith(("[W020]", "[W129]")) for w in report.study_warnings + sum(
        (r.warnings for r in report.rows), ()))
    segs = study.segments()
    assert "And for you, P02?" in set(segs["text"])  # in P02's own file, the Sam spoken to is P02


def test_a_shared_name_in_a_third_persons_file_is_left_unmapped(study: Study) -> None:
    _files(study, MAPPED + "P03,Kim Ode,int-c.txt,staff\n")
    (study.paths.raw / "int-c.txt").write_text("Interviewer: Who is this?\n\nSam: Just visiting today.\n",
                                               encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert _who(study)["int-c:1"] is None
    [row] = [r for r in report.rows if r.path.endswith("int-c.txt")]
    assert any(w.startswith("[W129]") and "P01, P02" in w for w in row.warnings), row.warnings
