"""Otter/Sonix-style PDF transcripts keep the ``Speaker N  m:ss`` lines that fall at a page's top or bottom.

Was wrong: a line among the first or last two of a page counted as a running header when it recurred
"digits aside" on half the pages; every timestamped label line reads ``speaker # #:##`` once digits are
masked, so label lines at page edges were dropped and their utterances filed under the previous speaker.
A label line with its utterance right below it (no gap) was also joined to it, so no speaker was found.
Now: a line opening a turn with a label the body of the file also uses is never a header; a header must
be the same line on more than half of the pages (a number in it may only count the pages); a label
alone on its line is a paragraph of its own. Real running headers and ``Page n of N`` footers still go.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.config import IngestSettings
from thematic.ingest import read_transcript

from .pdfgen import write_pdf

PLAIN = IngestSettings(pseudonymise=False)
WORDS = "we went to the centre most weeks and the staff were kind to us although the waiting was long".split()


def _utterance(i: int) -> list[str]:
    """Turn ``i``'s words as wrapped lines (lengths vary so that label lines land at page edges)."""
    n = (20, 45, 70, 30, 60)[i % 5]
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)]
    text = " ".join(words).capitalize() + "."
    lines, cur = [], ""
    for w in text.split():
        if cur and len(cur) + len(w) + 1 > 80:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return lines + [cur]


def _transcript(label_gap: float) -> tuple[list[list[tuple]], list[tuple[str, str]], int]:
    """Pages of runs (header, footer, 40 turns), the turns written, and how many label lines sit at an edge."""
    truth, pages, page, y, t, at_edge = [], [], [], 760.0, 3, 0

    def new_page() -> None:
        nonlocal page, y
        pages.append(page)
        page, y = [], 760.0

    for i in range(40):
        who = f"Speaker {1 + i % 2}"
        lines = _utterance(i)
        truth.append((who, " ".join(lines)))
        for j, text in enumerate([f"{who}  {t // 60}:{t % 60:02d}"] + lines):
            if y < 90:
                new_page()
            page.append((60.0, y, text, False))
            y -= 15 + (label_gap if j == 0 else 0)
        y -= 10
        t += 37
    new_page()
    for n, runs in enumerate(pages, start=1):
        labels = [k for k, r in enumerate(runs) if r[2].startswith("Speaker ")]
        at_edge += sum(1 for k in labels if k < 2 or k >= len(runs) - 2)
        runs.insert(0, (60.0, 800.0, "Community centre study - interview 4", False))
        runs.append((270.0, 40.0, f"Page {n} of {len(pages)}", False))
    return pages, truth, at_edge


@pytest.mark.parametrize("label_gap", [10.0, 0.0], ids=["gap-after-label", "utterance-right-below"])
def test_label_lines_at_page_edges_are_kept(tmp_path: Path, label_gap: float) -> None:
    pages, truth, at_edge = _transcript(label_gap)
    assert len(pages) >= 5 and at_edge >= 3  # the layout puts label lines where headers are looked for
    doc = read_transcript(write_pdf(tmp_path / "otter.pdf", pages), settings=PLAIN)
    assert [(s.speaker, s.text) for s in doc.segments] == truth
    assert [s.time_start for s in doc.segments][:3] == [3.0, 40.0, 77.0]
    assert "Community centre study" not in doc.text and "Page " not in doc.text


def test_short_turn_opening_most_pages_is_not_a_header(tmp_path: Path) -> None:
    """``Interviewer: Okay.`` at the top of both pages (the docs used to warn it would be dropped) is kept."""
    said = [["Okay.", "We started in the spring.", "And then?", "Then the rain came.", "And after?", "We dug."],
            ["Okay.", "So we stopped for a while.", "Thanks.", "That was all.", "Anything else?", "No."]]
    pages = [[(60.0, 780.0 - 25 * i, f"{('Interviewer', 'Noor')[i % 2]}: {text}", False) for i, text in enumerate(page)]
             for page in said]
    doc = read_transcript(write_pdf(tmp_path / "okay.pdf", pages), settings=PLAIN)
    assert [s.text for s in doc.segments] == said[0] + said[1]
