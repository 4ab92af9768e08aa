"""Validation reports only the real problem, and suggests a readable id for a unicode one.

Before, a code whose id repeated a theme id got, beside the right C006, a spurious
"[C008] Cycle in parents: theme_a -> theme_a" on the theme's line; and the suggested fix for the id
'café_ñ' was 'caf' (the accented letters dropped rather than transliterated).
"""

from __future__ import annotations

import pytest

from thematic.codebook.validate import validate_text

BASE = """\
name: mini
version: 1.0.0
themes:
- id: theme_a
  definition: A theme.
codes:
- id: one
  parent: theme_a
  definition: Code one.
- id: two
  parent: theme_a
  definition: Code two.
"""


def test_a_code_repeating_a_theme_id_is_a_duplicate_not_a_cycle(tmp_path) -> None:
    problems = validate_text(BASE.replace("- id: two", "- id: theme_a"), path="clash.yaml")
    assert [(p.code, p.line) for p in problems] == [("C006", 10)]
    assert "first defined at line 4" in problems[0].message


def test_a_duplicate_code_with_an_unknown_parent_still_gets_c007() -> None:
    text = BASE.replace("- id: two\n  parent: theme_a", "- id: one\n  parent: nowhere")
    assert sorted(p.code for p in validate_text(text)) == ["C006", "C007"]


def test_a_real_cycle_is_still_reported() -> None:
    text = BASE.replace("- id: one\n  parent: theme_a", "- id: one\n  parent: two").replace(
        "- id: two\n  parent: theme_a", "- id: two\n  parent: one")
    assert [p.code for p in validate_text(text)] == ["C008"]


@pytest.mark.parametrize(("bad", "fix"), [("café_ñ", "cafe_n"), ("Peer-Help", "peer_help"), ("Straße", "strasse"),
                                          ("2nd_wave", "code_2nd_wave"), ("日本", "my_code")])
def test_the_suggested_id_transliterates_and_is_itself_valid(bad: str, fix: str) -> None:
    problems = validate_text(BASE.replace("- id: two", f"- id: {bad}"), path="unicode.yaml")
    assert [p.code for p in problems] == ["C005"]
    assert problems[0].message.endswith(f"e.g. '{fix}'.")
