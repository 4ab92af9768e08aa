"""Survey and participants.xlsx ids stored as numbers with a zero-padding number format (``000``: Excel shows 007,
the cell holds 7), as SPSS and Excel exports keep them, were read as ``7``: participants.csv's ``007`` never
matched and each person was counted twice. Such cells are now read as Excel shows them."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from thematic.ingest.readers.table import load_xlsx
from thematic.study import Study

ANSWERS = [(7, "A", "I had no time because of my job and family duties."),
           (12, "B", "Costs kept going up and up every single month."),
           (45, "A", "Teacher support was the best thing about it all.")]


def _survey(path: Path, fmt: str = "000") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Respondent number", "site", "What got in the way?"])
    for row in ANSWERS:
        ws.append(list(row))
    for r in range(2, 5):
        ws.cell(r, 1).number_format = fmt
    ws.cell(2, 2).number_format = "000"  # a text cell keeps its text whatever its format
    wb.save(path)


def test_zero_padded_survey_ids_match_participants_csv(study: Study) -> None:
    _survey(study.paths.raw / "nums.xlsx")
    (study.paths.raw / "participants.csv").write_text("participant_id,role\n007,student\n012,student\n045,student\n",
                                                      encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    assert not any("[W020]" in w for w in report.study_warnings), report.study_warnings
    assert sorted(study.segments()["participant_id"]) == ["007", "012", "045"]
    assert study.store.counts()["roster"] == 3


def test_zero_padded_ids_in_participants_xlsx(study: Study) -> None:
    (study.paths.raw / "answers.csv").write_text(
        "respondent_id,What got in the way?\n" + "".join(f"{i:03d},{t}\n" for i, _, t in ANSWERS), encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["participant_id", "cohort"])
    for i, (rid, _, _) in enumerate(ANSWERS, start=2):
        ws.append([rid, 2024])
        ws.cell(i, 1).number_format = "000"
    wb.save(study.paths.raw / "participants.xlsx")
    report = study.ingest()
    assert report.ok, report.rows
    assert not any("[W020]" in w for w in report.study_warnings), report.study_warnings
    assert sorted(study.store.participants()["participant_id"]) == ["007", "012", "045"]
    assert set(study.store.participants()["cohort"]) == {"2024"}


def test_only_zero_padding_formats_change_a_number(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    _survey(path, fmt="0")
    rows, _ = load_xlsx(path.read_bytes(), str(path))
    assert [r[0] for r in rows[1:]] == ["7", "12", "45"]
    _survey(path, fmt="00000")
    rows, _ = load_xlsx(path.read_bytes(), str(path))
    assert [r[0] for r in rows[1:]] == ["00007", "00012", "00045"]
    assert rows[1][1] == "A"
