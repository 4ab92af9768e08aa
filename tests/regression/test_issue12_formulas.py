"""Issue 12 item 2: no CSV/XLSX export writes text that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
runner = CliRunner()

CODEBOOK = """\
name: hostile
version: 1.0.0
themes:
- id: support
  label: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
  definition: "+cmd|' /C calc'!A0"
codes:
- id: trust
  label: "@SUM(1+1)*cmd|' /C calc'!A0"
  parent: support
  definition: "-2+3+cmd|' /C calc'!A0"
"""

TRANSCRIPT = """\
Interviewer: =1+1 is what you said?
P01: =HYPERLINK("http://evil.example","trust me") I trusted them.
Interviewer: -5 or +5?
P01: @SUM(A1:A2) trusted, really trusted.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from thematic.study import init_study

    root = tmp_path_factory.mktemp("hostile") / "study"
    study = init_study(root, name="hostile")
    study.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    (root / "data" / "raw" / "participants.csv").write_text('participant_id,role,note\nP01,"=2+5","\t=1+2"\n', encoding="utf-8")
    (root / "data" / "raw" / "talk.txt").write_text(TRANSCRIPT, encoding="utf-8")
    study.close()
    r = runner.invoke(app, ["ingest", "--study", str(root)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["search", "trusted", "--code", "trust", "--coder", "=evil", "--study", str(root)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["code", "add", "talk:1", "trust", "--coder", "ab", "--memo", "=WEBSERVICE(\"x\")",
                            "--study", str(root)])
    assert r.exit_code == 0, r.output
    return root


def _exports(root: Path, out: Path) -> list[list[str]]:
    s = ["--study", str(root)]
    return [
        ["export", "segments", "--out", str(out / "segments.csv"), *s],
        ["export", "segments", "--out", str(out / "segments.xlsx"), *s],
        ["export", "codings", "--out", str(out / "codings.csv"), *s],
        ["export", "codings", "--out", str(out / "codings.xlsx"), *s],
        ["export", "tables", "--out", str(out / "tables"), "--format", "csv", *s],
        ["export", "tables", "--out", str(out / "tables.xlsx"), *s],
        ["report", "workbook", "--out", str(out / "report.xlsx"), *s],
        ["search", "trusted", "--out", str(out / "hits.csv"), *s],
        ["tables", "frequency", "--out", str(out / "freq.csv"), *s],
        ["tables", "attributes", "--out", str(out / "attrs.xlsx"), *s],
        ["export", "sheet", "--coder", "cd", "--out", str(out / "sheet.xlsx"), *s],
        ["codebook", "diff", str(root / "codebooks" / "codebook.yaml"), str(out / "other.yaml"),
         "--csv", str(out / "diff.csv"), *s],
    ]


def test_issue12_every_export_writes_formula_text_as_text(hostile: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (tmp_path / "other.yaml").write_text(CODEBOOK.replace("1.0.0", "1.1.0").replace("@SUM", "=SUM"), encoding="utf-8")
    for args in _exports(hostile, tmp_path):
        r = runner.invoke(app, args)
        assert r.exit_code == 0, (args, r.output)
    csvs, books = sorted(tmp_path.rglob("*.csv")), sorted(tmp_path.rglob("*.xlsx"))
    assert len(csvs) >= 6 and len(books) == 6
    risky_seen = 0
    for path in csvs:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for field in row:
                    assert not field.startswith(TRIGGERS), (path.name, field)
                    risky_seen += field.startswith("'") and field[1:2] in {"=", "+", "-", "@", "\t"}
    for path in books:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                        risky_seen += 1
    assert risky_seen >= 10  # the hostile text did reach the files, escaped


def test_issue12_escape_keeps_numbers_and_plain_text() -> None:
    import pandas as pd

    from thematic._spreadsheet import escape_frame

    df = pd.DataFrame({"n": [-1.5, 2.0], "t": ["=1+1", "fine - really"], "=x": ["@a", None],
                       "c": pd.Categorical(["+a", "b"])}).astype({"t": "string"})
    out = escape_frame(df)
    assert out["c"].tolist() == ["'+a", "b"]
    assert out["n"].tolist() == [-1.5, 2.0]
    assert out["t"].tolist() == ["'=1+1", "fine - really"]
    assert list(out.columns) == ["n", "t", "'=x", "c"] and out["'=x"].tolist()[0] == "'@a"
