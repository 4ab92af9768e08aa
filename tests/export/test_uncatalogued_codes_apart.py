"""A code no longer in the codebook (deleted, or split away by a release) but still in codings was shown in
the Word and Markdown appendix (at-a-glance table, headings, contents) and in the themes-and-codes chart
as a code of the last theme. Now it comes last under its own "Uncatalogued (in codings, not in the
codebook)" heading, as in the terminal table, apart from every theme."""

from __future__ import annotations

import docx
import pytest

from thematic.analysis import frequencies, load_frames
from thematic.analysis.charts import frequency_chart
from thematic.export.reports import report_quotes

HEADING = "Uncatalogued (in codings, not in the codebook)"
# The hand-built study's codebook (tests/analysis/conftest.py) without 'shared_experience', a Peer support code.
WITHOUT_SHARED_EXPERIENCE = """\
name: test-codebook
version: 1.1.0
themes:
- {id: support, label: Peer support, definition: How peers help one another.}
- {id: barriers, label: Barriers, definition: What gets in the way.}
codes:
- {id: trust, label: Trust, parent: support, definition: Trusting the helper.}
- {id: trust_staff, label: Trust in staff, parent: trust, definition: Trusting paid staff.}
- {id: funding, label: Funding, parent: barriers, definition: Money runs out.}
- {id: vetting, label: Security vetting, parent: barriers, definition: Checks that keep people out.}
"""


@pytest.fixture
def dropped(known_study):
    """The study after the team deleted 'shared_experience' (a Peer support code) from the codebook."""
    known_study.codebook_path.write_text(WITHOUT_SHARED_EXPERIENCE, encoding="utf-8")
    return load_frames(known_study)


def test_word_appendix_puts_uncatalogued_codes_under_their_own_heading(dropped, tmp_path):
    path = report_quotes(dropped, tmp_path / "appendix.docx")
    doc = docx.Document(str(path))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-2:] == [("Heading 1", HEADING), ("Heading 2", "shared_experience")]
    assert headings.index(("Heading 1", "Barriers")) < headings.index(("Heading 1", HEADING))
    contents = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("TOC ")]
    assert contents[-2:] == [("TOC 1", HEADING), ("TOC 2", "shared_experience")]
    rows = doc.tables[0].rows
    heading_row, code_row = rows[-2], rows[-1]
    assert [c.text for c in heading_row.cells] == [HEADING, "", "", "", ""]
    assert all(r.bold for r in heading_row.cells[0].paragraphs[0].runs)
    # P01 of three interviewees and P03 of two focus-group members, as in the terminal table
    assert [c.text for c in code_row.cells] == ["shared_experience", "1 of 3 (33%)", "1 of 2 (50%)", "3", "2"]
    assert code_row.cells[0].paragraphs[0].paragraph_format.left_indent is not None
    body = [p.text for p in doc.paragraphs]
    after = body[body.index(HEADING) + 1:]
    assert after[0] == "shared_experience"  # straight to its code: no summary or "No quotes" of its own


def test_markdown_appendix_puts_uncatalogued_codes_under_their_own_heading(dropped, tmp_path):
    text = report_quotes(dropped, tmp_path / "appendix.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings[-2:] == [f"## {HEADING}", "### shared\\_experience"]
    assert headings.index("## Barriers") < headings.index(f"## {HEADING}")
    table = [line for line in lines if line.startswith("|")]
    assert table[-2] == f"| **{HEADING}** |  |  |  |  |"
    assert table[-1] == "| \u00a0\u00a0shared\\_experience | 1 of 3 (33%) | 1 of 2 (50%) | 3 | 2 |"
    section = text[text.index(f"## {HEADING}"):]
    assert "No quotes" not in section.split("###")[0]


def test_themes_and_codes_chart_draws_uncatalogued_codes_apart(dropped):
    freq = frequencies(dropped.codings, dropped.segments, dropped.participants, dropped.codebook)
    ax = frequency_chart(freq, level=None).axes[0]
    ticks = list(reversed(ax.get_yticklabels()))  # top to bottom
    names = [" ".join(t.get_text().split()) for t in ticks]
    assert names[-2:] == [HEADING, "shared_experience"]
    assert names.index("Barriers") < names.index(HEADING)
    assert ticks[-2].get_fontweight() == "bold" and ticks[-1].get_fontweight() == "normal"
    heading_y = ax.get_yticks()[::-1][-2]
    drawn = [p for c in ax.containers for p in c.patches if p.get_width() > 0]
    assert not any(abs(p.get_y() + p.get_height() / 2 - heading_y) < 0.4 for p in drawn)  # the heading has no bar
