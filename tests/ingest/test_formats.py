"""PDF, OpenDocument, RTF and nested-body Word transcripts read like the .txt of the same interview.

The fixtures in fixtures/formats were written from transcript.txt (a fictional interview) by
make_formats.py with LibreOffice; the tests only read them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript
from thematic.ingest.sniff import sniff_format

from .pdfgen import lines, write_pdf

FIX = Path(__file__).parent / "fixtures" / "formats"
REPO = Path(__file__).resolve().parents[2]
PLAIN = IngestSettings(pseudonymise=False)
FORMATS = {"transcript.pdf": "pdf", "transcript.odt": "odt", "transcript.rtf": "rtf", "nested-body.docx": "docx"}


def _shape(doc):  # type: ignore[no-untyped-def]
    return [(s.speaker, s.participant_id, s.is_interviewer, s.kind, s.text) for s in doc.segments]


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("unit", ["turn", "paragraph"])
def test_same_segments_and_speakers_as_the_txt(name: str, unit: str) -> None:
    ref = read_transcript(FIX / "transcript.txt", unit=unit)
    doc = read_transcript(FIX / name, unit=unit)
    assert doc.format == FORMATS[name] == sniff_format((FIX / name).read_bytes(), name)
    assert _shape(doc) == _shape(ref) and len(doc.segments) >= 15
    assert doc.title == ref.title
    assert all(doc.text[s.start:s.end] == s.text for s in doc.segments)
    assert "Marnie" not in doc.text  # pseudonymised like the .txt


def _page_texts(path: Path) -> list[str]:
    """Each page's raw text layer (pdfplumber's own extract_text), hyphens at line ends joined."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [re.sub(r"-\n", "", p.extract_text() or "").replace("\n", " ") for p in pdf.pages]


def test_pdf_fixture_has_headers_page_numbers_and_a_speaker_column() -> None:
    pages = _page_texts(FIX / "transcript.pdf")
    assert len(pages) >= 3
    assert all("confidential transcript" in p and f"Page {i}" in p for i, p in enumerate(pages, start=1))
    doc = read_transcript(FIX / "transcript.pdf", settings=PLAIN)
    assert "confidential" not in doc.text and not re.search(r"^Page \d", doc.text, re.M)
    assert "committee" in doc.text and "comm-" not in doc.text and "full-time" in doc.text


def test_pdf_segments_cite_the_page_they_start_on() -> None:
    doc = read_transcript(FIX / "transcript.pdf", settings=PLAIN, unit="paragraph")
    starts = doc.attributes["pages"]
    pages = _page_texts(FIX / "transcript.pdf")
    assert len(starts) == len(pages) and starts == sorted(starts) and starts[0] == 0
    seen = set()
    for s in doc.segments:
        page = sum(1 for p in starts if p <= s.start)
        head = " ".join(s.text.split()[:4])
        assert head in " ".join(pages[page - 1].split()), (page, head)
        seen.add(page)
    assert len(seen) >= 3


