"""The methods-appendix export: Markdown sections and a Word table per theme, opened back."""

from __future__ import annotations

import docx
import pytest

from thematic.codebook import codebook_markdown, export_codebook, loads_codebook
from thematic.errors import InputError


@pytest.fixture
def cb(make_yaml, base_codes, replace):
    codes = replace(base_codes, "peer_help", include=["Phone calls from a mentor"], exclude=["Staff visits"])
    codes.append({"id": "buddy_calls", "label": "Buddy calls", "parent": "peer_help", "definition": "Calls."})
    return loads_codebook(make_yaml("0.2.0", codes=codes, changes=[{"version": "0.2.0", "retire": {"code": "money"}}]))


def test_markdown_has_a_section_per_theme_and_code(cb):
    md = codebook_markdown(cb)
    assert md.startswith("# Codebook: mini (version 0.2.0)")
    assert "## Support (`support`)" in md and "## Barriers (`barriers`)" in md
    assert "### Peer help (`peer_help`)" in md and "#### Buddy calls (`buddy_calls`)" in md
    assert "- Phone calls from a mentor" in md and "> My mentor rang me." in md
    assert "### Money (retired) (`money`)" in md and "- 0.2.0 retire money" in md


def test_word_export_has_one_table_per_theme(cb, tmp_path):
    out = export_codebook(cb, tmp_path / "appendix.docx")
    document = docx.Document(str(out))
    assert len(document.tables) == 2
    support = document.tables[0]
    assert [c.text for c in support.rows[0].cells] == ["Code", "Definition", "Include / exclude", "Example"]
    first = [c.text for c in support.rows[1].cells]
    assert first[0].startswith("Peer help") and "peer_help" in first[0]
    assert first[1] == "A peer offers help." and "Include: Phone calls from a mentor" in first[2]
    assert "My mentor rang me." in first[3]
    assert len(support.rows) == 4  # header, peer_help, buddy_calls, staff_help
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Support (support)" in headings and "Changes" in headings


def test_export_format_from_option_or_suffix(cb, tmp_path):
    assert export_codebook(cb, tmp_path / "a.md").read_text(encoding="utf-8") == codebook_markdown(cb)
    assert export_codebook(cb, tmp_path / "b.txt", format="md").read_text(encoding="utf-8").startswith("# Codebook")
    with pytest.raises(InputError, match=r"\[E206\]"):
        export_codebook(cb, tmp_path / "c.pdf")
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".c.pdf*"))
