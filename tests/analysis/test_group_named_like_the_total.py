"""A participant attribute whose value is ``All`` (or ``Total`` in a crosstab) is kept apart from the table's total.

Before, people whose ``site`` was ``All`` vanished from ``tables frequency --by site``: the terminal, ``--wide``,
the chart and the workbook's ``By site`` sheet showed only the total, and the long table had two rows with group
``All`` per code. A crosstab row or column ``Total`` was overwritten by the totals. Now such a group is named with
its attribute (``All (site)``, ``Total (band)``), in every output, and ``--groups All`` still finds it; the
total keeps its name. Fictional files written fresh.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from thematic.analysis import crosstab, frequency_wide
from thematic.analysis.charts import frequency_chart
from thematic.cli.main import app
from regression.tiny_study import codebook_yaml, study_with
from thematic.study import Study

runner = CliRunner()
CODEBOOK = codebook_yaml("- {id: hope, label: Hope, parent: tone, definition: Hope.}\n", theme="tone")


def _study(root: Path) -> Path:
    """Four interviews; P02 and P03 work at site ``All``; P01-P03 coded ``hope``."""
    study_with(root, CODEBOOK, name="sites")
    raw = root / "data" / "raw"
    for i in range(1, 5):
        (raw / f"p0{i}.txt").write_text(f"Interviewer: Hi.\nP0{i}: words of hope {i}\n", encoding="utf-8")
    (raw / "participants.csv").write_text(
        "participant_id,transcript,site\nP01,p01.txt,North\nP02,p02.txt,All\nP03,p03.txt,all\nP04,p04.txt,North\n",
        encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        for doc in ("p01", "p02", "p03"):
            study.code(f"{doc}:1", "hope", coder="HT")
    return root


def test_the_long_and_wide_tables_keep_the_site_apart_from_the_total(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    with Study(root) as study:
        freq = study.frequencies(by="site", level="code")
    assert list(freq["group"]) == ["All", "All (site)", "North"]
    assert list(freq["n_of_N"]) == ["3 of 4", "2 of 2", "1 of 2"]
    assert list(frequency_wide(freq).loc["hope"]) == ["Hope", "code", "3 of 4", "2 of 2", "1 of 2"]
    legend = [t.get_text() for t in frequency_chart(freq).legends[0].get_texts()]
    assert legend == ["All (site) (n=2)", "North (n=2)"]


def test_the_commands_show_the_site_everywhere(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    shown = runner.invoke(app, ["tables", "frequency", "--by", "site", "--study", str(root)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "All (site)" in shown.output and "2 of 2" in shown.output, shown.output
    long_csv = root / "long.csv"
    assert runner.invoke(app, ["tables", "frequency", "--by", "site", "--level", "code", "--out", str(long_csv),
                               "--study", str(root)]).exit_code == 0
    long = pd.read_csv(long_csv)
    assert not long.duplicated(["code_id", "source", "group"]).any()
    assert list(long["group"]) == ["All", "All (site)", "North"]
    book = root / "wb.xlsx"
    result = runner.invoke(app, ["report", "workbook", "--by", "site", "--out", str(book), "--study", str(root)])
    assert result.exit_code == 0, result.output
    sheet = pd.read_excel(book, sheet_name="By site")
    assert list(sheet.columns[-3:]) == ["All", "All (site)", "North"]
    assert sheet.set_index("code_id").loc["hope", "All (site)"] == "2 of 2"


def test_groups_all_quotes_the_people_at_that_site(tmp_path: Path) -> None:
    root = _study(tmp_path / "s")
    out = root / "q.md"
    result = runner.invoke(app, ["report", "quotes", "--by", "site", "--groups", "all", "--out", str(out),
                                 "--study", str(root)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "P02" in text and "P03" in text and "P01" not in text
    assert "All (site) 2 of 2" in text


def test_a_crosstab_value_total_is_not_overwritten_by_the_totals(tmp_path: Path) -> None:
    people = pd.DataFrame({"participant_id": ["P1", "P2", "P3"], "band": ["Total", "Low", "Total"],
                           "site": ["North", "North", "South"]})
    table = crosstab(people, "band", "site")
    assert list(table.index) == ["Low", "Total (band)", "Total"]
    assert table.loc["Total (band)"].tolist() == [1, 1, 2]
    assert table.loc["Total"].tolist() == [2, 1, 3]
    out = tmp_path / "ct.xlsx"
    from thematic.export.tables import write_crosstabs

    write_crosstabs({"band": table}, out)
    first = [r[0] for r in openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    assert first == ["band", "Low", "Total (band)", "Total"]
