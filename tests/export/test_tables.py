"""Tables to CSV, Parquet and XLSX; the workbook of every table; the codings export."""

from __future__ import annotations

import docx
import openpyxl
import pandas as pd
import pytest

from thematic.errors import InputError
from thematic.export.reconcile import write_agreement_report
from thematic.export.reports import analysis_tables, default_coders, export_tables, report_workbook
from thematic.export.tables import codings_table, write_table, write_tables
from thematic.export.workbook import sheet_names


def test_write_table_round_trips_each_format(frames, tmp_path):
    from thematic.analysis import code_matrix

    m = code_matrix(frames.codings, frames.segments, frames.participants, frames.codebook)
    for suffix in ("csv", "parquet", "xlsx"):
        path = write_table(m, tmp_path / f"m.{suffix}")
        back = {"csv": pd.read_csv, "parquet": pd.read_parquet, "xlsx": pd.read_excel}[suffix](path)
        assert list(back.columns)[:2] == ["code_id", "P01"]  # the index is kept as a column
        assert back.set_index("code_id").loc["shared_experience", "P01"] == 2
    assert (tmp_path / "m.csv").read_bytes()[:3] == b"\xef\xbb\xbf"  # BOM: Excel reads accents
    with pytest.raises(InputError, match=r"\[E405\].*'txt'"):
        write_table(m, tmp_path / "m.txt")


def test_codings_export_has_labels_participants_and_locations(frames):
    t = codings_table(frames.codings, frames.segments, frames.codebook)
    assert len(t) == 9  # 11 codings minus the suggestion and the rejection
    row = t.loc[t.code_id == "vetting"].iloc[0]
    assert (row.code_label, row.theme_id, row.participant_id, row.location) == ("Security vetting", "barriers", "P03", "turn 2")
    assert "params" not in t.columns
    assert len(codings_table(frames.codings, frames.segments, frames.codebook, all_statuses=True)) == 11
    assert set(codings_table(frames.codings, frames.segments, coder="SO")["coder"]) == {"SO"}


def test_workbook_has_every_table_as_a_sheet(frames, tmp_path):
    out = report_workbook(frames, tmp_path / "tables.xlsx", coders="HT,SO", n_boot=20)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "About"
    for name in ("Frequencies", "By role", "Code x participant", "Code x document", "Co-occurrence",
                 "Attributes", "Agreement", "Disagreements", "Codings", "Codebook"):
        assert name in wb.sheetnames, name
    ws = wb["Frequencies"]
    assert ws["A1"].value == "code_id" and ws["A1"].font.bold and ws.freeze_panes == "B2"
    freq = pd.read_excel(out, sheet_name="Frequencies")
    support = freq.loc[freq["code_id"] == "support"].set_index("source")["n_of_N"]  # N per source kind
    assert support.to_dict() == {"interviewees": "2 of 3", "focus-group members": "1 of 2"}
    by_role = pd.read_excel(out, sheet_name="By role").set_index("code_id")
    assert by_role.loc["funding", "peer mentor (interviewees)"] == "2 of 2"
    assert "pseudonym" not in set(pd.read_excel(out, sheet_name="Attributes")["attribute"])
    assert "By pseudonym" not in wb.sheetnames


def test_export_tables_csv_folder_and_parquet(frames, tmp_path):
    paths = export_tables(frames, tmp_path / "tables", format="csv", by="role")
    names = {p.name for p in paths}
    assert {"frequencies.csv", "by-role.csv", "code-x-participant.csv", "codebook.csv"} <= names
    assert all(p.parent == tmp_path / "tables" for p in paths)
    pq = export_tables(frames, tmp_path / "pq", format="parquet", by="role")
    assert pd.read_parquet(pq[0]).shape[0] == 7 * 2  # seven entries, for interviewees and focus-group members


def test_default_coders_need_two_with_codings(frames):
    assert default_coders(frames, ["HT", "SO"]) == ["HT", "SO"]
    assert default_coders(frames, ["HT", "XY"]) is None
    tables, desc = analysis_tables(frames, coders=None, by="role")
    assert "Agreement" not in tables and desc["Frequencies"]


def test_sheet_names_are_excel_safe_and_unique():
    names = sheet_names(["a/b", "x" * 40, "x" * 40, "About"])
    assert names[0] == "a-b" and all(len(n) <= 31 for n in names) and len(set(names)) == 4


def test_write_tables_to_xlsx_with_about(tmp_path):
    out = write_tables({"One": pd.DataFrame({"a": [1]}), "About": pd.DataFrame({"b": [2]})}, tmp_path / "t.xlsx",
                       descriptions={"One": "first"})[0]
    assert openpyxl.load_workbook(out).sheetnames == ["About", "One", "About (2)"]


def test_agreement_report_docx_and_xlsx(frames, tmp_path):
    from thematic.analysis import agreement, disagreements

    kw = dict(coders="HT,SO", codebook=frames.codebook, units="documents")
    table = agreement(frames.codings, frames.segments, n_boot=20, **kw)
    diffs = disagreements(frames.codings, frames.segments, **kw)
    out = write_agreement_report(table, diffs, tmp_path / "agreement.docx", coders=["HT", "SO"])
    d = docx.Document(str(out))
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == ["Coding comparison", "Disagreements"]
    header = [c.text for c in d.tables[1].rows[0].cells]
    assert header == ["Where", "Participant", "Text", "HT", "SO", "Disputed"]
    texts = [r.cells[2].text for r in d.tables[1].rows[1:]]
    assert "The vetting took eleven months and I gave up twice." in texts
    assert d.tables[0].rows[-1].cells[0].text == "all codes pooled"
    xlsx = write_agreement_report(table, diffs, tmp_path / "agreement.xlsx", coders=["HT", "SO"])
    assert openpyxl.load_workbook(xlsx).sheetnames == ["Agreement", "Disagreements"]
