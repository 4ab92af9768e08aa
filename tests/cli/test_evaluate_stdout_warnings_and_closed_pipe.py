"""`thematic evaluate --format csv|json` with the figures on standard output.

What was wrong: with the CSV on stdout every warning was dropped (stderr stayed empty), so a script got figures
halved by a gold code the codebook lacks (W370) without a word of why; and when the reader of the pipe had gone
(`| head -c 100`, a consumer that died) the command said "[E031] (file): Broken pipe ... check that the disk is
not full". What is true now: the warnings go to stderr whenever a CSV goes to stdout (the CSV stays clean; a
JSON holds them), and a closed pipe ends the command quietly (exit 1, no E031, no traceback), as every other
command does.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from coding.assisted_support import write_codebook, write_gold
from thematic.cli.main import app

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "150"}
ROWS = [("a:1", "The vetting took five months.", ["security_vetting"]), ("a:2", "The bus was late.", []),
        ("b:1", "We had no grant left for the course.", ["funding"]), ("b:2", "The vetting again.", ["vetng"])]


def _args(tmp_path: Path, study) -> list[str]:  # noqa: ANN001
    cb = write_codebook(study)
    gold = write_gold(tmp_path / "gold.jsonl", ROWS)
    return ["evaluate", "--gold", str(gold), "--codebook", str(cb), "--suggesters", "rules"]


def test_csv_on_stdout_keeps_its_warnings_on_stderr(tmp_path: Path, study) -> None:  # noqa: ANN001
    args = _args(tmp_path, study)
    res = runner.invoke(app, [*args, "--format", "csv"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "[W370]" in res.stderr and "vetng" in res.stderr
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0][0] == "suggester" and not any("[W370]" in cell for row in rows for cell in row)
    as_json = runner.invoke(app, [*args, "--format", "json"], env=ENV)  # JSON carries them itself
    assert as_json.exit_code == 0 and any("[W370]" in w for w in json.loads(as_json.stdout)["warnings"])


def test_a_closed_pipe_ends_quietly(tmp_path: Path, study) -> None:  # noqa: ANN001
    args = _args(tmp_path, study)
    for fmt in ("json", "csv"):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader has gone before a byte is written
        try:
            proc = subprocess.run([sys.executable, "-m", "thematic", *args, "--format", fmt], stdout=write_end,
                                  stderr=subprocess.PIPE, env={**os.environ, **ENV}, timeout=300, text=True)
        finally:
            os.close(write_end)
        assert proc.returncode == 1, proc.stderr
        assert "E031" not in proc.stderr and "Traceback" not in proc.stderr and "disk" not in proc.stderr
