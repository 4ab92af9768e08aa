"""A codebook whose YAML aliases expand into a huge structure is refused in bounded time, memory and message size."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from thematic.codebook.validate import validate_codebook


def _laughs(levels: int, where: str = "patterns") -> str:
    lines = ["name: cb", "version: 1.0.0", "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]")
    lines += ["themes:", "- id: theme_a", "  definition: A theme.", "codes:", "- id: one", "  parent: theme_a",
              "  definition: One.", f"  {where}: *x{levels}", ""]
    return "\n".join(lines)


def test_deep_alias_chain_is_refused_quickly_with_a_line(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(9), encoding="utf-8")
    script = textwrap.dedent(f"""
        from thematic.codebook.validate import validate_codebook
        problems = validate_codebook({str(path)!r})
        print(sum(len(str(p)) for p in problems))
        for p in problems:
            print(p)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-2000:]
    size, *lines = done.stdout.splitlines()
    assert int(size) < 5000
    assert any("[E045]" in ln and "laughs.yaml:" in ln and "alias" in ln for ln in lines), lines


def test_smaller_alias_chain_gives_short_messages(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs(4), encoding="utf-8")
    problems = validate_codebook(path)
    assert problems
    assert sum(len(str(p)) for p in problems) < 20_000
    assert all(len(str(p)) < 400 for p in problems)


def test_ordinary_codebook_is_not_refused(tmp_path):
    path = tmp_path / "ok.yaml"
    words = ", ".join(f"w{i}" for i in range(2000))
    path.write_text("name: cb\nversion: 1.0.0\nthemes:\n- id: theme_a\n  definition: A theme.\ncodes:\n"
                    f"- id: one\n  parent: theme_a\n  definition: One.\n  keywords: [{words}]\n", encoding="utf-8")
    assert validate_codebook(path) == []