def test_pdf_page_in_store_and_quote_locations(tmp_path: Path) -> None:
    import shutil

    import thematic

    study = thematic.init_study(tmp_path / "study")
    shutil.copy(REPO / "codebooks" / "peer-work-desistance.yaml", study.paths.codebooks / "codebook.yaml")
    shutil.copy(FIX / "transcript.pdf", study.paths.raw / "allotment.pdf")
    shutil.copy(FIX / "transcript.txt", study.paths.raw / "allotment.txt")
    # (quotes need participant ids: without any, study.quotes() hits a pandas-3 sorting bug noted separately)
    (study.paths.raw / "participants.csv").write_text("participant_id,name,role\nP01,Marnie Coyle,plot holder\n")
    assert not study.ingest().failed
    segs = study.segments()
    pdf = segs.loc[segs["document_id"] == "allotment"]
    doc = study.store.document("allotment")
    expected = [sum(1 for p in doc.attributes["pages"] if p <= s.start) for s in doc.segments]
    assert list(pdf["page"]) == expected and max(expected) >= 3
    assert segs.loc[segs["document_id"] == "allotment-txt", "page"].isna().all()
    code = study.codebook.codes[0].id
    last = pdf.loc[~pdf["is_interviewer"]].iloc[-1]
    study.code(last["segment_id"], code, coder="ann")
    txt_seg = segs.loc[(segs["document_id"] == "allotment-txt") & ~segs["is_interviewer"]].iloc[-1]
    study.code(txt_seg["segment_id"], code, coder="ann")
    quotes = study.quotes()
    where = dict(zip(quotes["document_id"], quotes["location"]))
    assert where["allotment"].endswith(f"p. {expected[int(last['index'])]}")
    assert where["allotment-txt"].endswith(f"turn {int(txt_seg['index']) + 1}")
    appendix = study.report_quotes(tmp_path / "appendix.md").read_text(encoding="utf-8")
    assert f"p. {expected[int(last['index'])]}" in appendix


def test_scanned_pdf_names_ocr() -> None:
    with pytest.raises(TranscriptParseError, match=r"\[E130\].*scanned.*OCR"):
        read_transcript(FIX / "scanned.pdf")


def test_encrypted_pdf_asks_for_a_copy_without_password() -> None:
    with pytest.raises(TranscriptParseError, match=r"\[E131\].*password"):
        read_transcript(FIX / "encrypted.pdf")


def test_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    data = (FIX / "transcript.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(TranscriptParseError, match=r"\[E104\].*PDF"):
        read_transcript(path)


def test_pdf_running_text_with_colon_labels_and_a_kept_compound_hyphen(tmp_path: Path) -> None:
    """One page, no header, a bare page number; "well-" + "known" keeps its hyphen (seen inline), so does
    "Anglo-" + "Saxon" (a capital follows)."""
    body = lines(["Interviewer: Was the well-known path busy on the day you", "visited the garden?", "",
                  "Odile: Yes, the path is well-", "known and the conver-", "sation there went on for hours.",
                  "", "Interviewer: Even the Anglo-", "Saxon part of the garden?"])
    path = write_pdf(tmp_path / "notes.pdf", [body + [(290, 40, "7", False)]])
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Was the well-known path busy on the day you visited the garden?"),
        ("Odile", "Yes, the path is well-known and the conversation there went on for hours."),
        ("Interviewer", "Even the Anglo-Saxon part of the garden?")]
    assert doc.attributes["pages"] == [0]


