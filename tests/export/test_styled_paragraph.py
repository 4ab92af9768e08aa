"""Report paragraphs get their style by an id looked up once, and come out as python-docx's own call writes them.

python-docx looks a style up by name on every ``add_paragraph(text, style=...)``, scanning every style in the
document, which made a quote appendix of 27,000 quotes take 15 minutes as .docx (46 s as Markdown).
``_docx.add_styled`` reads each style's id once per document; these tests pin that it writes the same XML.
"""

from __future__ import annotations

from docx import Document
from lxml import etree

from thematic.export._docx import ATTRIBUTION, QUOTE, add_styled, ensure_styles


def _xml(paragraph) -> bytes:
    """The paragraph's XML; python-docx leaves an empty ``<w:pPr/>`` for the default style, which means nothing."""
    return etree.tostring(paragraph._p).replace(b"<w:pPr/>", b"")


def test_same_xml_as_python_docx_for_default_custom_and_builtin_styles() -> None:
    ours, theirs = Document(), Document()
    for doc in (ours, theirs):
        ensure_styles(doc, restyle=True)
    for style in (None, "Normal", QUOTE, ATTRIBUTION, "Caption", "List Bullet"):
        text = f"\u201cwords in {style}\u201d"
        assert _xml(add_styled(ours, text, style)) == _xml(theirs.add_paragraph(text, style=style))
    assert [p.style.name for p in ours.paragraphs] == [p.style.name for p in theirs.paragraphs]


def test_the_style_of_each_paragraph_survives_a_save(tmp_path) -> None:
    doc = Document()
    ensure_styles(doc, restyle=True)
    for i in range(50):
        add_styled(doc, f"quote {i}", QUOTE)
        add_styled(doc, f"P{i} \u00b7 interview {i}", ATTRIBUTION)
    doc.save(tmp_path / "a.docx")
    back = Document(tmp_path / "a.docx")
    assert [p.style.name for p in back.paragraphs] == [QUOTE, ATTRIBUTION] * 50
    assert back.paragraphs[-2].text == "quote 49"
    assert back.element.body[-1].tag.endswith("}sectPr")  # the section settings stay last, as Word requires


def test_paragraphs_keep_their_place_around_tables() -> None:
    doc = Document()
    add_styled(doc, "before")
    doc.add_table(rows=1, cols=1)
    add_styled(doc, "after", "Caption")
    doc.add_paragraph("python-docx's own")
    kinds = [child.tag.rsplit("}", 1)[1] for child in doc.element.body]
    assert kinds == ["p", "tbl", "p", "p", "sectPr"]
    assert [p.text for p in doc.paragraphs] == ["before", "after", "python-docx's own"]
    assert doc.paragraphs[1].style.name == "Caption"
