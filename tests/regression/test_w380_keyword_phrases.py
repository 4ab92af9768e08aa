"""W380 also checks each word of a keyword phrase: 'been there' is read as 'be there' and fires on 'is there'."""

from __future__ import annotations

from thematic.coding.rule_check import lemma_collision, lemma_warnings

CB = """\
name: cb
version: 1.0.0
themes:
- id: theme_a
  definition: A theme.
codes:
- id: lived
  parent: theme_a
  definition: Lived experience.
  keywords: [been there, give back, security clearance]
"""


def test_phrase_with_an_irregular_form_is_reported(tmp_path):
    hit = lemma_collision("been there")
    assert hit is not None and hit[0] == "be there" and "is there" in hit[1]
    path = tmp_path / "cb.yaml"
    path.write_text(CB, encoding="utf-8")
    problems = lemma_warnings(path)
    assert [(p.code, p.line) for p in problems] == [("W380", 10)]
    assert "'been there'" in problems[0].message and "LOWER" in problems[0].message


def test_plain_phrases_are_not_reported():
    assert lemma_collision("give back") is None
    assert lemma_collision("security clearance") is None
