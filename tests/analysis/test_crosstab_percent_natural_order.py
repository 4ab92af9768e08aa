"""``tables attributes --by X --percent row|column`` keeps the natural order of rows and columns.

Before, dividing by the totals sorted the labels as text: ``(no answer), 10, 2, 4`` (or ``Agree, Disagree,
Neutral…``) in the terminal, the .csv and the .xlsx. Now a percentage crosstab reads in the same natural order as
the counts: ``2, 4, 10``, then ``(no answer)``, then ``Total``. Fictional files written fresh.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.analysis import crosstab
from thematic.cli.main import app
from thematic.study import Study, init_study

runner = CliRunner()
PEOPLE = pd.DataFrame({
    "participant_id": ["P01", "P02", "P03", "P04", "P05"],
    "site": ["North", "South", None, "North", "South"],
    "years": ["2", "4", "10", None, "2"],
    "view": ["Agree", "Strongly agree", "Disagree", "Neutral", "Strongly disagree"],
})
YEARS = ["2", "4", "10", "(no answer)", "Total"]
SITES = ["North", "South", "(no answer)", "Total"]


@pytest.mark.parametrize("percent", [None, "column", "row"])
def test_a_crosstab_is_in_natural_order_with_or_without_percentages(percent: str | None) -> None:
    by_years = crosstab(PEOPLE, "site", "years", percent=percent)
    assert list(by_years.columns) == YEARS and list(by_years.index) == SITES
    years_by = crosstab(PEOPLE, "years", "site", percent=percent)
    assert list(years_by.index) == YEARS and list(years_by.columns) == SITES
    scale = crosstab(PEOPLE, "view", "site", percent=percent)
    assert list(scale.index) == ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree", "Total"]


def test_percentages_stay_under_their_labels() -> None:
    table = crosstab(PEOPLE, "site", "years", percent="column")
    assert table.loc["North", "2"] == 50.0 and table.loc["(no answer)", "10"] == 100.0
    assert table.loc["South", "4"] == 100.0 and table.loc["North", "(no answer)"] == 100.0
    rows = crosstab(PEOPLE, "years", "site", percent="row")
    assert rows.loc["2", "North"] == 50.0 and rows.loc["10", "(no answer)"] == 100.0


def test_the_written_percentage_tables_keep_the_order(tmp_path: Path) -> None:
    root = tmp_path / "s"
    init_study(root, name="order").close()
    PEOPLE.to_csv(root / "data" / "raw" / "participants.csv", index=False)
    with Study(root) as study:
        study.ingest()
    book, flat = root / "ct.xlsx", root / "ct.csv"
    for out in (book, flat):
        result = runner.invoke(app, ["tables", "attributes", "years", "--by", "site", "--percent", "row",
                                     "--out", str(out), "--study", str(root)])
        assert result.exit_code == 0, result.output
    first = [r[0] for r in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True)]
    assert first == ["years", *YEARS]
    assert [str(v) for v in pd.read_csv(flat, dtype=str).iloc[:, 1]] == YEARS
    shown = runner.invoke(app, ["tables", "attributes", "site", "--by", "years", "--percent", "column",
                                "--study", str(root)], env={"COLUMNS": "200"})
    header = next(line for line in shown.output.splitlines() if "Total" in line)
    assert [cell.strip() for cell in header.split("┃") if cell.strip()] == ["site", *YEARS]
