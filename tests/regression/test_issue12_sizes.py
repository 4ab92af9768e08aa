"""Issue 12 item 4: small files that would expand to gigabytes, and regexes that backtrack forever, are refused."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from thematic.errors import CodebookError, InputError, StudyError


def _docx(path: Path, text: str) -> None:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(path)


def docx_bomb(path: Path, mb: int) -> None:
    """A real .docx whose document.xml is inflated to ``mb`` megabytes of repeated paragraphs (a few KB on disk)."""
    _docx(path, "Interviewer: Hi?\nAsh: Hello.")
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    para = b'<w:p><w:r><w:t>Ash: again and again and again.</w:t></w:r></w:p>'
    body = para * (mb * 1024 * 1024 // len(para))
    xml = members["word/document.xml"]
    cut = xml.index(b"<w:body>") + len(b"<w:body>")
    members["word/document.xml"] = xml[:cut] + body + xml[cut:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def xlsx_bomb(path: Path, mb: int) -> None:
    """A real .xlsx whose first sheet is inflated to ``mb`` megabytes of rows (a few hundred KB on disk)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["segment_id", "decision"])
    book.save(path)
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    row = b'<row><c t="inlineStr"><is><t>again and again and again</t></is></c></row>'
    xml = members["xl/worksheets/sheet1.xml"]
    cut = xml.index(b"</sheetData>")
    members["xl/worksheets/sheet1.xml"] = xml[:cut] + row * (mb * 1024 * 1024 // len(row)) + xml[cut:]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_issue12_docx_expanding_past_the_limit_is_refused_and_the_rest_ingested(study) -> None:
    docx_bomb(study.paths.raw / "bomb.docx", 70)
    assert (study.paths.raw / "bomb.docx").stat().st_size < 2 * 1024 * 1024
    _docx(study.paths.raw / "fine.docx", "Interviewer: Hi?\nAsh: A normal answer.")
    report = study.ingest()
    by = {r.path: r for r in report.rows}
    assert by["data/raw/fine.docx"].status == "new"
    err = by["data/raw/bomb.docx"].error
    assert err.startswith("[E038]") and "word/document.xml" in err and "64.0 MB" in err and "max_file_mb" in err


def _limits(study, text: str) -> None:  # noqa: ANN001
    path = study.root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8").split("[limits]")[0] + "[limits]\n" + text, encoding="utf-8")


def test_issue12_limits_come_from_thematic_toml(study) -> None:
    from thematic.study import Study

    _limits(study, "max_file_mb = 1\nmax_archive_mb = 2\n")
    (study.paths.raw / "long.txt").write_text("Ash: " + "words " * 400_000 + "\n", encoding="utf-8")
    (study.paths.raw / "short.txt").write_text("Ash: a few words.\n", encoding="utf-8")
    s = Study(study.root)
    report = s.ingest()
    by = {r.path: r for r in report.rows}
    assert by["data/raw/short.txt"].status == "new"
    assert by["data/raw/long.txt"].error.startswith("[E038]") and "1.0 MB" in by["data/raw/long.txt"].error
    s.close()


@pytest.mark.parametrize("text", ["max_file_mb = -1\n", "max_file_mb = \"big\"\n", "max_filemb = 3\n"])
def test_issue12_bad_limits_are_coded(study, text: str) -> None:
    from thematic.config import load_config

    _limits(study, text)
    with pytest.raises(StudyError, match=r"^\[E0(39|04)\]"):
        load_config(study.root / "thematic.toml")


def test_issue12_refi_xml_over_the_study_limit_is_refused(study, tmp_path: Path) -> None:
    from thematic.refi import import_refi

    _limits(study, "max_file_mb = 1\n")
    filler = os.urandom(900_000).hex()  # 1.8 MB that does not compress: under any ratio cap
    xml = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
           f'<Description>{filler}</Description></Project>')
    qdpx = tmp_path / "big.qdpx"
    with zipfile.ZipFile(qdpx, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
    with pytest.raises(InputError, match=r"^\[E503\].*1048576"):
        import_refi(qdpx, study.root)


def test_issue12_codebook_regex_with_nested_repeat_is_refused(tmp_path: Path) -> None:
    from thematic.codebook import load_codebook

    path = tmp_path / "cb.yaml"
    path.write_text("""\
name: x
version: 1.0.0
themes:
- id: t
  label: T
  definition: t.
codes:
- id: a
  label: A
  parent: t
  definition: a.
  patterns:
  - [{"TEXT": {"REGEX": "^(a+)+$"}}]
  - [{"LOWER": {"REGEX": "^vet(ted|ting)?$"}}]
""", encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    problems = info.value.problems
    assert [p.code for p in problems] == ["E040"] and "(a+)+" in str(info.value)


def pdf_bomb(path: Path, mb: int) -> None:
    """A PDF whose one page's content stream is a few KB on disk and inflates to ``mb`` megabytes."""
    import zlib

    from ingest.pdfgen import assemble

    content = b"BT /F1 12 Tf 72 720 Td (Ash: hello.) Tj ET\n" + b" " * (mb * 1024 * 1024)
    stream = zlib.compress(content, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(assemble(objects))


def test_issue12_pdf_whose_streams_inflate_past_the_limit_is_refused_and_the_rest_ingested(study) -> None:
    from thematic.study import Study

    _limits(study, "max_file_mb = 2\n")
    pdf_bomb(study.paths.raw / "bomb.pdf", 8)
    pdf_bomb(study.paths.raw / "small.pdf", 1)
    assert (study.paths.raw / "bomb.pdf").stat().st_size < 64 * 1024
    (study.paths.raw / "short.txt").write_text("Ash: a few words.\n", encoding="utf-8")
    s = Study(study.root)
    by = {r.path: r for r in s.ingest().rows}
    s.close()
    assert by["data/raw/short.txt"].status == "new" and by["data/raw/small.pdf"].status == "new"
    err = by["data/raw/bomb.pdf"].error
    assert err.startswith("[E038]") and "compressed stream" in err and "max_file_mb" in err


def test_issue12_real_pdfs_pass_the_stream_check() -> None:
    from thematic._limits import SizeLimits, check_pdf

    for name in ("transcript.pdf", "scanned.pdf"):
        data = (Path(__file__).parent.parent / "ingest" / "fixtures" / "formats" / name).read_bytes()
        check_pdf(data, name, SizeLimits(max_file_mb=1, max_archive_mb=2))


def _sparse(path: Path, mb: int, head: bytes = b"") -> None:
    """A file of ``mb`` megabytes on disk as stat() reports it (sparse: instant to write)."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(mb * 1024 * 1024)


def test_study_files_larger_than_the_limit_are_refused_before_they_are_read(study, tmp_path: Path) -> None:
    """participants.csv/.xlsx, the codebook and a gold file were read whole, whatever their size."""
    from thematic.codebook import load_codebook, validate_codebook
    from thematic.coding.evaluate import read_gold

    big = tmp_path / "codebook.yaml"
    _sparse(big, 65, b"name: x\n")
    # a codebook has its own 2 MB limit (E211): raising max_file_mb could not help, so it is not advised
    with pytest.raises(CodebookError, match=r"\[E211\].*codebook.yaml.*2 MB"):
        load_codebook(big)
    assert [p.code for p in validate_codebook(big)] == ["E211"] and "2 MB" in validate_codebook(big)[0].message
    gold = tmp_path / "gold.jsonl"
    _sparse(gold, 65)
    with pytest.raises(InputError, match=r"\[E038\].*gold.jsonl"):
        read_gold(gold)
    _sparse(study.paths.raw / "participants.csv", 65, b"participant_id,role\n")
    with pytest.raises(InputError, match=r"\[E038\].*participants.csv"):
        study.ingest()
    (study.paths.raw / "participants.csv").unlink()
    xlsx_bomb(study.paths.raw / "participants.xlsx", 70)  # a workbook that expands past the limit
    with pytest.raises(InputError, match=r"\[E038\].*participants.xlsx"):
        study.ingest()
    assert study.store.documents().empty  # nothing ingested


def test_a_coding_sheet_or_decision_workbook_that_expands_past_the_limit_is_refused(study, tmp_path: Path) -> None:
    """A workbook sent back by a coder was opened whatever it unzipped to."""
    from thematic.codebook import loads_codebook
    from thematic.coding.sheet import import_sheet
    from thematic.reconcile import import_reconcile

    from .unlike_example import CODEBOOK

    bomb = tmp_path / "coding-SO.xlsx"
    xlsx_bomb(bomb, 70)
    codebook = loads_codebook(CODEBOOK, path="small.yaml")
    with pytest.raises(InputError, match=r"\[E415\].*coding-SO.xlsx"):
        import_sheet(study.store, bomb, coder="SO", codebook=codebook)
    with pytest.raises(InputError, match=r"\[E415\].*coding-SO.xlsx"):
        import_reconcile(study.store, bomb, decided_by="HT", coders=["HT", "SO"])
