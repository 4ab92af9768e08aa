"""The notebook facade of analysis and reports (Study methods) on the hand-built study."""

from __future__ import annotations

import docx
import pandas as pd


def test_facade_tables(known_study):
    freq = known_study.frequencies(by="role")
    assert freq.loc[(freq.code_id == "funding") & (freq.group == "peer mentor"), "n_of_N"].item() == "2 of 2"
    assert known_study.code_matrix(level="theme").loc["support", "P01"] == 2
    assert len(known_study.cooccurrence()) > 0
    assert known_study.attribute_tallies("role")["n"].sum() == 5
    assert known_study.crosstab("gender", "role").loc["Total", "Total"] == 5
    q = known_study.quotes(codes="vetting")
    assert q["attribution"].tolist() == ["P03 (service user)"]


def test_facade_agreement(known_study):
    for coder in ("HT", "SO"):
        known_study.mark_seen(known_study.segments("fg-01"), coder=coder)
    table = known_study.agreement(["HT", "SO"], n_boot=0)
    assert table.iloc[-1]["code_id"] == "(all codes)"
    assert len(known_study.disagreements("HT,SO")) == 2
    chars = known_study.character_agreement("HT,SO")
    assert set(chars["document_id"]) == {"fg-01", "(all documents)"}


def test_facade_reports_write_inside_the_study(known_study, tmp_path):
    out = known_study.report_quotes()
    assert out == known_study.root / "reports" / "appendix.docx"
    assert any(p.style.name == "Quote" for p in docx.Document(str(out)).paragraphs)
    book = known_study.report_workbook()
    assert book == known_study.root / "reports" / "tables.xlsx"
    assert "Agreement" not in pd.ExcelFile(book).sheet_names  # thematic.toml names no coders
    codings = known_study.export_codings("data/coded/codings.csv")
    assert codings == known_study.root / "data" / "coded" / "codings.csv" and codings.is_file()
    paths = known_study.export_tables(tmp_path / "t.xlsx")
    assert paths[0].suffix == ".xlsx"
