"""Diff on crafted pairs: added, removed, renamed (log and same definition), moved, relabelled, redefined."""

from __future__ import annotations

from thematic.codebook import loads_codebook


def _pair(make_yaml, new_codes, *, changes=None, new_version="0.2.0"):
    old = loads_codebook(make_yaml("0.1.0"), path="old.yaml")
    new = loads_codebook(make_yaml(new_version, codes=new_codes, changes=changes), path="new.yaml")
    return old, new


def test_identical_codebooks_have_no_differences(make_yaml):
    cb = loads_codebook(make_yaml())
    result = cb.diff(loads_codebook(make_yaml()))
    assert not result and result.to_frame().empty and result.summary() == {}


def test_added_and_removed(make_yaml, base_codes):
    codes = [c for c in base_codes if c["id"] != "money"] + [
        {"id": "housing", "label": "Housing", "parent": "barriers", "definition": "No fixed address."}]
    old, new = _pair(make_yaml, codes)
    result = old.diff(new)
    assert result.added == ["housing"] and result.removed == ["money"]
    assert result.summary() == {"added": 1, "removed": 1}


def test_rename_from_changes_log_also_through_a_chain(make_yaml, base_codes, replace):
    codes = replace(base_codes, "peer_help", id="peer_mentoring", definition="Mentoring by a peer.")
    changes = [{"version": "0.2.0", "rename": {"from": "peer_help", "to": "peer_support"}},
               {"version": "0.3.0", "rename": {"from": "peer_support", "to": "peer_mentoring"}}]
    old, new = _pair(make_yaml, codes, changes=changes, new_version="0.3.0")
    result = old.diff(new)
    assert result.renamed == {"peer_help": "peer_mentoring"}
    assert result.added == [] and result.removed == []
    assert result.redefined == ["peer_mentoring"]  # the definition changed as well
    back = new.diff(old)  # the other direction reverses the rename
    assert back.renamed == {"peer_mentoring": "peer_help"}


def test_rename_detected_from_identical_definition(make_yaml, base_codes, replace):
    old, new = _pair(make_yaml, replace(base_codes, "vetting", id="security_checks"))
    result = old.diff(new)
    assert result.renamed == {"vetting": "security_checks"}
    assert result.of_kind("renamed")[0].note == "same definition"


def test_moved_relabelled_and_redefined_fields(make_yaml, base_codes, replace):
    codes = replace(base_codes, "staff_help", parent="barriers", label="Staff support")
    codes = replace(codes, "peer_help", keywords=["mentor", "peer"], exclude=["Staff help."])
    old, new = _pair(make_yaml, codes)
    result = old.diff(new)
    assert result.moved == ["staff_help"] and result.relabelled == ["staff_help"]
    fields = sorted(c.field for c in result.of_kind("redefined"))
    assert fields == ["exclude", "keywords"]
    frame = result.to_frame()
    moved = frame[frame["change"] == "moved"].iloc[0]
    assert (moved["before"], moved["after"]) == ("support", "barriers")
    assert list(frame.columns) == ["change", "code_id", "old_id", "field", "before", "after", "note"]


def test_parent_renamed_is_not_a_move(make_yaml, base_codes, replace):
    themes = [{"id": "help", "label": "Support", "definition": "Help that people give one another."},
              {"id": "barriers", "label": "Barriers", "definition": "What stands in the way of a new start."}]
    codes = replace(replace(base_codes, "peer_help", parent="help"), "staff_help", parent="help")
    old = loads_codebook(make_yaml("0.1.0"))
    new = loads_codebook(make_yaml("0.2.0", themes=themes, codes=codes,
                                   changes=[{"version": "0.2.0", "rename": {"from": "support", "to": "help"}}]))
    result = old.diff(new)
    assert result.renamed == {"support": "help"} and result.moved == []


def test_merge_and_retire_are_explained(make_yaml, base_codes):
    codes = [c for c in base_codes if c["id"] != "staff_help"]
    changes = [{"version": "0.2.0", "merge": {"from": ["peer_help", "staff_help"], "into": "peer_help"}},
               {"version": "0.2.0", "retire": {"code": "money"}}]
    old, new = _pair(make_yaml, codes, changes=changes)
    result = old.diff(new)
    removed = result.of_kind("removed")
    assert [c.code_id for c in removed] == ["staff_help"] and "merged into peer_help" in removed[0].note
    assert [c.code_id for c in result.of_kind("retired")] == ["money"]
