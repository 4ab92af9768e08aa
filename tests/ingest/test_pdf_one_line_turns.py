"""A PDF whose turns are mostly one line keeps every turn and speaker.

Was wrong: the line spacing was the median of all line-to-line steps, so where most paragraphs are one
line it was the paragraph gap; every line then counted as the next line of one paragraph and a whole
back-and-forth became one interviewer turn (``… Shall we start? P03: Yes, fine. Interviewer: …``).
Now: the line spacing is the smallest step that follows full lines (the spacing inside paragraphs), and
where no paragraph has two lines a step as wide as a paragraph gap ends the paragraph; paragraphs of
several lines are still joined, also at 1.5 line spacing and under a title block in a smaller font.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

from .pdfgen import assemble, write_pdf

PLAIN = IngestSettings(pseudonymise=False)


def _layout(paragraphs: list[list[str]], *, lead: float, gap: float, top: float = 780.0) -> list[tuple]:
    """Lines placed as a word processor does: ``lead`` points between lines, ``gap`` more after a paragraph."""
    runs, y = [], top
    for para in paragraphs:
        for line in para:
            runs.append((60.0, y, line, False))
            y -= lead
        y -= gap
    return runs


TURNS = [["Interviewer: Thanks for coming in today. Shall we start?"], ["Rosalind: Yes, fine."],
         ["Interviewer: How long have you lived in the area?"], ["Rosalind: About six years now."],
         ["Interviewer: And do you use the community centre?"],
         ["Rosalind: Sometimes, mostly for the food bank on Thursdays when the bus is running on time and",
          "the weather is not too bad."],
         ["Interviewer: What stops you going more?"], ["Rosalind: Work, mainly."]]


def _expected(turns: list[list[str]]) -> list[tuple[str, str]]:
    return [(t[0].split(":")[0], " ".join(t).split(": ", 1)[1]) for t in turns]


def test_mostly_one_line_turns_keep_every_speaker(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "short.pdf", [_layout(TURNS, lead=14.7, gap=10)])
    doc = read_transcript(pdf, settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == _expected(TURNS)


def test_only_one_line_turns_with_space_after_each_paragraph(tmp_path: Path) -> None:
    """Word's default style: no paragraph has two lines, each is followed by space; every step is a paragraph gap."""
    turns = [t for t in TURNS if len(t) == 1]
    doc = read_transcript(write_pdf(tmp_path / "word.pdf", [_layout(turns, lead=14.5, gap=8)]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == _expected(turns)


def test_long_turns_at_one_and_a_half_spacing_stay_joined(tmp_path: Path) -> None:
    turns = [["Interviewer: Could you tell me about the first time you went to the garden on the hill",
              "and who you met there on that morning?"],
             ["Rosalind: It was a grey morning in spring and the gate was open, so I walked in and found",
              "two women planting beans along the wall, and they asked me to help with the watering, which",
              "I did, and I have been going back every week since then."],
             ["Interviewer: Thank you."]]
    doc = read_transcript(write_pdf(tmp_path / "wide.pdf", [_layout(turns, lead=19.0, gap=12)]), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == _expected(turns)


def _sized_pdf(path: Path, runs: list[tuple[float, float, str, float]]) -> Path:
    """One page of Helvetica runs (x, y, text, font size): sizes differ, which pdfgen's writer does not do."""
    ops = "".join(f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET\n" for x, y, text, size in runs).encode("cp1252")
    return Path(path).write_bytes(assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"endstream"])) and path


def test_small_print_title_block_does_not_set_the_line_spacing(tmp_path: Path) -> None:
    """Three 8 pt title lines 9.5 pt apart above 11 pt turns 14.7 pt apart: the turns' lines still join."""
    runs = [(60.0, 800 - 9.5 * i, text, 8.0) for i, text in
            enumerate(["Garden study", "Interview 12, recorded in March", "Transcribed by the team"])]
    turns = [["Interviewer: Could you tell me about the first time you went to the garden on the hill",
              "and who you met there?"], ["Rosalind: Two women planting beans along the wall.", "They asked me in."],
             ["Interviewer: Thank you."]]
    runs += [(x, y, text, 11.0) for x, y, text, _ in _layout(turns, lead=14.7, gap=10, top=740)]
    doc = read_transcript(_sized_pdf(tmp_path / "title.pdf", runs), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == _expected(turns)
