"""The README's CLI reference left out the own options of a group that also runs as a command (`thematic code
--suggesters ... --coder ...`); the generator now lists them, with the group's usage line."""

from __future__ import annotations

from thematic.cli.reference import reference_markdown


def _entry(md: str, title: str) -> str:
    start = md.index(f"#### `{title}`\n")
    return md[start:md.index("#### ", start + 5)]


def test_code_group_lists_its_options() -> None:
    entry = _entry(reference_markdown(), "thematic code")
    assert "Usage: `thematic code" in entry
    for option in ("--suggesters", "--coder", "--limit", "--sample", "--scheduler", "--study"):
        assert f"`{option}`" in entry, entry


def test_plain_group_without_options_unchanged() -> None:
    entry = _entry(reference_markdown(), "thematic tables")
    assert "Usage:" not in entry