def test_pdf_bold_labels_and_paragraphs_across_a_page_break(tmp_path: Path) -> None:
    """Bold labels without colons; a full last line continues on the next page, a short one ends a paragraph."""
    full = "and then we walked along the canal towards the old lock keeper's cottage where"
    p1 = [(72, 780, "Ravi", True), (102, 780, "We met at the station early in the morning", False),
          (72, 766, full, False), (72, 60, "- 1 -", False)]
    p2 = [(72, 780, "the others were waiting.", False), (72, 752, "Tom", True),
          (100, 752, "How long did that take?", False), (72, 60, "- 2 -", False)]
    doc = read_transcript(write_pdf(tmp_path / "walk.pdf", [p1, p2]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Ravi", f"We met at the station early in the morning {full} the others were waiting."),
        ("Tom", "How long did that take?")]
    assert [sum(1 for p in doc.attributes["pages"] if p <= s.start) for s in doc.segments] == [1, 2]


_ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')


def _odt(path: Path, body: str, *, mimetype: str = "application/vnd.oasis.opendocument.text") -> Path:
    """An .odt whose styles.xml defines a bold named style (Strong) and a running page header."""
    import zipfile

    styles = (f'<office:document-styles {_ODF}><office:styles>'
              '<style:style style:name="Emph" style:family="text"><style:text-properties fo:font-weight="bold"/>'
              '</style:style><style:style style:name="Strong" style:family="text" style:parent-style-name="Emph"/>'
              '</office:styles><office:master-styles><style:master-page style:name="Standard"><style:header>'
              '<text:p>Running header</text:p></style:header></style:master-page></office:master-styles>'
              '</office:document-styles>')
    content = (f"<office:document-content {_ODF}><office:body><office:text>{body}</office:text></office:body>"
               "</office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", mimetype)
        zf.writestr("content.xml", content)
        zf.writestr("styles.xml", styles)
    return path


def test_odt_named_bold_style_spaces_lists_and_what_is_dropped(tmp_path: Path) -> None:
    body = ('<text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted words</text:p>'
            '</text:deletion></text:changed-region></text:tracked-changes>'
            '<text:p><text:span text:style-name="Strong">Odile</text:span> We kept<text:s text:c="2"/>bees'
            '<text:note><text:note-body><text:p>A footnote</text:p></text:note-body></text:note> there.'
            '<office:annotation><dc:creator>Ed</dc:creator><text:p>A comment</text:p></office:annotation></text:p>'
            '<text:list><text:list-item><text:p>Interviewer: Which hives?</text:p></text:list-item></text:list>'
            '<text:section><text:p>Odile: The two by the <text:span>old</text:span> wall.</text:p></text:section>')
    doc = read_transcript(_odt(tmp_path / "bees.odt", body), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Odile", "We kept  bees there."), ("Interviewer", "Which hives?"), ("Odile", "The two by the old wall.")]
    for dropped in ("Deleted", "footnote", "comment", "Running header"):
        assert dropped not in doc.text


def test_odt_table_transcript_and_key_value_header(tmp_path: Path) -> None:
    def row(*cells: str) -> str:
        return "<table:table-row>" + "".join(
            f"<table:table-cell><text:p>{c}</text:p></table:table-cell>" for c in cells) + "</table:table-row>"

    long_a = "We started the choir in the church hall because nowhere else would take twenty singers."
    long_b = "How many of the original members still come along to the rehearsals on Thursday evenings?"
    body = (f'<table:table>{row("Participant ID", "P07")}{row("Site", "Eastholm")}</table:table>'
            f'<table:table>{row("00:01:02", "Interviewer", long_b)}{row("00:01:30", "Wren", long_a)}</table:table>')
    doc = read_transcript(_odt(tmp_path / "choir.odt", body), settings=PLAIN)
    assert [(s.speaker, s.text, s.time_start) for s in doc.segments] == [
        ("Interviewer", long_b, 62.0), ("Wren", long_a, 90.0)]
    assert doc.segments[1].participant_id == "P07" and doc.attributes["site"] == "Eastholm"


def test_odt_spreadsheet_and_damaged_odt_are_coded(tmp_path: Path) -> None:
    with pytest.raises(TranscriptParseError, match=r"\[E103\].*spreadsheet"):
        read_transcript(_odt(tmp_path / "sheet.ods", "<text:p>x</text:p>",
                             mimetype="application/vnd.oasis.opendocument.spreadsheet"))
    data = (FIX / "transcript.odt").read_bytes()
    (tmp_path / "cut.odt").write_bytes(data[: len(data) // 2])
    with pytest.raises(TranscriptParseError, match=r"\[E104\]"):
        read_transcript(tmp_path / "cut.odt")
    bad = _odt(tmp_path / "bad.odt", "<text:p>unclosed")
    with pytest.raises(TranscriptParseError, match=r"\[E104\].*OpenDocument"):
        read_transcript(bad)
    bomb = _odt(tmp_path / "bomb.odt", "<text:p>x</text:p>" + " " * (8 << 20))  # 8 MiB of spaces, ~8 KB zipped
    with pytest.raises(TranscriptParseError, match=r"\[E104\].*content\.xml.*unpacks"):
        read_transcript(bomb)


def test_rtf_escapes_line_breaks_tables_and_dropped_destinations(tmp_path: Path) -> None:
    long_a = "We grew the seedlings on the windowsill of the caf\\'e9 until the frost had passed."
    long_b = "And who looked after them when the caf\\u233\\'3f closed for the winter months?"
    rtf = ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}{\\header Running header\\par}"
           "\\pard Notes from the seed swap\\par"
           "\\pard Interviewer: Where did it start?\\line Take your time.\\par"
           "\\pard Amel: At my aunt\\rquote s kitchen table{\\footnote A footnote}.\\par"
           "\\trowd\\cellx2000\\cellx8000\\pard\\intbl Amel\\cell\\pard\\intbl " + long_a + "\\par"
           "\\pard\\intbl Second paragraph.\\cell\\row"
           "\\trowd\\cellx2000\\cellx8000\\pard\\intbl Interviewer\\cell\\pard\\intbl " + long_b + "\\cell\\row"
           "\\pard Amel: {\\b Everyone} did.\\par}")
    path = tmp_path / "seeds.rtf"
    path.write_bytes(rtf.encode("ascii"))
    doc = read_transcript(path, settings=PLAIN)
    assert doc.title == "Notes from the seed swap"
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Where did it start?\nTake your time."),
        ("Amel", "At my aunt\u2019s kitchen table."),
        ("Amel", "We grew the seedlings on the windowsill of the caf\u00e9 until the frost had passed.\n\n"
                 "Second paragraph."),
        ("Interviewer", "And who looked after them when the caf\u00e9 closed for the winter months?"),
        ("Amel", "Everyone did.")]
    assert "Running header" not in doc.text and "footnote" not in doc.text


def test_rtf_table_of_short_turns_is_a_transcript(tmp_path: Path) -> None:
    """A transcription service's time | speaker | text table saved as RTF: was one unknown speaker's paragraphs."""
    rows = [("00:00:01", "Interviewer", "Tell me about the course."), ("00:00:09", "Respondent", "A reason to get up."),
            ("00:00:20", "Interviewer", "Anything else?"), ("00:00:25", "Respondent", "The vetting.")]
    rtf = "{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Interview 4\\par" + "".join(
        f"\\trowd\\cellx1500\\cellx3500\\cellx9000\\intbl {t}\\cell {who}\\cell {said}\\cell\\row" for t, who, said in rows
    ) + "}"
    path = tmp_path / "service.rtf"
    path.write_bytes(rtf.encode("ascii"))
    doc = read_transcript(path, settings=PLAIN)
    assert doc.title == "Interview 4"
    assert [(s.speaker, s.time_start, s.text) for s in doc.segments] == [
        (who, float(int(t[-2:])), said) for t, who, said in rows]


def test_rtf_tracked_deletions_are_dropped(tmp_path: Path) -> None:
    """striprtf keeps the text of \\deleted runs: a checked transcript quoted words its checker removed."""
    rtf = ("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard Interviewer: How did it go?\\par"
           "\\pard Dana: It went {\\revised really well}{\\deleted\\revauthdel1 badly, caf\\'e9} in the end"
           "\\deleted  worse\\deleted0 .\\par}")
    path = tmp_path / "checked.rtf"
    path.write_bytes(rtf.encode("ascii"))
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "How did it go?"), ("Dana", "It went really well in the end.")]


