"""Output whose encoding is not UTF-8: a Latin-1 terminal, or Windows with output redirected as cp1252.

What was wrong: thematic's own characters (… in the search table, “ ” in `code add`'s line, a label with ✓ in a
table) failed with a raw UnicodeEncodeError traceback and exit 1, and `code add` failed so after the coding was
stored, so a script checking `$?` reported a failure for a write that happened. What is true now: stdout and
stderr write what their encoding cannot hold as a \\uXXXX escape; the command ends as it would under UTF-8.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coding.manual_support import fill_study
from thematic.study import Study


@pytest.fixture
def root(study) -> Path:  # noqa: ANN001
    fill_study(study)
    study.close()
    return study.root


def _run(root: Path, encoding: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "THEMATIC_ENCODER": "minilm", "COLUMNS": "140"}
    return subprocess.run([sys.executable, "-m", "thematic", *args, "--study", str(root)], capture_output=True,
                          env=env, timeout=300)


def test_code_add_and_search_under_latin1(root: Path) -> None:
    done = _run(root, "latin-1", "code", "add", "int-01:1", "generativity", "--coder", "AB")
    assert done.returncode == 0, done.stderr.decode("latin-1")
    assert b"Traceback" not in done.stderr
    assert b"Coded int-01:1 [47:134] \\u201cI wanted" in done.stdout and b"\\u2026\\u201d as generativity" in done.stdout
    with Study(root) as s:
        assert list(s.codings()["code_id"]) == ["generativity"]
    found = _run(root, "latin-1", "search", "vetting")
    assert found.returncode == 0 and b"Traceback" not in found.stderr, found.stderr.decode("latin-1")
    assert b"\\u2026" in found.stdout and b"vetting" in found.stdout


def test_a_label_outside_cp1252_in_a_table(root: Path) -> None:
    with Study(root) as s:
        path = s.codebook_path
    path.write_text(path.read_text(encoding="utf-8").replace("label: Giving back", "label: Giving back ✓ 日本"),
                    encoding="utf-8")
    shown = _run(root, "cp1252", "codebook", "show")
    assert shown.returncode == 0, shown.stderr.decode("cp1252")
    assert b"Giving back \\u2713 \\u65e5\\u672c" in shown.stdout and b"Traceback" not in shown.stderr
