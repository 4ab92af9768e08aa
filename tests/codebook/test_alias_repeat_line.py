"""A code repeated through a YAML alias (`- *pay` on line 14, the anchor `- &pay` on line 7) used to be reported
at the anchor's line: "cb.yaml:7: [C006] Duplicate id 'pay' (first defined at line 7)", so the line holding the
repeat was never named. ruamel gives an alias the position of the node it points to. Now the reader remembers
where each alias in a list stands, and the duplicate is reported at the line of the repeat."""

from __future__ import annotations

from thematic.codebook import validate_text
from thematic.codebook.parse import line_of, parse_yaml

TEXT = """name: cb
version: 1.0.0
themes:
- id: work
  definition: Work things.
codes:
- &pay
  id: pay
  parent: work
  definition: Pay.
- id: grants
  parent: work
  definition: Grants.
- *pay
- {id: tax, parent: work, definition: Tax.}
"""


def test_a_duplicate_through_an_alias_names_the_line_of_the_repeat() -> None:
    problems = validate_text(TEXT, path="cb.yaml")
    assert [(p.line, p.code) for p in problems] == [(14, "C006")], problems
    assert "first defined at line 7" in problems[0].message


def test_list_items_keep_their_own_lines() -> None:
    codes = parse_yaml(TEXT, "cb.yaml", fresh=True)["codes"]
    assert [line_of(codes, i) for i in range(len(codes))] == [7, 11, 14, 15]
    assert codes[2]["id"] == "pay"  # the alias still reads as the anchored mapping
