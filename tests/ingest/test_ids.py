"""Document ids: stable slugs of the path below data/raw, unique, kept across runs."""

from __future__ import annotations

from pathlib import Path

from thematic.ingest.ids import assign_ids, raw_relative, slugify


def test_ids_slug_of_relative_path() -> None:
    assert slugify("interviews/p01-dan.txt") == "interviews-p01-dan"
    assert slugify("Focus Groups/FG 1 (Wexmoor).docx") == "focus-groups-fg-1-wexmoor"
    assert slugify("Zoë’s notes.md") == "zoes-notes"
    assert slugify("???.txt") == "document"


def test_ids_clashes_get_the_extension_then_a_number_and_stored_ids_stay() -> None:
    ids = assign_ids([("a.txt", "a.txt"), ("a.docx", "a.docx"), ("A.txt", "A.txt"), ("b.txt", "b.txt")],
                     existing={"b.txt": "b-old"})
    assert ids == {"a.txt": "a", "a.docx": "a-docx", "A.txt": "a-txt", "b.txt": "b-old"}


def test_ids_raw_relative_finds_data_raw(tmp_path: Path) -> None:
    path = tmp_path / "study" / "data" / "raw" / "sub" / "x.txt"
    assert raw_relative(path) == "sub/x.txt"
    assert raw_relative(tmp_path / "loose.txt") == "loose.txt"
