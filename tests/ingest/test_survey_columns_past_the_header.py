"""Answers in columns to the right of the header row's last title are read, not dropped.

The header row decided which columns existed, so a merged title over the last two columns (the questions in
row 2, ``header_rows = 2``) lost the last column, and a CSV whose header row was one cell short lost its last
column: no segment, no attribute, no warning. Now the table is as wide as its widest row: a column without a
title is ``column N`` (as an empty header cell already was), and its question comes from the second header
row where there is one.
"""

from __future__ import annotations

from pathlib import Path

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file

HELPED = ["More staff would help me a lot with the waiting times.", "My family helped me get there each week.",
          "Money for the bus fare, I cannot afford to travel."]
CHANGE = ["Shorter waits for a first appointment please.", "More evening sessions for people who work.",
          "Someone to talk to when it all goes wrong."]


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, path.stem, {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


def test_a_merged_title_over_the_last_columns_keeps_every_column(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["respondent_id", "site", "Open questions", None])
    ws.merge_cells("C1:D1")
    ws.append([None, None, "What helped you most?", "What would you change?"])
    for rid, site, helped, change in zip(["P01", "P02", "P03"], ["Leeds", "York", "Hull"], HELPED, CHANGE):
        ws.append([rid, site, helped, change])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    doc = _read(path, header_rows=2).document
    answers = [(s.speaker, s.question, s.text) for s in doc.segments]
    assert len(answers) == 6
    assert ("P02", "What would you change?", CHANGE[1]) in answers
    assert ("P01", "What helped you most?", HELPED[0]) in answers


def test_a_csv_header_one_cell_short_keeps_the_last_column(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    lines = ["respondent_id,site,What helped you most?"]
    lines += [f'S0{i},Leeds,"{h}","{c}"' for i, (h, c) in enumerate(zip(HELPED, CHANGE), start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = _read(path).document
    assert doc.attributes["columns"]["questions"] == ["What helped you most?", "column 4"]
    assert [s.text for s in doc.segments if s.question == "column 4"] == CHANGE
