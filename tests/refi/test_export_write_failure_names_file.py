"""`refi export` whose file could not be written (a full disk) let the bare OSError through, which has no file
name, so the CLI said "[E031] (file): No space left on device" without naming the output. Now a failed write is
E407 "Cannot write" naming the --out file (the project or codebook), and nothing is left at that name."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.refi.export import export_refi
from thematic.study import Study
from tests.regression.tiny_study import methods_study

ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "300"}


def test_a_failed_write_names_the_output(tmp_path: Path) -> None:
    root = methods_study(tmp_path / "st", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    (tmp_path / "full").write_text("a file where the folder should be", encoding="utf-8")
    for name in ("x.qdpx", "x.qdc"):
        out = tmp_path / "full" / name
        study = Study(root)
        try:
            with pytest.raises(InputError, match=r"^\[E407\] Cannot write") as err:
                export_refi(study, out, codebook_only=name.endswith(".qdc"))
        finally:
            study.close()
        assert str(out) in str(err.value)
    r = CliRunner().invoke(app, ["refi", "export", "--out", str(tmp_path / "full" / "p.qdpx"), "--study", str(root)],
                           env=ENV)
    assert r.exit_code == 1 and "[E407]" in r.output and "p.qdpx" in r.output and "(file)" not in r.output