def test_rtf_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.rtf"
    path.write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\pard\\par}")
    with pytest.raises(TranscriptParseError, match=r"\[E100\]"):
        read_transcript(path)


def test_nested_body_docx_fixture_is_invisible_to_python_docx() -> None:
    import docx

    paragraphs = [p.text for p in docx.Document(str(FIX / "nested-body.docx")).paragraphs if p.text.strip()]
    assert len(paragraphs) == 1  # the title: every turn sits in a nested <w:body>
    doc = read_transcript(FIX / "nested-body.docx")
    assert not doc.warnings and len(doc.segments) == 15


def test_docx_with_most_text_outside_python_docx_view_is_read_from_the_xml(tmp_path: Path) -> None:
    """One visible paragraph must not hide the rest (here wrapped in <w:customXml>): W105 and the XML walk."""
    import zipfile

    from .helpers import make_docx

    path = make_docx(tmp_path / "story.docx", ["Visit 3 notes", "Interviewer: Are you comfortable talking here?",
                                               "Tove: Yes thanks, the garden is quiet in the mornings."])
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    xml = files["word/document.xml"].decode()
    first = xml.index("</w:p>") + len("</w:p>")
    sect = xml.index("<w:sectPr")
    files["word/document.xml"] = (xml[:first] + '<w:customXml w:element="story">' + xml[first:sect]
                                  + "</w:customXml>" + xml[sect:]).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    doc = read_transcript(path, settings=PLAIN)
    assert doc.title == "Visit 3 notes"
    assert [(s.speaker, s.text) for s in doc.segments] == [
        ("Interviewer", "Are you comfortable talking here?"), ("Tove", "Yes thanks, the garden is quiet in the mornings.")]
    assert any(w.startswith("[W105]") for w in doc.warnings)


