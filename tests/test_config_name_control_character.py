"""A control character in thematic.toml's study name (a vertical tab pasted from Word, written as \\u000b) crashed
`report quotes` with a traceback from the Word writer; the name is now checked when the settings are read (E121)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app


def test_study_name_with_a_control_character_is_e121(tmp_path: Path) -> None:
    from regression.tiny_study import CODEBOOK, study_with

    root = study_with(tmp_path / "study", CODEBOOK, {"talk.txt": "Interviewer: Hi.\nP01: The funding was cut.\n"})
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'name = "s"' in text
    toml.write_text(text.replace('name = "s"', 'name = "Peer\\u000bwork"', 1), encoding="utf-8")
    for args in (["status"], ["report", "quotes", "--out", str(root / "reports" / "a.docx")]):
        res = CliRunner().invoke(app, [*args, "--study", str(root)])
        assert res.exit_code == 1, res.output
        assert "[E121]" in res.output and "U+000B" in res.output and "Traceback" not in res.output, res.output
    assert not (root / "reports" / "a.docx").exists()
