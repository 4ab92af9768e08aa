"""Text formatted Hidden (Word's Font ▸ Hidden, ``w:vanish``; LibreOffice's hidden character attribute,
``text:display="none"``, hidden paragraphs and sections; RTF ``\\v``) is neither shown nor printed, yet it was
stored as the participant's words and quoted in reports; a transcriber's hidden note, or a name someone hid
before sharing the file, went into the study. Hidden text is now left out, and warning W548 names the file and
how many characters were left out (never the hidden words themselves); a file of nothing but hidden text is E100
saying so."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.errors import TranscriptParseError
from thematic.ingest import read_transcript

PLAIN = IngestSettings(pseudonymise=False)
NOTE = " [transcriber: she named the nurse, Mrs Okafor, check audio]"
EXPECTED = [("Interviewer", "How was the clinic?"), ("Dara", "The staff did not listen. That changed later.")]


def _w548(doc: object, path: Path) -> str:
    found = [w for w in doc.warnings if w.startswith("[W548]")]  # type: ignore[attr-defined]
    assert len(found) == 1 and str(path) in found[0], doc.warnings  # type: ignore[attr-defined]
    assert "Okafor" not in found[0]
    return found[0]


def test_docx_hidden_runs_styles_and_paragraphs_are_left_out(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    secret = document.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    note_style = document.styles.add_style("Transcriber note", WD_STYLE_TYPE.PARAGRAPH)
    note_style.font.hidden = True
    document.add_paragraph("Interviewer: How was the clinic?")
    document.add_paragraph("[note: second recorder ran from here, ask Mr Adeyemi]", style=note_style)
    p = document.add_paragraph("Dara: The staff did not listen.")
    p.add_run(NOTE).font.hidden = True
    p.add_run(" That changed")
    p.add_run(" (Mrs Okafor)", style=secret)
    p.add_run(" later.")
    path = tmp_path / "hidden.docx"
    document.save(path)
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert "Okafor" not in doc.text and "Adeyemi" not in doc.text
    expected_n = len(NOTE) + len(" (Mrs Okafor)") + len("[note: second recorder ran from here, ask Mr Adeyemi]")
    assert f" {expected_n} character" in _w548(doc, path)


def test_docx_run_unhidden_against_its_style_is_read(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    secret = document.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    document.add_paragraph("Interviewer: How was the clinic?")
    p = document.add_paragraph("Dara: The staff did not listen.")
    p.add_run(" That changed later.", style=secret).font.hidden = False
    path = tmp_path / "shown.docx"
    document.save(path)
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert not [w for w in doc.warnings if w.startswith("[W548]")]


NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def test_odt_hidden_spans_paragraphs_and_sections_are_left_out(tmp_path: Path) -> None:
    styles = ('<office:automatic-styles>'
              '<style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/>'
              '</style:style>'
              '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Hidden note"/>'
              '</office:automatic-styles>')
    named = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NS}><office:styles>'
             '<style:style style:name="Hidden note" style:family="paragraph">'
             '<style:text-properties text:display="none"/></style:style>'
             '</office:styles></office:document-styles>')
    body = ('<text:p>Interviewer: How was the clinic?</text:p>'
            '<text:p text:style-name="P1">[note: ask Mr Adeyemi]</text:p>'
            '<text:p><text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/>'
            'Hidden paragraph naming Mrs Okafor</text:p>'
            '<text:section text:name="S1" text:display="none"><text:p>Section naming Mrs Okafor</text:p>'
            '</text:section>'
            f'<text:p>Dara: The staff did not listen.<text:span text:style-name="T1">{NOTE}</text:span>'
            ' That changed<text:hidden-text text:condition="ooow:1" text:string-value=" (Okafor)" '
            'text:is-hidden="true"> (Okafor)</text:hidden-text> later.</text:p>')
    path = tmp_path / "hidden.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("styles.xml", named)
        zf.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
                                   f"{styles}<office:body><office:text>{body}</office:text></office:body>"
                                   "</office:document-content>")
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert "Okafor" not in doc.text and "Adeyemi" not in doc.text
    _w548(doc, path)


def test_rtf_hidden_text_is_left_out(tmp_path: Path) -> None:
    rtf = (r"{\rtf1\ansi\deff0{\fonttbl{\f0 Calibri;}}" "\n"
           r"\pard\plain Interviewer: How was the clinic?\par" "\n"
           r"\pard\plain Dara: The staff did not listen.{\v" + NOTE + r"} That changed"
           r"\v  (Mrs Okafor)\v0  later.\par" "\n"
           r"\pard\plain\v [note: ask Mr Adeyemi]\par" "\n}")
    path = tmp_path / "hidden.rtf"
    path.write_text(rtf, encoding="latin-1")
    doc = read_transcript(path, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
    assert "Okafor" not in doc.text and "Adeyemi" not in doc.text
    _w548(doc, path)


def test_files_without_hidden_text_give_no_warning(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: How was the clinic?")
    document.add_paragraph("Dara: The staff did not listen. That changed later.")
    document.save(tmp_path / "plain.docx")
    (tmp_path / "plain.rtf").write_text(r"{\rtf1\ansi Interviewer: How was the clinic?\par "
                                        r"Dara: The staff did not listen. That changed later.\par}")
    for name in ("plain.docx", "plain.rtf"):
        doc = read_transcript(tmp_path / name, settings=PLAIN)
        assert [(s.speaker, s.text) for s in doc.segments] == EXPECTED
        assert not [w for w in doc.warnings if w.startswith("[W548]")]


def test_a_file_of_only_hidden_text_is_e100_saying_so(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Dara: notes naming Mrs Okafor").font.hidden = True
    document.save(tmp_path / "allhidden.docx")
    (tmp_path / "allhidden.rtf").write_text(r"{\rtf1\ansi {\v Dara: notes naming Mrs Okafor}\par}")
    for name in ("allhidden.docx", "allhidden.rtf"):
        with pytest.raises(TranscriptParseError, match=r"\[E100\].*allhidden.*formatted Hidden") as err:
            read_transcript(tmp_path / name, settings=PLAIN)
        assert "Okafor" not in str(err.value)
