"""Helpers that write fictional fixture files (real .docx and .xlsx) for the ingest tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable


def make_docx(path: Path, blocks: Iterable[object]) -> Path:
    """Write a .docx: each block is a str (a paragraph), a list of (text, bold) runs, or a table (list of rows)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif isinstance(block, list) and block and isinstance(block[0], tuple):
            p = document.add_paragraph()
            for text, bold in block:
                p.add_run(text).bold = bold
        elif isinstance(block, list):
            rows = block
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def make_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "Sheet1") -> Path:
    """Write an .xlsx whose first sheet holds ``rows`` (strings starting with '=' are formulas)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


INTERVIEW = """Interview with Rowan, Brackley Hall, 3 May 2024

Interviewer: Thanks for coming in, Rowan. How did you first hear about the mentoring scheme?

Rowan: A lad on my wing told me about it. He said the mentors had all been inside themselves.
I didn't believe him at first.

Interviewer: And what changed your mind?

Rowan: Meeting Tamsin at the gate. She'd done the same sentence as me.
"""
