"""E040 refuses every REGEX that can backtrack catastrophically, not only the (a+)+ shape; E046 bounds OP counts."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from thematic.codebook.patterns import nested_repeat, quick_pattern_problems
from thematic.codebook.validate import validate_text

SLOW = [r"^(\d+|\w+)*Z$", r"(a|a?)+$", r"([a-z]+|\w)+$", r"(?=(a+)+b)", r"(a{1,10}){1,10}$", r"(.*?,){11}P",
        r"^(a+)+$", r"(\w*\s?)*", r"(a|aa)+", r"(?!(x+)*y)", r"(a|ab|abc)*$", r"((ab)*)*", r"(xy|x)+z"]
FINE = [r"^vet", r"^vet(ting|ted)?$", r"\d+", r"^[A-Z]{2,}$", r"(ab)+", r"(cat|dog)s?", r"^(un|in)?safe$",
        r"(\.\d)+", r"colou?r", r"^[a-z]+-[a-z]+$"]


@pytest.mark.parametrize("regex", SLOW)
def test_slow_regex_is_flagged(regex):
    assert nested_repeat(regex)
    problems = quick_pattern_problems([{"TEXT": {"REGEX": regex}}], "'one' patterns[0]", "cb.yaml", 7)
    assert [p.code for p in problems] == ["E040"] and problems[0].line == 7
    assert "Rewrite" in problems[0].message


@pytest.mark.parametrize("regex", FINE)
def test_plain_regex_is_accepted(regex):
    assert not nested_repeat(regex)


def _cb(token: str) -> str:
    return ("name: cb\nversion: 1.0.0\nthemes:\n- id: theme_a\n  definition: A theme.\ncodes:\n- id: one\n"
            f"  parent: theme_a\n  definition: One.\n  patterns:\n  - [{token}]\n")


def test_regex_that_passed_before_is_refused_on_load():
    problems = validate_text(_cb(r"{TEXT: {REGEX: '^(\d+|\w+)*Z$'}}"), path="cb.yaml")
    assert [(p.code, p.line) for p in problems] == [("E040", 11)]


@pytest.mark.parametrize("op", ["{1,10000000}", "{100000}", "{5000,}", "{,200000}"])
def test_huge_op_count_is_refused_before_spacy(op):
    script = textwrap.dedent(f"""
        from thematic.codebook.validate import validate_text
        for p in validate_text({_cb('{LOWER: a, OP: "' + op + '"}')!r}, path="op.yaml"):
            print(p)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "op.yaml:11: [E046]" in done.stdout and "100" in done.stdout, done.stdout


@pytest.mark.parametrize("op", ["{2}", "{1,3}", "{0,100}", "+", "?", "*", "!"])
def test_small_op_counts_are_accepted(op):
    assert validate_text(_cb('{LOWER: a, OP: "' + op + '"}'), path="op.yaml") == []