def test_pdf_time_speaker_text_columns_with_a_wrapped_name_and_running_header(tmp_path: Path) -> None:
    """A three-column table (time | speaker | text) over two pages; "Harriet" / "Okonkwo-Bell" wraps in its cell."""
    def page(n: int, rows: list[tuple[str, list[str], list[str]]]) -> list:  # type: ignore[type-arg]
        runs = [(72, 800, "Choir study - transcript 4", False), (290, 40, f"Page {n} of 2", False)]
        y = 770.0
        for time, names, texts in rows:
            runs.append((72, y, time, False))
            runs += [(130, y - 13 * i, name, False) for i, name in enumerate(names)]
            runs += [(230, y - 13 * i, text, False) for i, text in enumerate(texts)]
            y -= 13 * max(len(names), len(texts)) + 10
        return runs

    p1 = page(1, [("00:00:05", ["Interviewer"], ["When did you first join the", "choir at the chapel?"]),
                  ("00:00:12", ["Harriet", "Okonkwo-Bell"], ["About nine years ago, after my", "sister moved away."])])
    p2 = page(2, [("00:01:40", ["Interviewer"], ["And what keeps you coming back", "each week?"]),
                  ("00:01:47", ["Harriet", "Okonkwo-Bell"], ["The tea afterwards, honestly."])])
    doc = read_transcript(write_pdf(tmp_path / "choir.pdf", [p1, p2]), settings=PLAIN)
    assert [(s.speaker, s.time_start, s.text) for s in doc.segments] == [
        ("Interviewer", 5.0, "When did you first join the choir at the chapel?"),
        ("Harriet Okonkwo-Bell", 12.0, "About nine years ago, after my sister moved away."),
        ("Interviewer", 100.0, "And what keeps you coming back each week?"),
        ("Harriet Okonkwo-Bell", 107.0, "The tea afterwards, honestly.")]
    assert "Choir study" not in doc.text and "Page" not in doc.text


def test_pdf_dense_table_of_one_line_turns_keeps_each_speaker(tmp_path: Path) -> None:
    """Rows with no spacing between them (Word's default table): each row is a new turn, not a wrapped name."""
    rows = [("Interviewer", "Did you sing as a child?"), ("Wren", "Only in the car."), ("Interviewer", "Why the car?"),
            ("Wren", "Nobody could hear me over the engine."), ("Interviewer", "That makes sense.")]
    runs = [run for i, (who, text) in enumerate(rows) for run in ((72, 780 - 13 * i, who, False),
                                                                    (170, 780 - 13 * i, text, False))]
    doc = read_transcript(write_pdf(tmp_path / "dense.pdf", [runs]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == rows
