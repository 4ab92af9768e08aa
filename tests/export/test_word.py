"""The Word quote appendix, opened back with python-docx (and rendered by LibreOffice when present)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from thematic.errors import InputError
from thematic.export.reports import appendix_content, report_quotes
from thematic.export.word import build_quote_appendix


def _paras(path: Path) -> list:
    return list(docx.Document(str(path)).paragraphs)


def _styled(paras: list, style: str) -> list[str]:
    return [p.text for p in paras if p.style.name == style]


def test_appendix_has_title_toc_headings_definitions_counts_and_quotes(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "reports" / "appendix.docx")
    assert out.is_file() and not list(out.parent.glob(".*.tmp"))
    paras = _paras(out)
    assert _styled(paras, "Title") == ["Appendix: quotes by theme"]
    assert _styled(paras, "Heading 1") == ["Themes and codes at a glance", "Peer support", "Barriers"]
    assert _styled(paras, "Heading 2") == ["Shared experience", "Trust", "Funding", "Security vetting"]
    assert _styled(paras, "Heading 3") == ["Trust in staff"]
    assert "The helper has been through the same things." in _styled(paras, "Code Definition")
    summaries = _styled(paras, "Code Summary")
    assert "1 of 3 interviewees (33%), 1 of 2 focus-group members (50%); 3 passages in 2 documents" in summaries
    quotes = _styled(paras, "Quote")
    assert "\u201cThe vetting took eleven months and I gave up twice.\u201d" in quotes
    assert "\u201cWe never knew if the grant would be renewed.\u201d" in quotes
    assert "\u201cBeen there myself\u201d" in quotes  # only the coded part of the turn
    attributions = _styled(paras, "Quote Attribution")
    assert "P03 (service user) \u00b7 Focus group 1, turn 2" in attributions
    assert len(quotes) == len(attributions) == 8  # 3 + 1 + 1 + 2 + 1


def test_interviewer_and_unreviewed_text_never_quoted(frames, tmp_path):
    text = "\n".join(p.text for p in _paras(report_quotes(frames, tmp_path / "a.docx")))
    assert "How did you start mentoring?" not in text  # interviewer turn coded 'funding'
    assert "Budgets are cut every year" not in text  # a suggestion nobody accepted
    assert "Not really, it was fine for me." not in text  # a rejected suggestion


def test_contents_field_and_page_numbers(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "a.docx")
    d = docx.Document(str(out))
    xml = d.element.xml
    assert 'TOC \\o "1-3"' in xml and "w:fldCharType=\"begin\"" in xml
    assert [p.text for p in d.paragraphs if p.style.name == "TOC 2"][:2] == ["Shared experience", "Trust"]
    assert "updateFields" in d.settings.element.xml
    assert "PAGE" in d.sections[0].footer.paragraphs[0]._p.xml


def test_frequency_table_with_groups(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "a.docx", by="role", source="all")
    table = docx.Document(str(out)).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["Theme / code", "All", "peer mentor", "service user", "staff"]
    funding = next(r for r in table.rows if r.cells[0].text == "Funding")
    assert [c.text for c in funding.cells[1:]] == ["2 of 5", "2 of 2", "0 of 2", "0 of 1"]
    assert any(r.cells[0].paragraphs[0].runs[0].bold for r in table.rows[1:] if r.cells[0].text == "Barriers")
    assert "By role: peer mentor 2 of 2; service user 0 of 2; staff 0 of 1." in _styled(_paras(out), "Code Summary")


def test_filters_styles_order_and_cap(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "a.docx", codes="barriers", style="name-role", table=False)
    paras = _paras(out)
    assert _styled(paras, "Heading 1") == ["Barriers"]
    assert "(Lee, service user) \u00b7 Focus group 1, turn 2" in _styled(paras, "Quote Attribution")
    assert not docx.Document(str(out)).tables
    role_only = report_quotes(frames, tmp_path / "b.docx", style="role", by="role", groups="service user")
    attrs = _styled(_paras(role_only), "Quote Attribution")
    assert attrs and all(a.startswith("(service user)") for a in attrs)
    assert not any("P0" in a for a in attrs)
    capped = report_quotes(frames, tmp_path / "c.docx", codes="shared_experience", max_quotes=1, order="chosen")
    assert _styled(_paras(capped), "Quote") == [
        "\u201cI had been inside myself, so I knew what they were going through. They trusted me.\u201d"]


def test_charts_are_inserted_as_pictures(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "a.docx", charts=True, by="role")
    d = docx.Document(str(out))
    assert len(d.inline_shapes) == 2
    assert [p.text for p in d.paragraphs if p.style.name == "Caption"][1:] == [
        "Figure 1. Share of participants in each role (%) per theme.", "Figure 2. Participants per code."]


def test_user_template_styles_are_used(frames, tmp_path):
    template = docx.Document()
    template.styles["Normal"].font.name = "Georgia"
    template.styles["Heading 1"].font.size = docx.shared.Pt(30)
    del_quote = template.styles["Quote"].element
    del_quote.getparent().remove(del_quote)  # a template without a Quote style
    template.add_paragraph("Template body text that must not survive")
    template.save(str(tmp_path / "house.docx"))
    out = report_quotes(frames, tmp_path / "a.docx", template=tmp_path / "house.docx")
    d = docx.Document(str(out))
    assert d.styles["Normal"].font.name == "Georgia"
    assert d.styles["Heading 1"].font.size == docx.shared.Pt(30)
    assert "Quote" in [s.name for s in d.styles]  # created because the template lacked it
    assert [p for p in d.paragraphs if p.style.name == "Quote"]
    assert "Template body text" not in "\n".join(p.text for p in d.paragraphs)


def test_bad_template_and_bad_suffix_are_coded_errors(frames, tmp_path):
    (tmp_path / "bad.docx").write_text("not a zip")
    with pytest.raises(InputError, match=r"\[E406\].*bad.docx"):
        report_quotes(frames, tmp_path / "a.docx", template=tmp_path / "bad.docx")
    with pytest.raises(InputError, match=r"\[E405\]"):
        report_quotes(frames, tmp_path / "a.pdf")


def test_markdown_quote_export(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "quotes.md", by="role", source="all")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Appendix: quotes by theme")
    assert "## Peer support" in text and "#### Trust in staff" in text
    assert "> \u201cThe vetting took eleven months and I gave up twice.\u201d" in text
    assert "> \u2014 P03 (service user) \u00b7 Focus group 1, turn 2" in text
    assert "By role: peer mentor 2 of 2; service user 0 of 2; staff 0 of 1." in text


def test_no_real_names_reach_the_appendix(frames, tmp_path, known_study):
    # A pseudonym key in private/ must never be read: put a tell-tale in it.
    private = known_study.paths.private
    private.mkdir(exist_ok=True)
    (private / "pseudonym-key.csv").write_text("real,pseudonym\nJessica Realname,Jess\n", encoding="utf-8")
    for style in ("pseudonym-role", "name-role", "role"):
        out = report_quotes(frames, tmp_path / f"{style}.docx", style=style, charts=True)
        assert "Realname" not in docx.Document(str(out)).element.xml


def test_empty_study_still_writes_a_document(study, tmp_path):
    from thematic.analysis import load_frames

    content = appendix_content(load_frames(study))
    d = build_quote_appendix(content)
    assert [p.text for p in d.paragraphs if p.style.name == "Title"] == ["Appendix: quotes by theme"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed; CI installs it")
def test_appendix_converts_to_pdf_with_libreoffice(frames, tmp_path):
    out = report_quotes(frames, tmp_path / "appendix.docx", by="role", charts=True)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "appendix.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
