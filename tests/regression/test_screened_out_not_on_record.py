"""A respondent screened out of a survey (``exclude = {R2 = "withdrew consent"}``) whom participants.csv also lists
stayed "on record": counted in the N of ``tables attributes`` (their dropped survey attribute shown as
``(no answer)``), in status and in the REFI-QDA cases, and W020 told the researcher to "ingest their transcripts".
They are now off record while they have no other answer or turn, and W007 says to delete their participants.csv
row if they withdrew."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from thematic.study import Study

SURVEY = """respondent_id,site,What got in the way of your studies?
R1,North,I had no time because of my job and family duties.
R2,South,Costs kept going up and up every single month.
R3,North,Teacher support was the best thing about it all.
"""
ROSTER = "participant_id,cohort\nR1,2023\nR2,2024\nR3,2024\n"
CODEBOOK = """name: cb
version: 1.0.0
themes:
- {id: t, label: T, definition: d}
codes:
- {id: c, label: C, parent: t, definition: d}
"""
EXCLUDE = '\n[ingest.survey."survey.csv"]\nexclude = { R2 = "withdrew consent" }\n'


def _study(study: Study, toml: str = EXCLUDE) -> Study:
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (study.paths.raw / "participants.csv").write_text(ROSTER, encoding="utf-8")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(toml)
    root = study.root
    study.close()
    return Study.open(root)


def _cases(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return re.findall(r'<Case [^>]*name="([^"]*)"', z.read("project.qde").decode())


def test_screened_out_respondent_is_off_record(study: Study, tmp_path: Path) -> None:
    study = _study(study)
    try:
        report = study.ingest()
        assert report.ok, report.rows
        assert not any(w.startswith("[W020]") for w in report.study_warnings), report.study_warnings
        (w007,) = [w for w in report.study_warnings if w.startswith("[W007]")]
        assert "R2" in w007 and "survey.csv" in w007 and "participants.csv" in w007
        assert sorted(study.store.participants()["participant_id"]) == ["R1", "R3"]
        tallies = study.attribute_tallies()
        assert set(tallies["N"]) == {2}
        assert "(no answer)" not in set(tallies["value"])
        assert study.store.counts()["roster"] == 2
        study.export_refi(tmp_path / "p.qdpx")
        assert sorted(_cases(tmp_path / "p.qdpx")) == ["R1", "R3"]
    finally:
        study.close()


def test_screened_out_respondent_with_an_interview_stays(study: Study) -> None:
    study = _study(study)
    (study.paths.raw / "r2-interview.txt").write_text("Interviewer: How was it?\nR2: It was hard to keep going.\n",
                                                      encoding="utf-8")
    try:
        report = study.ingest()
        assert report.ok, report.rows
        assert not any(w.startswith(("[W007]", "[W020]")) for w in report.study_warnings), report.study_warnings
        assert sorted(study.store.participants()["participant_id"]) == ["R1", "R2", "R3"]
        # the interview removed later: R2 is screened out with no other turn, so off record
        (study.paths.raw / "r2-interview.txt").unlink()
        study.ingest(prune=True)
        assert sorted(study.store.participants()["participant_id"]) == ["R1", "R3"]
    finally:
        study.close()


def test_respondent_back_on_record_when_no_longer_excluded(study: Study) -> None:
    study = _study(study)
    try:
        study.ingest()
        toml = study.root / "thematic.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(EXCLUDE, ""), encoding="utf-8")
        root = study.root
        study.close()
        study = Study.open(root)
        report = study.ingest()
        assert report.ok, report.rows
        assert sorted(study.store.participants()["participant_id"]) == ["R1", "R2", "R3"]
        assert not any(w.startswith(("[W007]", "[W020]")) for w in report.study_warnings)
    finally:
        study.close()
