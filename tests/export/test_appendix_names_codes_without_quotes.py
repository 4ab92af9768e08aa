"""A codebook code nobody had coded vanished from the quote appendix without a word (no heading, no row in the
at-a-glance table), so a reader could not tell "no evidence for this theme" from "left out of this report".
Now the appendix's notes name every codable code it leaves out for want of a quote, in Word and Markdown, with
the reason; retired codes and codes outside ``codes=`` are not named."""

from __future__ import annotations

import docx

from thematic.analysis import load_frames
from thematic.export.reports import report_quotes

WITH_UNCODED = """\
name: test-codebook
version: 1.1.0
themes:
- {id: support, label: Peer support, definition: How peers help one another.}
- {id: barriers, label: Barriers, definition: What gets in the way.}
codes:
- {id: shared_experience, label: Shared experience, parent: support, definition: Been there.}
- {id: trust, label: Trust, parent: support, definition: Trusting the helper.}
- {id: trust_staff, label: Trust in staff, parent: trust, definition: Trusting paid staff.}
- {id: funding, label: Funding, parent: barriers, definition: Money runs out.}
- {id: vetting, label: Security vetting, parent: barriers, definition: Checks that keep people out.}
- {id: housing, label: Housing on release, parent: barriers, definition: Somewhere to live.}
- {id: transport, label: Getting there, parent: support, definition: Travel to meetings.}
"""
NOTE = "Codes with no quote here, not shown: Getting there (Peer support); Housing on release (Barriers)."


def _frames(known_study):
    known_study.codebook_path.write_text(WITH_UNCODED, encoding="utf-8")
    return load_frames(known_study)


def test_word_appendix_names_the_codes_it_leaves_out(known_study, tmp_path):
    doc = docx.Document(str(report_quotes(_frames(known_study), tmp_path / "appendix.docx")))
    body = [p.text for p in doc.paragraphs]
    assert NOTE in body
    assert "Housing on release" not in [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]


def test_markdown_appendix_names_the_codes_it_leaves_out(known_study, tmp_path):
    text = report_quotes(_frames(known_study), tmp_path / "appendix.md").read_text(encoding="utf-8")
    assert NOTE in text


def test_only_codes_asked_for_are_named(known_study, tmp_path):
    text = report_quotes(_frames(known_study), tmp_path / "a.md", codes="barriers").read_text(encoding="utf-8")
    assert "Codes with no quote here, not shown: Housing on release (Barriers)." in text
    assert "Getting there" not in text


def test_no_note_when_every_code_has_a_quote(known_study, tmp_path):
    text = report_quotes(load_frames(known_study), tmp_path / "a.md").read_text(encoding="utf-8")
    assert "not shown" not in text
