"""Releases: the version line is rewritten in place (comments kept), a frozen copy and a store record made."""

from __future__ import annotations

import pytest

from thematic.codebook import bump_version, load_codebook, release_codebook, release_state, resolve_codebook
from thematic.codebook.release import frozen_path, set_version_text
from thematic.errors import CodebookError

COMMENTED = """\
# Codebook of a fictional study.
name: mini   # the name used for frozen copies
version: '0.1.0'  # bumped by `thematic codebook bump`
themes:
- id: support
  label: Support
  definition: >-
    Help that people give
    one another.
codes:
- {id: peer_help, parent: support, definition: A peer offers help.}   # inline comment
"""


@pytest.mark.parametrize("version,part,expected", [
    ("0.1.0", "patch", "0.1.1"), ("0.1.9", "minor", "0.2.0"), ("1.4.2", "major", "2.0.0"),
])
def test_bump_version(version, part, expected):
    assert bump_version(version, part) == expected


def test_set_version_text_changes_only_the_version():
    out = set_version_text(COMMENTED, "0.2.0")
    assert out == COMMENTED.replace("'0.1.0'", "'0.2.0'")


def test_set_version_text_falls_back_to_round_trip_for_flow_documents():
    text = "{name: x, version: 0.1.0, codes: []}  # one line\n"
    out = set_version_text(text, "0.1.1")
    assert "0.1.1" in out and "# one line" in out


def test_release_freezes_records_and_rewrites(store, tmp_path):
    path = tmp_path / "codebooks" / "mini.yaml"
    path.parent.mkdir()
    path.write_text(COMMENTED, encoding="utf-8")
    release = release_codebook(path, store, "minor")
    assert (release.previous, release.version, release.recorded) == ("0.1.0", "0.2.0", True)
    text = path.read_text(encoding="utf-8")
    assert "# bumped by `thematic codebook bump`" in text and "# inline comment" in text
    assert load_codebook(path).version == "0.2.0"
    frozen = frozen_path(path, "mini", "0.2.0")
    assert release.frozen == frozen and frozen.read_text(encoding="utf-8") == text
    assert store.codebook_content("mini", "0.2.0") == text
    assert store.codebook_versions("mini")["version"].tolist() == ["0.2.0"]
    assert release_state(load_codebook(path), store) == "released"
    assert not list(path.parent.glob("*.tmp")) and not list(frozen.parent.glob("*.tmp"))


def test_release_current_then_edit_is_modified_and_cannot_be_re_released(store, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    first = release_codebook(path, store, None)
    assert first.version == "0.1.0" and first.recorded
    again = release_codebook(path, store, None)  # same content: a no-op
    assert not again.recorded
    path.write_text(COMMENTED.replace("A peer offers help.", "A peer helps out."), encoding="utf-8")
    assert release_state(load_codebook(path), store) == "modified"
    with pytest.raises(CodebookError, match=r"\[E200\].*already released"):
        release_codebook(path, store, None)
    assert release_codebook(path, store, "patch").version == "0.1.1"


def test_release_refuses_when_changes_are_written_for_a_later_version(store, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(COMMENTED + "changes:\n- {version: 0.2.0, note: planned}\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"\[E203\].*0.2.0.*minor"):
        release_codebook(path, store, "patch")
    assert load_codebook(path).version == "0.1.0" and not (tmp_path / ".versions").exists()


def test_invalid_codebook_is_never_released(store, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(COMMENTED.replace("parent: support", "parent: nowhere"), encoding="utf-8")
    with pytest.raises(CodebookError, match="C007"):
        release_codebook(path, store, "patch")
    assert store.codebook_versions().empty


def test_resolve_versions_from_folder_store_and_files(store, tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    release_codebook(path, store, None)
    path.write_text(COMMENTED + "# an edit, so the next release is not an identical copy (E209)\n", encoding="utf-8")
    release_codebook(path, store, "patch")
    assert resolve_codebook("0.1.0", path, store).version == "0.1.0"
    frozen_path(path, "mini", "0.1.0").unlink()  # falls back to the store's copy
    from_store = resolve_codebook("0.1.0", path, store)
    assert from_store.version == "0.1.0" and "store" in str(from_store.path)
    assert resolve_codebook("current", path, store).version == "0.1.1"
    assert resolve_codebook(str(path), None).version == "0.1.1"
    with pytest.raises(CodebookError, match=r"\[E201\].*Released: 0.1.0, 0.1.1"):
        resolve_codebook("9.9.9", path, store)
