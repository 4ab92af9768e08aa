"""Entries of data/raw that are neither a plain file nor a folder were skipped without a word: a symlink whose
target is gone (a transcript on a drive that is not mounted), a symlink to a device, a named pipe, and a subfolder
that cannot be listed (that run even said "0 failed"). Now ingest names each one with why it was not read (W516
a link to a file that is not there, W517 not a regular file, W518 a folder that cannot be listed), never opens a
pipe or device, and `thematic status` lists them too."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.ingest.stale import stale_inputs

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink") or not hasattr(os, "mkfifo"), reason="needs POSIX")

TEXT = "Interviewer: Tell me about work.\nAnna: The money was never enough.\n"


def _write(path: Path, text: str = TEXT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _warned(warnings: tuple[str, ...] | list[str], code: str, path: str) -> list[str]:
    return [w for w in warnings if w.startswith(f"[{code}] {path}:")]


def test_dangling_links_device_links_and_pipes_are_named_not_read(study, tmp_path: Path) -> None:  # noqa: ANN001
    raw = study.paths.raw
    _write(raw / "int01.txt")
    (raw / "int04.txt").symlink_to(tmp_path / "drive" / "int04.txt")  # its drive is not mounted
    (raw / "moved.txt").symlink_to("int99.txt")  # its target inside the study was moved away
    (raw / "null.txt").symlink_to(os.devnull)
    os.mkfifo(raw / "int06.txt")  # read, it would block the run for ever
    report = study.ingest()
    assert [(r.path, r.status) for r in report.rows] == [("data/raw/int01.txt", "new")]
    for code, path, why in (("W516", "data/raw/int04.txt", "a link to a file that is not there"),
                            ("W516", "data/raw/moved.txt", "a link to a file that is not there"),
                            ("W517", "data/raw/null.txt", "not a regular file but a device"),
                            ("W517", "data/raw/int06.txt", "not a regular file but a pipe (FIFO)")):
        found = _warned(report.warnings, code, path)
        assert len(found) == 1 and why in found[0], (code, path, report.warnings)
    assert str(tmp_path / "drive" / "int04.txt") in _warned(report.warnings, "W516", "data/raw/int04.txt")[0]
    unread = dict(stale_inputs(study)["unread"])
    assert sorted(unread) == ["data/raw/int04.txt", "data/raw/int06.txt", "data/raw/moved.txt", "data/raw/null.txt"]
    assert unread["data/raw/int06.txt"].startswith("[W517]")
    out = CliRunner().invoke(app, ["status", "--study", str(study.root)])
    assert out.exit_code == 0, out.output
    assert "data/raw/int04.txt" in out.output and "W516" in out.output and "W517" in out.output


def test_the_cli_run_says_so(study, tmp_path: Path) -> None:  # noqa: ANN001
    _write(study.paths.raw / "int01.txt")
    os.mkfifo(study.paths.raw / "int06.txt")
    out = CliRunner().invoke(app, ["ingest", "--study", str(study.root)])
    assert "[W517] data/raw/int06.txt: not a regular file" in " ".join(out.output.split())


def test_hidden_odd_entries_stay_left_out(study) -> None:  # noqa: ANN001
    _write(study.paths.raw / "int01.txt")
    (study.paths.raw / ".gone.txt").symlink_to("nowhere.txt")
    report = study.ingest()
    assert not [w for w in report.warnings if w.startswith(("[W516]", "[W517]", "[W518]"))]
    assert stale_inputs(study)["unread"] == []


_SNIPPET = """
import json, sys
from thematic.study import Study
from thematic.ingest.stale import stale_inputs
s = Study(sys.argv[1])
report = s.ingest()
print(json.dumps({"rows": [[r.path, r.status] for r in report.rows], "warnings": list(report.warnings),
                  "unread": stale_inputs(s)["unread"]}))
"""


def test_a_subfolder_that_cannot_be_listed_is_named(study) -> None:  # noqa: ANN001
    raw = study.paths.raw
    _write(raw / "int01.txt")
    _write(raw / "batch2" / "int07.txt")
    cmd = [sys.executable, "-c", _SNIPPET, str(study.root)]
    if os.geteuid() == 0:  # root lists any folder: run as root without its override of permissions
        if shutil.which("capsh") is None:
            pytest.skip("root needs capsh to drop CAP_DAC_OVERRIDE")
        cmd = ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(cmd)]
    study.close()
    (raw / "batch2").chmod(0)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False,
                              env={**os.environ, "THEMATIC_ENCODER": "minilm"})
    finally:
        (raw / "batch2").chmod(0o755)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["rows"] == [["data/raw/int01.txt", "new"]]
    found = _warned(got["warnings"], "W518", "data/raw/batch2")
    assert len(found) == 1 and "cannot be listed (permission denied)" in found[0].lower()
    assert [p for p, _ in got["unread"]] == ["data/raw/batch2"]
