"""Small differences between a Word file's stored text and what Word shows: a symbol inserted with Insert ▸ Symbol
(``w:sym``, such as → in the Symbol font) was dropped (``went up 10  20 percent``); a page or column break inside a
paragraph glued the words on either side together (``part one.Part two``); and a paragraph mark deleted with Track
Changes on stayed a paragraph break, splitting a sentence Word shows as one paragraph. Now the symbol is its
Unicode character, the break is a line break, and the paragraph whose mark was deleted joins the next one."""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DELETED_MARK = '<w:pPr><w:rPr><w:del w:id="1" w:author="RA" w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr>'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _docx(path: Path, paragraphs: list[str]) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    for p in paragraphs:
        body.insert(len(body) - 1, parse_xml(p.replace("<w:p>", f"<w:p {NS}>", 1)))
    document.save(path)
    return path


def _turns(path: Path) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in read_transcript(path, settings=PLAIN).segments]


def test_symbols_are_read_as_their_characters(tmp_path: Path) -> None:
    path = _docx(tmp_path / "sym.docx", [
        "<w:p>" + _run("Kofi: Rent went up 10 ") + '<w:r><w:sym w:font="Symbol" w:char="F0AE"/></w:r>'
        + _run(" 20 percent, about 5") + '<w:r><w:sym w:font="Symbol" w:char="F025"/></w:r>' + _run(" a year ")
        + '<w:r><w:sym w:font="Wingdings" w:char="F04A"/></w:r></w:p>',
        "<w:p>" + _run("Interviewer: And the deposit") + '<w:r><w:sym w:font="Arial" w:char="003F"/></w:r></w:p>'])
    assert _turns(path) == [("Kofi", "Rent went up 10 \u2192 20 percent, about 5% a year \u263a"),
                            ("Interviewer", "And the deposit?")]


def test_page_and_column_breaks_inside_a_paragraph_separate_words(tmp_path: Path) -> None:
    path = _docx(tmp_path / "breaks.docx", [
        "<w:p>" + _run("Interviewer: That was the end of part one.") + '<w:r><w:br w:type="page"/></w:r>'
        + _run("Part two began after lunch.") + "</w:p>",
        "<w:p>" + _run("Kofi: Left column") + '<w:r><w:br w:type="column"/>' + '<w:t>right column.</w:t></w:r></w:p>'])
    assert _turns(path) == [("Interviewer", "That was the end of part one.\nPart two began after lunch."),
                            ("Kofi", "Left column\nright column.")]


def test_a_deleted_paragraph_mark_joins_the_paragraphs(tmp_path: Path) -> None:
    path = _docx(tmp_path / "mark.docx", [
        "<w:p>" + DELETED_MARK + _run("Kofi: I went to the") + "</w:p>",
        "<w:p>" + DELETED_MARK + _run(" clinic on") + "</w:p>",
        "<w:p>" + _run(" Monday.") + "</w:p>",
        "<w:p>" + _run("Interviewer: And then?") + "</w:p>"])
    assert _turns(path) == [("Kofi", "I went to the clinic on Monday."), ("Interviewer", "And then?")]
