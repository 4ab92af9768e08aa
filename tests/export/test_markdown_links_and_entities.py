"""The Markdown appendix links its charts whatever the file is called, and shows entities as written.

Chart links were written ``![Figure 1. …](my appendix-figure-1.png)``: CommonMark takes no space (nor
unbalanced parentheses) in a bare link destination, so with ``--out "reports/my appendix.md"`` no chart
showed and the raw text did. And ``&`` was not escaped, so a transcript line ``R&amp;D office &copy;`` was
rendered as ``R&D office ©``, though quotes are verbatim. Now destinations are written in angle brackets
(``<my appendix-figure-1.png>``, with ``<``, ``>`` and ``\\`` escaped) and ``&`` is escaped like every other mark.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from analysis.quote_support import quote_study
from thematic.export.tables import md_escape

LINE = "We met at the R&amp;D office &copy; and it was &#65;-grade, 5 < 6 & 7 > 2."


@pytest.mark.parametrize("name", ["my appendix.md", "appendix (draft 2).md", "a)b(c.md", "x<y>.md"])
def test_charts_render_and_entities_stay_verbatim(tmp_path: Path, name: str) -> None:
    study = quote_study(tmp_path, {"int-a.txt": f"Interviewer: Hi\nP01: {LINE}\n"})
    study.code("int-a:1", "trust", coder="HT")
    out = study.report_quotes(f"reports/{name}", charts=True)
    source = out.read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(source)
    images = re.findall(r'<img src="([^"]*)"', rendered)
    assert len(images) == 2
    for src in images:
        assert (out.parent / unquote(html.unescape(src))).is_file()
    quote = re.search(r"<blockquote>\s*<p>(.*?)</p>", rendered, re.S).group(1)
    assert html.unescape(quote).splitlines()[0] == f"\u201c{LINE}\u201d"
    study.close()


def test_md_escape_escapes_ampersands() -> None:
    assert md_escape("R&amp;D") == "R\\&amp;D"
    rendered = MarkdownIt("commonmark").render(md_escape("&copy; &#65; & done"))
    assert html.unescape(rendered.strip()) == "<p>&copy; &#65; & done</p>"
