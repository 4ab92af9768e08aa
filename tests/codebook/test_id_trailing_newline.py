"""An id (or version, colour, changes-log id) with a trailing newline is malformed: '$' with .match let it through."""

from __future__ import annotations

from thematic.codebook.validate import validate_text

CB = """\
name: cb
version: "1.0.0\\n"
themes:
- id: "theme_a\\n"
  definition: A theme.
codes:
- id: trust
  parent: theme_a
  definition: Trust.
  color: "#1f77b4\\n"
- id: "trust\\n"
  parent: theme_a
  definition: Trust again.
changes:
- {version: 0.1.0, retire: {code: "gone\\n"}}
"""


def test_trailing_newline_is_not_snake_case():
    problems = validate_text(CB, path="nl.yaml")
    got = {(p.code, p.line) for p in problems}
    assert ("C005", 4) in got and ("C005", 11) in got  # theme_a\n, trust\n
    assert ("C003", 2) in got  # version 1.0.0\n
    assert ("C014", 10) in got  # colour with a newline
    assert any(p.code == "C013" for p in problems)  # the changes entry's id
