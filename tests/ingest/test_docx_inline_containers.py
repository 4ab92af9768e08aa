"""Word text inside inline containers (smart tags, inline content controls, simple fields, text boxes) is read.

python-docx's ``Paragraph.text`` only sees a paragraph's direct runs and hyperlinks, so these words vanished
mid-sentence with no warning (``I grew up in  and it was lovely``). The fixtures are written fresh with
python-docx and then edited as XML.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript
from thematic.study import Study

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:x="urn:example:unknown-container"')


def r(text: str, *, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def smart_tag(inner: str, element: str = "place") -> str:
    return (f'<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="{element}">'
            f'<w:smartTagPr><w:attr w:name="x" w:val="y"/></w:smartTagPr>{inner}</w:smartTag>')


def sdt(inner: str, *, placeholder: bool = False) -> str:
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return f'<w:sdt><w:sdtPr><w:id w:val="7"/>{flag}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'


def write_docx(path: Path, blocks: list[str]) -> Path:
    """A .docx whose body holds ``blocks``: plain strings become python-docx paragraphs, XML strings
    (starting with ``<``) are inserted as they are (``NS`` declared on the element)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for block in blocks:
        if block.startswith("<"):
            tag = block[1:block.index(">")].split()[0].rstrip("/")
            body.insert(len(body) - 1, parse_xml(block.replace(f"<{tag}", f"<{tag} {NS}", 1)))
        else:
            document.add_paragraph(block)
    document.save(path)
    return path


def p(inner: str) -> str:
    return f"<w:p>{inner}</w:p>"


def turns(path: Path) -> list[tuple[str | None, str]]:
    doc = read_transcript(path, settings=IngestSettings(pseudonymise=False))
    return [(s.speaker, s.text) for s in doc.segments]


def test_smart_tags_inline_content_controls_and_simple_fields_keep_their_words(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "inline.docx", [
        "Interviewer: Where did you grow up and what was it like for you back then?",
        p(r("Maria: I grew up in ") + smart_tag(r("Leeds")) + r(" and it was lovely.")),
        p(r("Interviewer: And ") + sdt(r("after school")) + r(" what did you do?")),
        p(r("Maria: We played outside until ") + f'<w:fldSimple w:instr=" TIME ">{r("6 pm")}</w:fldSimple>'
          + r(" every day.")),
        # containers inside containers, and a hyperlink holding a smart tag
        p(r("Interviewer: Who ") + sdt(smart_tag(r("else")) + r(" was")) + r(" there? ")
          + f'<w:hyperlink w:anchor="x">{smart_tag(r("Anyone"), "PersonName")}</w:hyperlink>' + r("?")),
        p(r("Maria: My ") + f'<w:dir w:val="ltr">{r("cousin")}</w:dir>' + r(" and ")
          + f'<w:customXml w:element="who">{r("her dog")}</w:customXml>' + r(".")),
    ])
    assert turns(path) == [
        ("Interviewer", "Where did you grow up and what was it like for you back then?"),
        ("Maria", "I grew up in Leeds and it was lovely."),
        ("Interviewer", "And after school what did you do?"),
        ("Maria", "We played outside until 6 pm every day."),
        ("Interviewer", "Who else was there? Anyone?"),
        ("Maria", "My cousin and her dog."),
    ]
    doc = read_transcript(path, settings=IngestSettings(pseudonymise=False))
    assert not [w for w in doc.warnings if w.startswith(("[W105]", "[W165]"))]


def test_tabs_breaks_fields_and_revisions_inside_containers_read_as_python_docx_renders_them(tmp_path: Path) -> None:
    """Tabs and line breaks as python-docx renders them; a complex field's instruction text and deleted
    (tracked) text are not read, the field's result and inserted text are."""
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \\@ '
             '"d MMMM" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("3 May")
             + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    revision = ('<w:del w:id="1" w:author="HT" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>badly</w:delText>'
                '</w:r></w:del><w:ins w:id="2" w:author="HT" w:date="2024-01-01T00:00:00Z">' + r("well")
                + "</w:ins>")
    path = write_docx(tmp_path / "render.docx", [
        p(r("Interviewer: When was it?")),
        p(r("Dana: On ") + smart_tag(field, "date") + r(", and it went ") + sdt(revision) + r(".")),
        p(r("Interviewer: List them.")),
        p(r("Dana: ") + sdt('<w:r><w:t>tea</w:t><w:tab/><w:t>cake</w:t><w:br/><w:t>more</w:t></w:r>')),
    ])
    assert turns(path) == [
        ("Interviewer", "When was it?"),
        ("Dana", "On 3 May, and it went well."),
        ("Interviewer", "List them."),
        ("Dana", "tea\tcake\nmore"),
    ]
    text = read_transcript(path, settings=IngestSettings(pseudonymise=False)).text
    assert "badly" not in text and "DATE" not in text and "MMMM" not in text


