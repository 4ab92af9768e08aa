"""Excel's 32,767-character cell limit counts UTF-16 units, where an emoji (or any character outside the Basic
Multilingual Plane) counts as two; thematic counted Python characters, so a long turn with emoji was "cut to fit"
yet still over the limit, or not cut at all, and Excel reported the .xlsx (a codings export, a blind coding
sheet) as damaged. Cells are now measured and cut in UTF-16 units, never inside a character."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.coding._sheet_xlsx import clean_cell_text
from thematic.ingest.export import xlsx_cell_text

LIMIT = 32_767


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("cut", [lambda s: xlsx_cell_text(s, Path("x.xlsx"), "A1")[0], clean_cell_text])
def test_a_long_text_with_emoji_is_cut_to_the_limit_in_utf16_units(cut) -> None:  # noqa: ANN001
    text = ("a word \U0001F600 " * 5000)[:30_000]  # 30,000 characters, over 32,767 UTF-16 units
    assert len(text) < LIMIT < units(text)
    out = cut(text)
    assert units(out) <= LIMIT and out.endswith("…")
    assert text.startswith(out[:-1])
    out.encode("utf-8")  # no half of a surrogate pair left at the cut


@pytest.mark.parametrize("cut", [lambda s: xlsx_cell_text(s, Path("x.xlsx"), "A1")[0], clean_cell_text])
def test_a_cut_never_splits_a_character(cut) -> None:  # noqa: ANN001
    text = "x" * (LIMIT - 2) + "\U0001F600" * 10
    out = cut(text)
    assert units(out) <= LIMIT and out.endswith("…")
    out.encode("utf-8")


def test_xlsx_cell_text_reports_the_cut() -> None:
    text = "\U0001F600" * 20_000  # 20,000 characters, 40,000 units
    out, was_cut = xlsx_cell_text(text, Path("x.xlsx"), "A1")
    assert was_cut and units(out) <= LIMIT
    short = "\U0001F600" * 16_000  # 32,000 units: fits
    assert xlsx_cell_text(short, Path("x.xlsx"), "A1") == (short, False)


def test_a_written_workbook_holds_no_cell_over_the_limit(tmp_path: Path) -> None:
    import openpyxl
    import pandas as pd


    frame = pd.DataFrame({"segment_id": ["d:1"], "text": [("turn \U0001F600 " * 6000)[:31_000]]})
    from thematic.export.tables import write_table

    out = write_table(frame, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert all(units(str(c.value)) <= LIMIT for row in ws.iter_rows() for c in row if c.value is not None)
    assert any(str(c.value).endswith("…") for row in ws.iter_rows() for c in row if c.value is not None)
