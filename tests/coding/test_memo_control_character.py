"""A memo holding a control character (a vertical tab, Word's Shift+Enter, pasted with the text) was stored by
`code add --memo` and `study.code(memo=…)`, after which every .xlsx export of the codings stopped with E108, whose
advice (`thematic ingest --force`) could not remove it. Such a memo is now refused where it is typed (E362, naming
the character and its position), a coding sheet row holding one is skipped with W350, and E108 on a memo an
older thematic stored names the `thematic code add` command that replaces it."""

from __future__ import annotations

import csv
import shlex
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError
from thematic.models import Coding, Provenance
from thematic.study import Study

CODEBOOK = """name: cb
version: 1.0.0
themes:
- {id: t, label: Theme, definition: d}
codes:
- {id: c, label: Code, parent: t, definition: d}
"""
MEMO = "first line\x0bsecond line (pasted from Word)"


@pytest.fixture
def ready(study: Study) -> Study:
    study.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi.\nP01: I hope so.\nInterviewer: And?\nP01: Still.\n",
                                           encoding="utf-8")
    assert study.ingest().ok
    return study


def test_study_code_refuses_the_memo(ready: Study) -> None:
    with pytest.raises(InputError) as err:
        ready.code("a:1", "c", coder="HT", memo=MEMO)
    assert err.value.code == "E362"
    assert "U+000B" in str(err.value) and "position 11" in str(err.value)
    assert ready.store.codings().empty


def test_code_add_refuses_the_memo_and_a_plain_memo_is_kept(ready: Study) -> None:
    root = str(ready.root)
    r = CliRunner().invoke(app, ["code", "add", "a:1", "c", "--coder", "HT", "--memo", MEMO, "--study", root])
    assert r.exit_code == 1 and "E362" in r.output, r.output
    r = CliRunner().invoke(app, ["code", "add", "a:1", "c", "--coder", "HT", "--memo", "first\nsecond\tthird",
                                 "--study", root])
    assert r.exit_code == 0, r.output
    assert ready.store.codings()["memo"].tolist() == ["first\nsecond\tthird"]


def test_sheet_row_with_the_memo_is_skipped(ready: Study, tmp_path: Path) -> None:
    sheet = ready.export_sheet(tmp_path / "HT.xlsx", coder="HT").path
    ws = openpyxl.load_workbook(sheet)["coding"]
    rows = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
    header = rows[0]
    for row in rows[1:]:
        row[header.index("c")] = "x"
    rows[1][header.index("memo")] = "pasted\x0cnote"
    rows[2][header.index("memo")] = "fine"
    path = tmp_path / "HT.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    report = ready.import_sheet(path, coder="HT")
    problems = [p for p in report.unreadable if p.code == "W350"]
    assert len(problems) == 1 and problems[0].line == 2, report.unreadable
    assert "U+000C" in problems[0].message and "position 7" in problems[0].message
    stored = ready.store.codings(coder="HT")
    assert rows[1][0] not in set(stored["segment_id"])
    assert stored["memo"].tolist() == ["fine"]


def test_e108_on_a_stored_memo_names_the_command_that_replaces_it(ready: Study, tmp_path: Path) -> None:
    seg = ready.store.segment("a:1")
    old = Coding(document_id="a", start=seg.start, end=seg.end, code_id="c", coder="HT", status="manual",
                 text=seg.text, segment_id="a:1", provenance=Provenance("manual"), memo=MEMO)
    ready.store.add_codings([old], actor="HT")  # as an older thematic stored it
    out = tmp_path / "tables.xlsx"
    with pytest.raises(InputError) as err:
        ready.report_workbook(out)
    message = str(err.value)
    assert err.value.code == "E108" and "memo" in message and "ingest --force" not in message
    command = message.split("`")[1]
    assert command.startswith("thematic code add ")
    args = shlex.split(command)[1:]
    args[args.index("--memo") + 1] = "first line; second line"
    r = CliRunner().invoke(app, [*args, "--study", str(ready.root)])
    assert r.exit_code == 0, r.output
    ready.report_workbook(out)
    assert openpyxl.load_workbook(out)["Codings"] is not None


def test_a_consensus_decision_refuses_the_memo(ready: Study) -> None:
    from thematic.reconcile import reconcile_items, settle

    ready.code("a:1", "c", coder="HT")
    ready.code("a:3", "c", coder="SO")
    ready.mark_seen(["a:1", "a:3"], coder="HT")
    ready.mark_seen(["a:1", "a:3"], coder="SO")
    items = [i for i in reconcile_items(ready.store, coders=["HT", "SO"]) if i.disputed]
    assert items
    with pytest.raises(InputError) as err:
        settle(ready.store, items[0], ["c"], coders=["HT", "SO"], consensus="consensus", decided_by="HT",
               route="terminal", memo=MEMO)
    assert err.value.code == "E362" and items[0].segment_id in str(err.value)
    assert ready.store.codings(coder="consensus").empty
