"""With unit = "sentence" or "paragraph", a location says which sentence or paragraph, not "turn".

``segment_location`` printed ``turn {index + 1}`` whatever the unit, and the index counts segments: in a
transcript of four turns, a quote from the fourth was located at "turn 9" (sentences) or "turn 5"
(paragraphs), in the appendix, the codings export and the workbook alike, so a reader looked for a turn that
does not exist. Now the location names what it counts: ``sentence 9`` / ``paragraph 5`` (every speaker's
sentences or paragraphs in the document, as turns count every speaker's turns), and a coding over several
reads ``sentences 8-9``; with unit = "turn" it is ``turn 4`` as before.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.quote_support import quote_study, segment_of
from thematic.analysis.quotes import segment_location, span_location

TRANSCRIPT = """\
Interviewer: Hello. How are you today? Tell me about it.

P01: I am fine. Trust is hard.

Staff never listen. Money is short.

Interviewer: Why is that?

P01: Because nobody cares. That is all.
"""


@pytest.mark.parametrize(("unit", "where"), [("sentence", "sentence 9"), ("paragraph", "paragraph 5"),
                                             ("turn", "turn 4")])
def test_quote_and_codings_export_locate_by_the_unit(tmp_path: Path, unit: str, where: str) -> None:
    study = quote_study(tmp_path, {"int-01.txt": TRANSCRIPT}, unit=unit)
    study.code(segment_of(study, "int-01", "Because"), "trust", coder="HT")
    quotes = study.quotes()
    assert list(quotes["location"]) == [f"Interview 1, {where}"]
    out = study.export_codings(tmp_path / "codings.csv")
    assert list(pd.read_csv(out, encoding="utf-8-sig")["location"]) == [where]
    book = study.report_workbook(tmp_path / "tables.xlsx", n_boot=0)
    sheet = pd.read_excel(book, sheet_name="Codings")
    assert list(sheet["location"]) == [where]
    study.close()


def test_a_coding_over_two_sentences_names_both(tmp_path: Path) -> None:
    study = quote_study(tmp_path, {"int-01.txt": TRANSCRIPT}, unit="sentence")
    text = study.store.document_text("int-01")
    start = text.index("Staff never")
    study.code(("int-01", start, text.index("short.") + len("short.")), "trust", coder="HT")
    out = study.export_codings(tmp_path / "codings.csv")
    assert list(pd.read_csv(out, encoding="utf-8-sig")["location"]) == ["sentences 6-7"]
    study.close()


def test_segment_location_by_kind() -> None:
    assert segment_location(8, None, "sentence") == "sentence 9"
    assert segment_location(4, None, "paragraph") == "paragraph 5"
    assert segment_location(3, None, "turn") == "turn 4"
    assert segment_location(3, None) == "turn 4"
    assert span_location("paragraph 2", "paragraph 4") == "paragraphs 2-4"
    assert span_location("turn 2", "turn 4") == "turns 2-4"
