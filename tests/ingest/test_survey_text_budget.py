"""A 10 KB survey .xlsx whose answer cells all point at one long shared string was read as that string once per
cell (100 cells x 5 MB gave 500 MB of text, gigabytes of memory and a store as large); a survey whose question
title is long did the same through the title that each respondent's block repeats, in a CSV too. Nothing
measured the text a file yields, only its bytes. Now the text read from a workbook's cells, and the survey text
composed from it, are counted while they are read: past ``max_file_mb`` (a character for each byte) the file is
refused with E063 naming the file, where the count ran over and the setting; participants.xlsx the same."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematic._limits import SizeLimits
from thematic.errors import InputError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
CT = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PKG}/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
      '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WBRELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}/relationships">'
          f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
          f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
QUESTION = "What did you think of the service?"


def shared_string_xlsx(path: Path, header: list[str], answer: str, rows: int) -> Path:
    """A workbook as Excel writes it: every answer cell (column B) points at one shared string, ``answer``."""
    strings = [*header, answer]
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
           + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
    body = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    body += "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}" t="s"><v>2</v></c></row>'
                    for i in range(2, rows + 2))
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData>'
             "</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in [("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("xl/workbook.xml", WB),
                           ("xl/_rels/workbook.xml.rels", WBRELS), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", sst)]:
            zf.writestr(name, data)
    return path


def _settings(study, name: str, limits: str) -> None:  # noqa: ANN001
    path = study.root / "thematic.toml"
    text = path.read_text(encoding="utf-8").split("[limits]")[0]
    path.write_text(text + f'\n[ingest.survey."{name}"]\ntext_columns = ["{QUESTION}"]\n\n[limits]\n{limits}',
                    encoding="utf-8")


def _ingest(study):  # noqa: ANN001, ANN202
    from thematic.study import Study

    report = Study(study.root).ingest()
    return {r.path: r for r in report.rows}


def test_one_shared_string_in_many_cells_is_refused_past_the_limit(study) -> None:
    _settings(study, "amp.xlsx", "max_file_mb = 1\n")
    path = shared_string_xlsx(study.paths.raw / "amp.xlsx", ["respondent_id", QUESTION], "word " * 10_000, 300)
    assert path.stat().st_size < 100_000  # 300 x 50,000 characters of answers from a tiny file
    (study.paths.raw / "fine.txt").write_text("Interviewer: Hi?\nAsh: A normal answer.\n", encoding="utf-8")
    by = _ingest(study)
    assert by["data/raw/fine.txt"].status == "new"
    err = by["data/raw/amp.xlsx"].error
    assert err.startswith("[E063] data/raw/amp.xlsx:") and "max_file_mb" in err and "1,048,576 characters" in err
    assert "cell B" in err


def test_the_same_workbook_under_the_limit_is_read(study) -> None:
    _settings(study, "amp.xlsx", "max_file_mb = 64\n")
    shared_string_xlsx(study.paths.raw / "amp.xlsx", ["respondent_id", QUESTION], "word " * 10_000, 300)
    by = _ingest(study)
    assert by["data/raw/amp.xlsx"].status == "new" and by["data/raw/amp.xlsx"].error is None


def test_a_long_question_title_repeated_per_respondent_is_counted(study) -> None:
    """The title is stored once in the CSV, but each respondent's block repeats it."""
    long_title = "Please describe " + "in detail " * 2_000  # 20 KB
    _settings(study, "long.csv", "max_file_mb = 1\n")
    rows = [f"respondent_id,{long_title}"] + [f"{i},It was fine." for i in range(1, 201)]
    (study.paths.raw / "long.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = study.root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(QUESTION, long_title.strip()), encoding="utf-8")
    by = _ingest(study)
    err = by["data/raw/long.csv"].error
    assert (study.paths.raw / "long.csv").stat().st_size < 100_000
    assert err.startswith("[E063] data/raw/long.csv:") and "max_file_mb" in err and "respondent" in err


def test_participants_xlsx_through_one_shared_string_is_refused(tmp_path: Path) -> None:
    from thematic.ingest.participants import load_roster

    shared_string_xlsx(tmp_path / "participants.xlsx", ["participant_id", "notes"], "note " * 10_000, 300)
    with pytest.raises(InputError) as err:
        load_roster(tmp_path / "participants.csv", SizeLimits(max_file_mb=1))
    assert str(err.value).startswith("[E063]") and "participants.xlsx" in str(err.value)
    assert "max_file_mb" in str(err.value)
