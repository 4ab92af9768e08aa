"""`thematic code` when the ingest it runs first cannot read a file.

What was wrong: `thematic ingest` listed the failed file and exited 1, but `thematic code`, which runs the same
ingest first, listed the same failure and exited 0, so `thematic code && thematic report quotes` carried on
without that transcript. What is true now: `thematic code` exits 1 whenever its ingest failed a file (the other
files are still ingested and suggested on), as `thematic ingest` does, run after run until the file is fixed.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from coding.assisted_support import write_codebook
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args), env={"COLUMNS": "160", "THEMATIC_ENCODER": "minilm"})
    return res.exit_code, res.output


def test_code_exits_1_like_ingest_when_a_file_fails(study) -> None:  # noqa: ANN001
    write_codebook(study)
    (study.paths.raw / "int-01.txt").write_text(
        "Interviewer: How was it?\nDan: The vetting took months and the funding ran out.\n", encoding="utf-8")
    (study.paths.raw / "int-02.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old word file")
    root: Path = study.root
    study.close()
    code, out = _run("code", "--suggesters", "rules", "--study", str(root))
    assert code == 1, out
    assert "[E103]" in out and "int-02.doc" in out and "suggestion(s) stored in batch" in out
    with Study(root) as s:
        assert set(s.store.codings(status="suggested")["code_id"]) == {"security_vetting", "funding"}
    assert _run("ingest", "--study", str(root))[0] == 1
    code, out = _run("code", "--suggesters", "rules", "--study", str(root))
    assert code == 1 and "int-02.doc" in out, out
    (root / "data" / "raw" / "int-02.doc").unlink()
    assert _run("code", "--suggesters", "rules", "--study", str(root))[0] == 0
