"""Issue 12 item 10: ingest never follows a symlink out of the study folder (unless asked to)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
SECRET = "Alice: my bank PIN is 4321 and my password is hunter2.\n"


def _secret(tmp_path: Path) -> Path:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    return outside


def test_issue12_ingest_refuses_a_symlink_that_leaves_the_study(study, tmp_path: Path) -> None:
    outside = _secret(tmp_path)
    raw = study.paths.raw
    (raw / "ok.txt").write_text("Bob: an honest transcript about trust.\n", encoding="utf-8")
    (raw / "passwd.txt").symlink_to(outside / "secret.txt")
    (raw / "linked").symlink_to(outside, target_is_directory=True)
    report = study.ingest()
    failed = {r.path: r.error for r in report.rows if r.status == "failed"}
    assert set(failed) == {"data/raw/passwd.txt", "data/raw/linked"}  # a folder linked out: one row
    assert all(e.startswith("[E030]") and "--allow-outside" in e for e in failed.values())
    texts = " ".join(study.store.segments()["text"].astype(str))
    assert "hunter2" not in texts and "honest transcript" in texts


def test_issue12_explicit_symlink_refused_plain_outside_file_allowed(study, tmp_path: Path) -> None:
    outside = _secret(tmp_path)
    inside_link = study.paths.raw / "inside.txt"
    inside_link.symlink_to(outside / "secret.txt")
    report = study.ingest([inside_link])
    assert [r.status for r in report.rows] == ["failed"] and "[E030]" in report.rows[0].error
    assert study.store.segments().empty
    report = study.ingest([outside / "secret.txt"])  # a real file the user named: their choice
    assert [r.status for r in report.rows] == ["new"]
    report = study.ingest([inside_link], allow_outside=True)
    assert [r.status for r in report.rows] == ["unchanged"]  # the same file, already read above


def test_issue12_cli_reports_the_refused_symlink(study, tmp_path: Path) -> None:
    outside = _secret(tmp_path)
    (study.paths.raw / "notes.txt").symlink_to(outside / "secret.txt")
    r = CliRunner().invoke(app, ["ingest", "--study", str(study.root)])
    assert r.exit_code == 1 and "E030" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["ingest", "--allow-outside", "--study", str(study.root)])
    assert r.exit_code == 0, r.output
