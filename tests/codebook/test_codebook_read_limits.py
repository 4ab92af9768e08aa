"""Reading a codebook: only a regular file is read (a device or FIFO is refused, E047), anything over 2 MB gets
E211 (not advice to raise max_file_mb), and a file that is not UTF-8 gets E048 with its line and 'save as UTF-8'."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import pytest

from thematic.codebook.files import MAX_CODEBOOK_BYTES, read_codebook_text
from thematic.codebook.validate import validate_codebook
from thematic.errors import CodebookError

CB = "name: cb\nversion: 1.0.0\nthemes:\n- id: theme_a\n  definition: Café.\ncodes:\n- id: one\n  parent: theme_a\n  definition: One.\n"


def _in_subprocess(path: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(f"""
        from thematic.codebook.validate import validate_codebook
        for p in validate_codebook({path!r}):
            print(p)
    """)
    def cap_memory() -> None:  # today's code read /dev/zero without bound: fail fast instead of filling memory
        resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))

    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20,
                          preexec_fn=cap_memory)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused():
    done = _in_subprocess("/dev/zero")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[E047]" in done.stdout and "regular file" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "cb.yaml"
    os.mkfifo(fifo)
    done = _in_subprocess(str(fifo))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[E047]" in done.stdout


@pytest.mark.parametrize("mb", [3, 70])
def test_oversized_codebook_gets_the_codebook_limit(tmp_path, mb):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.truncate(mb * 2**20)  # sparse: nothing is written
    with pytest.raises(CodebookError) as err:
        read_codebook_text(big)
    assert "[E211]" in str(err.value) and "max_file_mb" not in str(err.value)
    assert MAX_CODEBOOK_BYTES == 2 * 2**20


@pytest.mark.parametrize("encoding, line", [("latin-1", 5), ("utf-16", 1)])
def test_not_utf8_names_the_line_and_says_save_as_utf8(tmp_path, encoding, line):
    path = tmp_path / "cb.yaml"
    path.write_text(CB, encoding=encoding)
    (problem,) = validate_codebook(path)
    text = str(problem)
    assert "[E048]" in text and f"line {line}" in text and "UTF-8" in text
    assert "exists and is readable" not in text