def test_bold_label_in_a_person_name_smart_tag_is_the_speaker(tmp_path: Path) -> None:
    """Older Word files tag names as PersonName smart tags: a bold name in one is still a speaker label."""
    path = write_docx(tmp_path / "bold.docx", [
        p(smart_tag(r("Interviewer", bold=True), "PersonName") + r(" What brought you here?")),
        p(smart_tag(r("Ruth", bold=True), "PersonName") + r(" The bus from ") + smart_tag(r("Harlow"))
          + r(", mostly.")),
    ])
    assert turns(path) == [("Interviewer", "What brought you here?"), ("Ruth", "The bus from Harlow, mostly.")]


def test_text_box_paragraphs_are_read_once_after_their_anchor_paragraph(tmp_path: Path) -> None:
    box = ('<w:r><w:pict><v:shape><v:textbox><w:txbxContent>'
           + p(r("Note: the staff were always kind")) + p(r("and the food was fine"))
           + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")
    path = write_docx(tmp_path / "box.docx", [
        "Interviewer: Anything else you want to add today?",
        p(r("Maria: Only ") + box + r("that I was happy there.")),
        "Interviewer: Thank you.",
    ])
    text = read_transcript(path, settings=IngestSettings(pseudonymise=False)).text
    assert text.count("the staff were always kind") == 1 and text.count("the food was fine") == 1
    assert text.index("Only that I was happy there.") < text.index("the staff were") < text.index("Thank you")


def test_words_in_table_cells_inside_containers_are_read(tmp_path: Path) -> None:
    """A transcript table whose cells hold smart tags, a cell-level content control and a row wrapped in one."""
    long = "we moved there when I was nine and it took a while before anyone spoke to us at school"

    def tc(inner: str) -> str:
        return f"<w:tc><w:tcPr/>{p(inner)}</w:tc>"

    table = ("<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
             f"<w:tr>{tc(r('Interviewer'))}{tc(r('So what happened when you arrived in ') + smart_tag(r('Leeds')) + r(' that year?'))}</w:tr>"
             f"<w:tr>{tc(r('Maria'))}{sdt(tc(r('Well, ') + sdt(r(long))))}</w:tr>"
             f"{sdt('<w:tr>' + tc(r('Interviewer')) + tc(r('And how did you feel about all of that, looking back on it now?')) + '</w:tr>')}"
             "</w:tbl>")
    path = write_docx(tmp_path / "table.docx", ["Interview 5", table])
    assert turns(path) == [
        ("Interviewer", "So what happened when you arrived in Leeds that year?"),
        ("Maria", "Well, " + long),
        ("Interviewer", "And how did you feel about all of that, looking back on it now?"),
    ]


def test_inline_content_control_showing_its_placeholder_is_not_read(tmp_path: Path) -> None:
    """A transcription template's empty control shows prompt text the transcriber never typed."""
    path = write_docx(tmp_path / "template.docx", [
        p(r("Interviewer: Your site? ") + sdt(r("Click or tap here to enter text."), placeholder=True)),
        p(r("Omar: Wexmoor.")),
    ])
    assert turns(path) == [("Interviewer", "Your site?"), ("Omar", "Wexmoor.")]


def test_text_in_an_unknown_inline_container_is_reported(tmp_path: Path) -> None:
    """Words in an element thematic does not know are named in a warning (W165) rather than lost silently."""
    path = write_docx(tmp_path / "unknown.docx", [
        "Interviewer: Where did you train, and for how long were you there in the end?",
        p(r("Maria: At the college ") + f"<x:note>{r('in Harlow')}</x:note>" + r(" for three long years.")),
    ])
    doc = read_transcript(path, settings=IngestSettings(pseudonymise=False))
    (w,) = [w for w in doc.warnings if w.startswith("[W165]")]
    assert "unknown.docx" in w and "x:note" in w and "in Harlow" in w and "9 character" in w
    assert not [w for w in doc.warnings if w.startswith("[W105]")]


def test_offsets_are_stable_on_re_ingest(study: Study) -> None:
    """The file read again, with one more turn at the end: the earlier segments keep their ids and offsets."""
    raw = study.paths.raw
    raw.mkdir(parents=True, exist_ok=True)
    blocks = [
        "Interviewer: Where did you grow up and what was it like for you back then?",
        p(r("Maria: I grew up in ") + smart_tag(r("Leeds")) + r(" and it was lovely, a great place for a child.")),
        p(r("Interviewer: And ") + sdt(r("after school")) + r(" what did you do?")),
    ]
    write_docx(raw / "interview-01.docx", blocks)
    study.ingest()
    first = study.segments()[["segment_id", "start", "end", "text"]].values.tolist()
    text = study.store.document_text("interview-01")
    assert [text[s:e] for _, s, e, _ in first] == [t for *_, t in first]
    assert "Leeds" in first[1][3] and "after school" in first[2][3]
    write_docx(raw / "interview-01.docx", [*blocks, p(r("Maria: Football, mostly, ") + smart_tag(r("outside")))])
    (row,) = study.ingest().rows
    assert row.status == "changed"
    again = study.segments()[["segment_id", "start", "end", "text"]].values.tolist()
    assert again[:3] == first and again[3][3] == "Football, mostly, outside"
