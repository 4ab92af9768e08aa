"""A few thin CliRunner tests of `thematic codebook ...` (behaviour is tested at library level)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

runner = CliRunner()


@pytest.fixture
def cb_study(study, make_yaml, make_coding):
    study.codebook_path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    study.store.add_codings([make_coding("int01", 0, "peer_help"), make_coding("int01", 20, "money")])
    return study


def _run(*args):
    return runner.invoke(app, list(map(str, args)), catch_exceptions=False)


def test_validate_ok_and_problems(cb_study, tmp_path):
    ok = _run("codebook", "validate", "--study", cb_study.root)
    assert ok.exit_code == 0 and "is valid" in ok.output and "4 codes" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nversion: 1\ncodes:\n- {id: A, definition: ''}\n", encoding="utf-8")
    result = _run("codebook", "validate", bad)
    assert result.exit_code == 1
    for code in ("C003", "C005", "C009", "C015"):
        assert code in result.output
    assert "Traceback" not in result.output


def test_syntax_error_is_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n  version: [\n", encoding="utf-8")
    result = _run("codebook", "export", "--out", tmp_path / "x.md", bad)
    assert result.exit_code == 1 and "C001" in result.output and "Traceback" not in result.output


def test_show_tree_with_counts(cb_study):
    result = _run("codebook", "show", "--study", cb_study.root)
    assert result.exit_code == 0
    assert "Peer help" in result.output and "(peer_help)" in result.output and "not released yet" in result.output


def test_bump_migrate_diff_and_status(cb_study, make_yaml, base_codes, replace):
    assert _run("codebook", "bump", "--current", "--study", cb_study.root).exit_code == 0
    cb_study.codebook_path.write_text(make_yaml("0.1.0", codes=replace(base_codes, "peer_help", id="peer_support"),
                                                changes=[{"version": "0.2.0",
                                                          "rename": {"from": "peer_help", "to": "peer_support"}}]))
    bumped = _run("codebook", "bump", "minor", "--study", cb_study.root)
    assert bumped.exit_code == 0 and "0.2.0" in bumped.output and "(was 0.1.0)" in bumped.output
    status = _run("status", "--study", cb_study.root)
    assert "older codebook versions" in status.output
    diff = _run("codebook", "diff", "0.1.0", "0.2.0", "--study", cb_study.root)
    assert diff.exit_code == 0 and "renamed" in diff.output and "peer_help -> peer_support" in diff.output
    dry = _run("codebook", "migrate", "--dry-run", "--study", cb_study.root)
    assert "Would migrate" in dry.output and cb_study.store.codings()["code_id"].tolist().count("peer_help") == 1
    done = _run("codebook", "migrate", "--actor", "HT", "--study", cb_study.root)
    assert done.exit_code == 0 and "none deleted" in done.output
    assert "older codebook versions" not in _run("status", "--study", cb_study.root).output


def test_export_both_formats(cb_study, tmp_path):
    md = _run("codebook", "export", "--format", "md", "--out", tmp_path / "cb.md", "--study", cb_study.root)
    assert md.exit_code == 0 and (tmp_path / "cb.md").read_text(encoding="utf-8").startswith("# Codebook: mini")
    word = _run("codebook", "export", "-o", tmp_path / "cb.docx", "--study", cb_study.root)
    assert word.exit_code == 0 and (tmp_path / "cb.docx").stat().st_size > 0


def test_every_codebook_command_has_help():
    for command in ("validate", "show", "diff", "bump", "migrate", "flagged", "export"):
        result = _run("codebook", command, "--help")
        assert result.exit_code == 0 and len(result.output) > 100
