"""Stable GUIDs: the same study and record give the same GUID; imported GUIDs are kept."""

from __future__ import annotations

from thematic.refi.guids import GuidFactory, is_guid, normalise_guid


def test_guids_are_deterministic_per_study_and_kind() -> None:
    a, b = GuidFactory("study-a"), GuidFactory("study-a")
    assert a("code", "x") == b("code", "x") and is_guid(a("code", "x"))
    assert a("code", "x") != a("document", "x") != GuidFactory("study-b")("code", "x")


def test_guids_keep_a_valid_imported_guid_only() -> None:
    g = GuidFactory("s")
    assert g("code", "x", keep="{0f8a1907-7e42-4739-8610-a676b4d1b69f}") == "0F8A1907-7E42-4739-8610-A676B4D1B69F"
    assert g("code", "x", keep="c1") == g("code", "x")  # a non-GUID id from QualCoder is not a REFI GUID
    assert normalise_guid(" {ab} ") == "AB" and not is_guid("") and not is_guid(None)
