"""The Codebook record: hierarchy helpers, retired codes, released vs pending changes, frames, usage."""

from __future__ import annotations

import pytest

from thematic.codebook import code_usage, loads_codebook


def test_hierarchy_helpers_follow_parents_at_any_depth(make_yaml, base_codes):
    codes = base_codes + [{"id": "buddy_calls", "label": "Buddy calls", "parent": "peer_help",
                           "definition": "Phone calls between buddies."}]
    cb = loads_codebook(make_yaml(codes=codes))
    assert [t.id for t in cb.themes] == ["support", "barriers"]
    assert [c.id for c in cb.children("support")] == ["peer_help", "staff_help"]
    assert [c.id for c in cb.descendants("support")] == ["peer_help", "buddy_calls", "staff_help"]
    assert [c.id for c in cb.ancestors("buddy_calls")] == ["peer_help", "support"]
    assert cb.theme_of("buddy_calls").id == "support" and cb.depth("buddy_calls") == 2
    assert "peer_help" not in [c.id for c in cb.leaf_codes()]
    frame = cb.to_frame()
    assert frame.set_index("code_id").loc["buddy_calls", "theme"] == "support"
    assert len(frame) == 7


def test_retired_codes_stay_listed_but_are_not_codable(make_yaml):
    released = make_yaml("0.2.0", changes=[{"version": "0.2.0", "retire": {"code": "money"}}])
    cb = loads_codebook(released)
    assert cb.retired == {"money"} and "money" in cb
    assert "money" not in [c.id for c in cb.codable()]
    pending = loads_codebook(make_yaml("0.1.0", changes=[{"version": "0.2.0", "retire": {"code": "money"}}]))
    assert pending.retired == frozenset() and [e.kind for e in pending.pending_changes()] == ["retire"]


def test_change_log_is_parsed_in_file_order(make_yaml, base_codes, replace):
    codes = replace(base_codes, "peer_help", id="peer_support")
    cb = loads_codebook(make_yaml("0.3.0", codes=codes, changes=[
        {"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}, "note": "clearer"},
        {"version": "0.3.0", "note": "wording only"},
    ]))
    first, second = cb.change_log
    assert (first.kind, first.sources, first.targets, first.note) == ("rename", ("peer_help",), ("peer_support",),
                                                                      "clearer")
    assert second.kind == "note" and second.describe() == "0.3.0 note: wording only"
    assert first.line is not None and first.key != second.key


def test_code_usage_counts_codings_per_code(make_yaml, coded_store, make_coding):
    coded_store.add_codings([make_coding("int03", 0, "old_code")])
    usage = code_usage(loads_codebook(make_yaml()), coded_store).set_index("code_id")
    assert usage.loc["peer_help", "codings"] == 2
    assert usage.loc["money", "codings"] == 1 and usage.loc["money", "suggested"] == 1
    assert usage.loc["barriers", "with_descendants"] == 2
    assert not usage.loc["old_code", "in_codebook"] and usage.loc["old_code", "codings"] == 1


def test_study_facade_reads_and_rereads_the_codebook(study, make_yaml):
    from thematic.errors import CodebookError

    with pytest.raises(CodebookError, match=r"\[E202\]"):
        study.codebook
    study.codebook_path.write_text(make_yaml("0.1.0"), encoding="utf-8")
    first = study.codebook
    assert first.version == "0.1.0" and study.codebook is first  # cached while the file is unchanged
    study.codebook_path.write_text(make_yaml("0.1.1") + "# edited\n", encoding="utf-8")
    assert study.codebook.version == "0.1.1"
    assert study.validate_codebook() == []
    assert study.code_usage()["codings"].sum() == 0
