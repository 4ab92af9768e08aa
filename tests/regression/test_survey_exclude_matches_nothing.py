"""An ``exclude`` entry naming no respondent (a typo: ``R17`` for ``R017``), and a settings section naming no file
(``[ingest.survey."Survey.csv"]`` for survey.csv), used to be ignored without a word: the withdrawn respondent's
answers stayed in every table and export. An unmatched exclusion now fails its file (E118), a survey section whose
``exclude`` names no file stops the ingest (E120), any other unmatched section is W005, and an id written in
another case (``r017``) is that respondent, as the duplicate screen compares ids."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.study import Study

SURVEY = """respondent_id,site,What got in the way of your studies?
R001,North,I had no time because of my job and family duties.
R017,South,Costs kept going up and up every single month.
R003,North,Teacher support was the best thing about it all.
"""
R017_WORDS = "Costs kept going up"


def _study_with(study: Study, toml: str) -> Study:
    (study.paths.raw / "survey.csv").write_text(SURVEY, encoding="utf-8")
    with (study.root / "thematic.toml").open("a", encoding="utf-8") as f:
        f.write(toml)
    root = study.root
    study.close()
    return Study.open(root)


def _texts(study: Study) -> str:
    segs = study.segments()
    return " ".join(segs["text"]) if len(segs) else ""


def test_exclude_key_naming_no_respondent_fails_the_file(study: Study) -> None:
    study = _study_with(study, '\n[ingest.survey."survey.csv"]\nexclude = { R17 = "withdrew consent" }\n')
    try:
        report = study.ingest()
        (row,) = report.rows
        assert row.status == "failed", row
        assert row.error is not None and row.error.startswith("[E118] thematic.toml")
        assert "ingest.survey.\"survey.csv\"" in row.error and "'R17'" in row.error
        assert "R017" in row.error  # the closest id, as a hint
        assert R017_WORDS not in _texts(study)
    finally:
        study.close()


def test_exclude_key_in_another_case_screens_the_respondent(study: Study) -> None:
    study = _study_with(study, '\n[ingest.survey."survey.csv"]\nexclude = { r017 = "withdrew consent" }\n')
    try:
        report = study.ingest()
        assert report.ok, report.rows
        assert any("[W104]" in w for w in report.rows[0].warnings)
        assert R017_WORDS not in _texts(study)
        excluded = study.store.exclusions()
        assert list(excluded["respondent"]) == ["R017"]  # as the file spells it
    finally:
        study.close()


def test_survey_section_with_exclude_naming_no_file_stops_the_ingest(study: Study) -> None:
    study = _study_with(study, '\n[ingest.survey."Survey.csv"]\nexclude = { R017 = "withdrew consent" }\n')
    try:
        with pytest.raises(InputError) as err:
            study.ingest()
        message = str(err.value)
        assert message.startswith("[E120] thematic.toml")
        assert 'ingest.survey."Survey.csv"' in message and "survey.csv" in message and "R017" in message
        assert len(study.segments()) == 0  # nothing was read
    finally:
        study.close()
    result = CliRunner().invoke(app, ["ingest", "--study", str(study.root)])
    assert result.exit_code != 0 and "[E120]" in result.output and "Traceback" not in result.output


def test_sections_naming_no_file_are_w005(study: Study) -> None:
    study = _study_with(study, '\n[ingest.survey."surveys.csv"]\nid_column = "respondent_id"\n'
                               '\n[ingest.files."interveiw-01.txt"]\nunit = "sentence"\n'
                               '\n[ingest.survey."survey.csv"]\nid_column = "respondent_id"\n')
    (study.paths.raw / "interview-01.txt").write_text("Interviewer: Hello?\nP01: Hello there, it went well.\n",
                                                      encoding="utf-8")
    try:
        report = study.ingest()
        assert report.ok, report.rows
        w005 = [w for w in report.warnings if w.startswith("[W005]")]
        assert len(w005) == 2, report.warnings
        survey = next(w for w in w005 if "ingest.survey" in w)
        files = next(w for w in w005 if "ingest.files" in w)
        assert 'thematic.toml' in survey and '"surveys.csv"' in survey and "survey.csv" in survey
        assert '"interveiw-01.txt"' in files and "interview-01.txt" in files
    finally:
        study.close()
