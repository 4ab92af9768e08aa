"""A survey workbook is read from its first visible sheet, and a note names it when other sheets hold cells.

The first sheet was read whatever it was, silently: a hidden sheet of drop-down lists (which Excel never shows)
was read instead of the responses, with W110 advising text_columns, which could not help; a "Summary" sheet
first turned its comment column into a respondent's answer and lost the responses without a word. Now a hidden
sheet is never read unless ``sheet`` names it; when other visible sheets hold cells, W017 names the sheet read
and the others and says how to choose one (``sheet = "..."``), and W110 and W119 name the sheet read.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from thematic.config import IngestSettings
from thematic.ingest.participants import Roster
from thematic.ingest.pseudonymise import PseudonymKey
from thematic.ingest.read import FileContext, read_file
from thematic.ingest.readers.table import load_xlsx

HEADER = ["respondent_id", "site", "What helped you most?", "What would you change?"]
P01 = ["P01", "North", "My mentor listened to me and helped me find a flat quickly.", "Longer opening hours please."]
P02 = ["P02", "South", "The weekly group where I met people like me in the same boat.", "More staff on Fridays."]


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]], str]]) -> Path:
    """A workbook of (title, rows, state) sheets, in that order."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows, state in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        ws.sheet_state = state
    wb.active = next(i for i, (_, _, state) in enumerate(sheets) if state == "visible")
    wb.save(path)
    return path


def _read(path: Path, **survey: object):  # type: ignore[no-untyped-def]
    ctx = FileContext(path, path.name, path.name, "responses", {}, survey)
    return read_file(ctx, unit="turn", settings=IngestSettings(pseudonymise=False), roster=Roster(),
                     key=PseudonymKey())


LISTS = [["North"], ["South"], ["East"]]


def test_a_hidden_first_sheet_is_not_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "responses.xlsx", [("lists", LISTS, "hidden"), ("Responses", [HEADER, P01, P02], "visible")])
    result = _read(path)
    assert sorted({s.speaker for s in result.document.segments}) == ["P01", "P02"]
    assert {p.id: dict(p.attributes) for p in result.participants} == {"P01": {"site": "North"}, "P02": {"site": "South"}}
    assert not [w for w in result.document.warnings if w[:6] in {"[W110]", "[W017]"}]  # a hidden sheet is no choice


def test_a_very_hidden_sheet_is_not_read_either(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "r.xlsx", [("lists", LISTS, "veryHidden"), ("Responses", [HEADER, P01], "visible")])
    rows, _ = load_xlsx(path.read_bytes(), "r.xlsx")
    assert rows[0] == HEADER


def test_a_hidden_sheet_named_in_the_settings_is_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "r.xlsx", [("Responses", [HEADER, P01], "hidden"), ("Cover", [["Staff survey"]], "visible")])
    result = _read(path, sheet="Responses")
    assert {s.speaker for s in result.document.segments} == {"P01"}


def test_a_summary_sheet_first_is_read_with_a_note_naming_the_other_sheet(tmp_path: Path) -> None:
    summary = [["Question", "Responses", "Comment"],
               ["What helped you most?", 1, "Most people mentioned their mentor or the weekly group sessions."]]
    path = _workbook(tmp_path / "with-summary.xlsx", [("Summary", summary, "visible"),
                                                      ("Responses", [HEADER, P01, P02], "visible"),
                                                      ("Sheet3", [], "visible")])
    warnings = _read(path).document.warnings
    (note,) = [w for w in warnings if w.startswith("[W017]")]
    assert "with-summary.xlsx" in note and "'Summary'" in note and "'Responses'" in note
    assert 'sheet = "Responses"' in note and '[ingest.survey."with-summary.xlsx"]' in note
    assert "Sheet3" not in note  # an empty sheet holds nothing to choose
    result = _read(path, sheet="Responses")
    assert sorted({s.speaker for s in result.document.segments}) == ["P01", "P02"]
    assert not [w for w in result.document.warnings if w.startswith("[W017]")]  # the sheet was chosen


def test_w110_names_the_sheet_read_and_the_sheet_setting(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "r.xlsx", [("Codes", [["code", "label"], ["1", "North"], ["2", "South"]], "visible"),
                                           ("Responses", [HEADER, P01, P02], "visible")])
    warnings = _read(path).document.warnings
    (no_text,) = [w for w in warnings if w.startswith("[W110]")]
    assert "sheet 'Codes'" in no_text and 'sheet = "' in no_text
    assert [w for w in warnings if w.startswith("[W017]")]


def test_w119_names_the_sheet_read(tmp_path: Path) -> None:
    short = [["respondent_id", "What helped?"], ["P01", "The staff were kind to me."], ["P02", "My mentor, mostly, and my sister."]]
    path = _workbook(tmp_path / "r.xlsx", [("Responses", short, "visible")])
    warnings = _read(path).document.warnings
    (split,) = [w for w in warnings if w.startswith("[W119]")]
    assert "sheet 'Responses'" in split
    assert not [w for w in warnings if w.startswith("[W017]")]  # one sheet: nothing to choose


def test_a_csv_survey_is_not_told_about_sheets(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("site,age\nNorth,30\nSouth,40\n", encoding="utf-8")
    (no_text,) = [w for w in _read(path).document.warnings if w.startswith("[W110]")]
    assert "sheet" not in no_text
