"""D10: a REFI-QDA project (.qdpx/.qde/.qdc) put in data/raw/ is named by ingest with the command that reads it,
instead of being silently ignored; named directly it gets E102 with the same hint."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.ingest import ingest
from thematic.study import Study

PROJECT = ('<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="p" '
           'origin="ATLAS.ti"><Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="Anna"/></Users></Project>')
CODEBOOK = ('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            '<Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Access" isCodable="true"/></Codes></CodeBook>')


def _raw(study: Study) -> Path:
    raw = study.root / "data" / "raw"
    (raw / "a.txt").write_text("Interviewer: hello\nMaria: hi there\n", encoding="utf-8")
    with zipfile.ZipFile(raw / "project.qdpx", "w") as z:
        z.writestr("project.qde", PROJECT)
    (raw / "nvivo").mkdir()
    (raw / "nvivo" / "Project.QDE").write_text(PROJECT, encoding="utf-8")
    (raw / "tags.qdc").write_text(CODEBOOK, encoding="utf-8")
    return raw


def test_folder_scan_names_each_refi_project_and_the_command_without_failing(study: Study) -> None:
    _raw(study)
    report = ingest(study)
    assert report.ok and [r.path for r in report.rows] == ["data/raw/a.txt"]
    refi = [w for w in report.warnings if w.startswith("[W507]")]
    assert len(refi) == 3
    for name in ("data/raw/project.qdpx", "data/raw/nvivo/Project.QDE", "data/raw/tags.qdc"):
        (line,) = [w for w in refi if name in w]
        assert f"thematic refi import {name}" in line


def test_cli_ingest_prints_the_hint_and_exits_0(study: Study) -> None:
    _raw(study)
    result = CliRunner().invoke(app, ["ingest", "--study", str(study.root)])
    assert result.exit_code == 0, result.output
    assert "[W507]" in result.output and "thematic refi import data/raw/project.qdpx" in result.output


def test_named_refi_project_fails_with_e102_and_the_refi_hint(study: Study) -> None:
    raw = _raw(study)
    report = ingest(study, [raw / "project.qdpx", raw / "nvivo" / "Project.QDE"])
    assert len(report.failed) == 2
    for row in report.failed:
        assert row.error.startswith("[E102]") and "thematic refi import" in row.error
