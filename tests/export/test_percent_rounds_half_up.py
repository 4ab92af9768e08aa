"""Percentages round half up everywhere: 1 of 8 is 13%, as 3 of 8 is 38%.

The appendix formatted percentages with Python's ``f"{value:.0f}%"``, which rounds half to even: 1 of 8
(12.5%) printed "12%" and 5 of 8 "62%", beside "38%" for 3 of 8 and "88%" for 7 of 8, while the workbook's
``0.0`` cells (Excel rounds half up) and a reader recomputing say 13% and 63%. The terminal's one-decimal
``tables frequency`` (1 of 16: "6.2", 3 of 16: "18.8") and the agreement report's "% agree" had the same
flaw. Now every one rounds half up: the Word and Markdown appendix (at-a-glance table and summary lines),
the terminal table and the agreement rows.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import docx
import numpy as np
import pandas as pd
from typer.testing import CliRunner

from thematic.analysis.frequency import percent_text
from thematic.cli.main import app
from thematic.export.reconcile import agreement_rows
from thematic.study import init_study

CODES = {"one": 2, "three": 6, "five": 10, "seven": 14, "tiny": 1, "few": 3}  # of 16 respondents


def _survey_study(tmp_path: Path):  # noqa: ANN202
    study = init_study(tmp_path / "study", name="rounding")
    (study.root / "codebooks" / "cb.yaml").write_text(
        "name: cb\nversion: 0.1.0\nthemes:\n- {id: t, label: Theme, definition: x}\ncodes:\n"
        + "".join(f"- {{id: {c}, label: Code {c}, parent: t, definition: x}}\n" for c in CODES), encoding="utf-8")
    rows = "".join(f"R{i},Answer number {i} about the service\n" for i in range(1, 17))
    (study.paths.raw / "survey.csv").write_text("respondent_id,What helped?\n" + rows, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study.ingest()
    ids = list(study.store.segments()["segment_id"])
    for code, n in CODES.items():
        for sid in ids[:n]:
            study.code(sid, code, coder="HT")
    return study


def test_appendix_terminal_and_agreement_round_half_up(tmp_path: Path) -> None:
    study = _survey_study(tmp_path)
    md = study.report_quotes(tmp_path / "app.md").read_text(encoding="utf-8")
    for n, pct in ((2, 13), (6, 38), (10, 63), (14, 88), (1, 6), (3, 19)):
        assert f"{n} of 16 survey respondents ({pct}%)" in md or f"{n} of 16 ({pct}%)" in md, (n, pct)
    assert "(12%)" not in md and "(62%)" not in md
    paragraphs = "\n".join(p.text for p in docx.Document(str(study.report_quotes(tmp_path / "app.docx"))).paragraphs)
    cells = "\n".join(c.text for t in docx.Document(str(tmp_path / "app.docx")).tables for r in t.rows for c in r.cells)
    assert "(13%)" in paragraphs and "(63%)" in paragraphs and "(12%)" not in paragraphs + cells
    assert "2 of 16 (13%)" in cells and "10 of 16 (63%)" in cells
    root = str(study.root)
    study.close()
    r = CliRunner().invoke(app, ["tables", "frequency", "--study", root])
    assert r.exit_code == 0, r.output
    shown = {m.group(1): m.group(2) for m in re.finditer(r"Code (\w+)\s.*?\s(\d+\.\d)\s", r.output)}
    assert shown["tiny"] == "6.3" and shown["few"] == "18.8" and shown["one"] == "12.5"


def test_agreement_percentages_round_half_up() -> None:
    stats = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")
    table = pd.DataFrame([{"code_id": "trust", "label": "Trust", "n_shared": 8, "prevalence": 0.125,
                           **{s: 0.625 if s == "percent_agreement" else 0.5 for s in stats},
                           **{f"{s}_{e}": np.nan for s in stats for e in ("low", "high")}}])
    _, rows = agreement_rows(table)
    assert rows[0][2:4] == ["13%", "63%"]


def test_percent_text() -> None:
    assert [percent_text(v) for v in (12.5, 37.5, 62.5, 87.5, 0.0, 100.0, 58.333)] == \
        ["13", "38", "63", "88", "0", "100", "58"]
    assert [percent_text(v, 1) for v in (6.25, 18.75, 100 * 1 / 2000, 12.5)] == ["6.3", "18.8", "0.1", "12.5"]
