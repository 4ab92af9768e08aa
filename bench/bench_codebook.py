"""Benchmark reading and validating a large codebook: how long `thematic codebook validate` and loading take.

Generates a fictional codebook of about ``--mb`` megabytes (themes, codes with definitions, keywords and
token patterns), then times, in this process: one ruamel parse, ``validate_codebook`` (with spaCy's check
of each pattern), ``load_codebook``, and the whole `thematic codebook validate FILE` command through
a fresh process. Prints one line per figure; nothing is asserted. Usage::

    python bench/bench_codebook.py              # about 1.5 MB (under the 2 MB codebook limit)
    python bench/bench_codebook.py --mb 1.0
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def generate(mb: float) -> str:
    """YAML text of a fictional codebook of about ``mb`` megabytes."""
    lines = ["# generated for bench/bench_codebook.py", "name: bench", "version: 1.0.0", "themes:"]
    for t in range(20):
        lines += [f"- id: theme_{t}", f"  label: Theme {t}", f"  definition: What theme {t} is about."]
    lines.append("codes:")
    i, size = 0, sum(len(x) + 1 for x in lines)
    while size < mb * 1024 * 1024:
        block = [f"- id: code_{i}", f"  label: Code {i}", f"  parent: theme_{i % 20}",
                 f"  definition: Code {i} marks a passage where someone talks about subject {i} at some length.",
                 f"  include: [Talk of subject {i}, Stories about subject {i}]",
                 f"  exclude: [Passing mentions of subject {i} belong elsewhere]",
                 f"  keywords: [word{i}, phrase of {i}, another{i}]",
                 "  patterns:", f"  - [{{LOWER: word{i}}}, {{LOWER: {{IN: [a, b, c]}}}}]",
                 f"  color: '#{i % 256:02x}a0b0'"]
        lines += block
        size += sum(len(x) + 1 for x in block)
        i += 1
    return "\n".join(lines) + "\n"


def _timed(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.5, help="approximate size of the codebook in MB")
    args = parser.parse_args(argv)

    from thematic.codebook import load_codebook, validate_codebook
    from thematic.codebook.parse import parse_yaml

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(generate(args.mb), encoding="utf-8")
        size = path.stat().st_size
        print(f"codebook: {size / 1024 / 1024:.2f} MB, {path.read_text().count('- id: code_')} codes", flush=True)
        text = path.read_text(encoding="utf-8")
        _timed("one ruamel round-trip parse", lambda: parse_yaml(text, str(path), fresh=True))
        _timed("validate_codebook, first read (parse + spaCy pattern checks)", lambda: validate_codebook(path))
        _timed("load_codebook after it (the parse is reused)", lambda: load_codebook(path))
        command = [sys.executable, "-c", "from thematic.cli.main import app; app()", "codebook", "validate", str(path)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        print(f"`thematic codebook validate FILE` in a fresh process: {time.perf_counter() - start:.2f} s "
              f"(exit {done.returncode})", flush=True)
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
