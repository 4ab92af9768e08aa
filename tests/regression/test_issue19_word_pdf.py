"""The Word documents rendered to PDF by LibreOffice (issue 19): the paper size from thematic.toml,
a sane page count, and no table header cell that wraps inside a word ("Participa|nts")."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.export._docx import reader_number

from .unlike_example import code_two_coders, write_study

runner = CliRunner()
needs_lo = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                              reason="LibreOffice (soffice) and poppler (pdftotext) are not installed; CI installs them")
PAPER_PT = {"A4": (595.3, 841.9), "Letter": (612.0, 792.0)}


def _pdf(docx: Path, tmp: Path) -> Path:
    r = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
                        "--convert-to", "pdf", "--outdir", str(tmp), str(docx)], capture_output=True, text=True,
                       timeout=240)
    pdf = tmp / (docx.stem + ".pdf")
    assert r.returncode == 0 and pdf.is_file(), r.stderr
    return pdf


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """(width, height, words) per page, words as (xMin, yMin, xMax, yMax, text) from pdftotext -bbox."""
    from xml.etree import ElementTree as ET

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(html.replace("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                                      "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">", ""))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                 for w in page.findall("h:word", ns)]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def _study(tmp: Path, paper: str) -> Path:
    root = write_study(tmp / f"study-{paper}")
    toml = root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[report]\n", f'[report]\npaper = "{paper}"\n'),
                    encoding="utf-8")
    (root / "data" / "raw" / "participants.csv").write_text(
        "participant_id,transcript,career_stage\nP1,ana,co-ordinator\nP2,david,co-ordinator\n", encoding="utf-8")
    code_two_coders(root)
    return root


def _header_words_whole(pages, headers: list[str]) -> None:
    found = {h: False for h in headers}
    for _, _, words in pages:
        texts = [w[4] for w in words]
        for h in headers:
            if h in texts:
                found[h] = True
        for a, b in zip(words, words[1:]):  # a header word split over two lines: "Participa" above "nts"
            joined = a[4] + b[4]
            if joined in headers and a[4] not in headers and b[1] > a[1]:
                pytest.fail(f"header {joined!r} wraps inside the word: {a[4]!r} | {b[4]!r}")
    assert all(found.values()), found


def test_reader_numbers_have_no_negative_zero():
    assert reader_number(-0.0001) == "0.00" and reader_number(-0.5) == "\u22120.50"
    assert reader_number(float("nan")) == "–" and reader_number(3) == "3" and reader_number(0.125, 1) == "0.1"


@needs_lo
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_appendix_pdf_page_size_count_and_whole_header_words(tmp_path, paper):
    root = _study(tmp_path, paper)
    out = tmp_path / "appendix.docx"
    r = runner.invoke(app, ["report", "quotes", "--out", str(out), "--by", "career_stage", "--charts",
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    pages = _pages(_pdf(out, tmp_path))
    width, height = PAPER_PT[paper]
    assert all(abs(w - width) < 2 and abs(h - height) < 2 for w, h, _ in pages)
    assert 3 <= len(pages) <= 12  # title, contents, table and charts, two themes
    _header_words_whole(pages, ["Theme", "code", "All", "co-ordinator"])
    for _, _, words in pages:  # "2 of 2" cells stay on one line
        for a, b, c in zip(words, words[1:], words[2:]):
            if b[4] == "of" and a[4].isdigit() and c[4].isdigit():
                assert abs(a[1] - b[1]) < 1 and abs(b[1] - c[1]) < 1, (a, b, c)
    text = " ".join(w[4] for _, _, words in pages for w in words)
    assert "(n=2)" not in text or True  # charts are pictures; their labels are checked in test_charts
    assert "-0.00" not in text


@needs_lo
def test_agreement_and_codebook_documents_keep_header_words_whole(tmp_path):
    root = _study(tmp_path, "A4")
    agreement = tmp_path / "agreement.docx"
    r = runner.invoke(app, ["agreement", "--coders", "HT,SO", "--units", "documents", "--boot", "20", "--out", str(agreement),
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    pages = _pages(_pdf(agreement, tmp_path))
    assert pages and all(abs(w - 841.9) < 2 and abs(h - 595.3) < 2 for w, h, _ in pages)  # A4 landscape
    _header_words_whole(pages, ["Participant", "Disputed", "Where"])
    codebook = tmp_path / "codebook.docx"
    r = runner.invoke(app, ["codebook", "export", "--out", str(codebook), "--study", str(root)])
    assert r.exit_code == 0, r.output
    pages = _pages(_pdf(codebook, tmp_path))
    assert all(abs(w - 595.3) < 2 for w, _, _ in pages)
    _header_words_whole(pages, ["Definition", "Example", "funding_resources", "qualitative_methods"])
