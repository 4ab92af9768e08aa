"""`codebook diff` across two releases follows a chain of merges to where a removed code really went.

Before, after 1.1.0 ``merge: {from: [a, b], into: b}`` and 1.2.0 ``merge: {from: [b], into: a}``, the
diff 1.0.0 -> 1.2.0 said "b merged into b (1.1.0)": the first entry naming b as a source, although that
entry merged b into itself, and the 1.2.0 step where b went was not mentioned.
"""

from __future__ import annotations

from thematic.codebook import loads_codebook

THEMES = [{"id": "t", "label": "T", "definition": "A theme."}]


def _codes(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "label": i.upper(), "parent": "t", "definition": f"Code {i}."} for i in ids]


def _note(make_yaml, new_ids, changes, code):
    old = loads_codebook(make_yaml("1.0.0", themes=THEMES, codes=_codes("a", "b", "c")), path="v100.yaml")
    new = loads_codebook(make_yaml("1.2.0", themes=THEMES, codes=_codes(*new_ids), changes=changes), path="v120.yaml")
    removed = {c.code_id: c.note for c in old.diff(new).of_kind("removed")}
    return removed[code]


def test_a_code_merged_into_itself_then_into_another_is_reported_where_it_went(make_yaml):
    changes = [{"version": "1.1.0", "merge": {"from": ["a", "b"], "into": "b"}},
               {"version": "1.2.0", "merge": {"from": ["b"], "into": "a"}}]
    assert _note(make_yaml, ("a", "c"), changes, "b") == "merged into a (1.2.0)"


def test_a_merge_then_a_rename_of_its_target_names_both_steps(make_yaml):
    changes = [{"version": "1.1.0", "merge": {"from": ["a", "b"], "into": "b"}},
               {"version": "1.2.0", "rename": {"from": "b", "to": "d"}}]
    assert _note(make_yaml, ("d", "c"), changes, "a") == "merged into b (1.1.0), then renamed to d (1.2.0)"


def test_a_single_merge_or_split_reads_as_before(make_yaml):
    merge = [{"version": "1.1.0", "merge": {"from": ["a", "b"], "into": "b"}}]
    assert _note(make_yaml, ("b", "c"), merge, "a") == "merged into b (1.1.0)"
    split = [{"version": "1.2.0", "split": {"from": "a", "into": ["x", "y"]}}]
    assert _note(make_yaml, ("b", "c", "x", "y"), split, "a") == "split into x, y (1.2.0)"
