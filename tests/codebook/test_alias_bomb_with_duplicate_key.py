"""Nested YAML aliases plus a duplicate key are refused with E045 before the YAML library expands them.

What was wrong: a 461-byte codebook with nested aliases (&a0 .. *a5) and a duplicate ``memo`` key made ruamel raise
its duplicate-key error while building the data, and that error's text held the other value with every alias
expanded. `codebook validate` printed a 5 MB "YAML syntax error" (52 MB one level deeper, gigabytes two levels
deeper) because the alias check (E045) only ran after a load that never finished.

What is true now: aliases are counted while the file is composed, before any value is built, so such a file is
refused with E045 and the line of the alias use; and any problem text quoted from the YAML library is cut to a few
hundred characters.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook.validate import validate_codebook

runner = CliRunner()


def _bomb(level: int) -> str:
    anchors = ["  x0: &a0 [x,x,x,x,x,x,x,x,x,x]"]
    anchors += [f"  x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, level + 1)]
    return "\n".join(["anchors:", *anchors, "name: cb", "version: 1.0.0", "themes:", "- id: work",
                      "  definition: Work things.", "codes:", "- id: money", "  parent: work",
                      "  definition: Talk about pay.", f"  memo: *a{level}", "  memo: again", ""])


def test_alias_bomb_with_duplicate_key_is_e045_with_a_line(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(_bomb(6), encoding="utf-8")
    script = textwrap.dedent(f"""
        from thematic.codebook.validate import validate_codebook
        for p in validate_codebook({str(path)!r}):
            print(p)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout) < 2000, done.stdout[:500]
    assert "[E045]" in done.stdout and "bomb.yaml:" in done.stdout


def test_cli_validate_and_status_refuse_the_bomb_briefly(study):
    study.codebook_path.write_text(_bomb(5), encoding="utf-8")
    for args in (["codebook", "validate", "--study", str(study.root)], ["status", "--study", str(study.root)]):
        result = runner.invoke(app, args)
        assert "E045" in result.output, (args, result.output[:500])
        assert len(result.output) < 3000 and "Traceback" not in result.output


def test_duplicate_key_message_from_yaml_is_cut_short(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(_bomb(3), encoding="utf-8")  # about 11,000 values: under the limit, a long duplicate-key text
    problems = validate_codebook(path)
    assert [p.code for p in problems] == ["C001"]
    assert "duplicate key" in str(problems[0]) and problems[0].line == 16
    assert len(str(problems[0])) < 800
