"""A lone carriage return inside a text field (memo, label, attribute, name) is quoted in every CSV thematic writes.

csv, pandas and Excel all read a bare CR as the end of a row, so an unquoted one split the row in two
and shifted every column after it. Each test reads the written file back with csv and pandas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import methods_study

runner = CliRunner()

TALK = "Interviewer: Hello?\nP01: We taught online.\nInterviewer: And then?\nP01: Then covid came.\n"
MEMO_MID = "first line\rsecond line"
MEMO_LEAD = "\rstarts with CR"


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def cr_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = methods_study(tmp_path_factory.mktemp("cr") / "study", {"talk.txt": TALK})
    with Study(root) as s:
        s.ingest()
        s.code("talk:1", "online", coder="HT", memo=MEMO_MID)
        s.code("talk:3", "covid", coder="HT", memo=MEMO_LEAD)
    return root


def test_export_codings_csv_quotes_a_carriage_return(cr_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "codings.csv"
    r = runner.invoke(app, ["export", "codings", "--out", str(out), "--study", str(cr_study)])
    assert r.exit_code == 0, r.output
    rows = _rows(out)
    assert len(rows) == 3 and {len(row) for row in rows} == {len(rows[0])}
    memo = rows[0].index("memo")
    assert [row[memo] for row in rows[1:]] == [MEMO_MID, "'" + MEMO_LEAD]  # the OWASP quote stays
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert len(df) == 2 and df["memo"].tolist() == [MEMO_MID, "'" + MEMO_LEAD]


def test_export_tables_csv_quotes_a_carriage_return(cr_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    r = runner.invoke(app, ["export", "tables", "--out", str(out), "--format", "csv", "--study", str(cr_study)])
    assert r.exit_code == 0, r.output
    rows = _rows(out / "codings.csv")
    assert len(rows) == 3 and {len(row) for row in rows} == {len(rows[0])}
    assert MEMO_MID in rows[1] and "'" + MEMO_LEAD in rows[2]
    for path in out.glob("*.csv"):
        rows = _rows(path)
        assert {len(row) for row in rows} <= {len(rows[0])}, path.name  # no row split anywhere
        assert len(pd.read_csv(path, encoding="utf-8-sig")) == len(rows) - 1, path.name


def test_segments_writer_quotes_a_carriage_return(tmp_path: Path) -> None:
    from thematic.ingest.export import write_table

    df = pd.DataFrame({"segment_id": ["d:0", "d:1"], "text": ["one\rtwo", "\r=cmd"], "n": [1, 2]})
    write_table(df, tmp_path / "segments.csv")
    rows = _rows(tmp_path / "segments.csv")
    assert rows == [["segment_id", "text", "n"], ["d:0", "one\rtwo", "1"], ["d:1", "'\r=cmd", "2"]]
    assert pd.read_csv(tmp_path / "segments.csv", encoding="utf-8-sig")["text"].tolist() == ["one\rtwo", "'\r=cmd"]


def test_csv_text_and_write_csv_quote_cr_and_keep_formula_escape(tmp_path: Path) -> None:
    from thematic._spreadsheet import csv_text, write_csv

    df = pd.DataFrame({"memo": ["a\rb", "\r=1+1", "plain", 'say "hi"\r\n'], "n": [1, 2, 3, 4], "x\ry": ["", "", "", ""]})
    expected = [["memo", "n", "x\ry"], ["a\rb", "1", ""], ["'\r=1+1", "2", ""], ["plain", "3", ""],
                ['say "hi"\r\n', "4", ""]]
    text = csv_text(df)
    assert list(csv.reader(io.StringIO(text, newline=""))) == expected
    assert text.startswith('memo,n,"x\ry"\n')  # LF row ends as before
    write_csv(df, tmp_path / "t.csv")
    assert _rows(tmp_path / "t.csv") == expected
    buf = io.StringIO()
    write_csv(df, buf)
    assert list(csv.reader(io.StringIO(buf.getvalue(), newline=""))) == expected
    plain = pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})
    assert csv_text(plain) == "a,b\nx,1\ny,2\n"  # a file with no CR is byte for byte what it was


def test_pseudonym_key_with_a_carriage_return_in_a_name_reads_back(tmp_path: Path) -> None:
    from thematic.ingest.pseudonymise import PseudonymKey

    path = tmp_path / "private" / "pseudonym-key.csv"
    path.parent.mkdir()
    key = PseudonymKey(path)
    key.assign("person", "Ann\rMarie")
    key.assign("person", "Bob")
    key.save()
    again = PseudonymKey.load(path)
    assert again.entries() == [("person", "Ann\rMarie", "[Person 1]"), ("person", "Bob", "[Person 2]")]
    assert _rows(path)[1:] == [["person", "Ann\rMarie", "[Person 1]"], ["person", "Bob", "[Person 2]"]]
