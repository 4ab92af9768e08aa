"""`refi export --codebook MISSING` wrote a project holding only the codes codings use, exit 0 (and with
--codebook-only said the study had no codebook); a --codebook that is not a file is now E021 naming it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from tests.regression.tiny_study import methods_study

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


def test_missing_codebook_named(tmp_path: Path) -> None:
    root = methods_study(tmp_path / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    missing = tmp_path / "no-such-codebook.yaml"
    for extra, out in (([], "p.qdpx"), (["--codebook-only"], "c.qdc")):
        r = runner.invoke(app, ["refi", "export", "--out", str(tmp_path / out), "--codebook", str(missing), *extra,
                                "--study", str(root)], env=ENV)
        assert r.exit_code == 1, r.output
        assert "[E021]" in r.output and "no-such-codebook.yaml" in r.output and "no codebook" not in r.output
        assert not (tmp_path / out).exists()
