"""Two coders at the command line: mark-seen, sample, agreement output, reconcile (terminal and sheet)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.manual_support import fill_study, suggest
from thematic.cli.main import app
from thematic.study import Study

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


def _run(root, *args: str, input: str | None = None, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--study", str(root)], input=input, env={"COLUMNS": "160"})
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def two(study):
    """HT codes both interviews (an accepted suggestion among them); SO codes a sample of three turns."""
    fill_study(study)
    s = study
    s.code("int-01:1", "generativity", coder="HT")
    s.code("int-01:3", "security_vetting", coder="HT")
    s.decide(suggest(s.store, "int-02:3", "generativity", 0.8), "accept", reviewer="HT")
    s.code("int-01:1", "generativity", coder="SO")
    s.code("int-02:3", "generativity", coder="SO")
    s.code("int-02:1", "security_vetting", coder="SO")
    s.close()
    return study.root


def test_mark_seen_then_agreement_counts_only_shared_segments_and_hts_accepted_code(two) -> None:
    out = _run(two, "agreement", "--coders", "HT,SO", "--boot", "0")
    assert "[W600]" in out  # nobody recorded what they saw
    _run(two, "code", "mark-seen", "--coder", "HT", "--document", "int-01", "--document", "int-02")
    out = _run(two, "code", "mark-seen", "int-01:1", "int-01:3", "int-02:3", "--coder", "SO")
    assert "Recorded 3 segment(s) as seen by SO" in out
    out = _run(two, "agreement", "--coders", "HT,SO", "--boot", "0")
    assert "Agreement over 4 segment(s) seen by HT and SO, no intervals (--boot 0)" in out  # + int-02:1 SO coded
    assert "95%" not in out and "-0.00" not in out
    with Study(two) as s:
        table = s.agreement(["HT", "SO"], n_boot=0).set_index("code_id")
        freq = s.frequencies(coder="HT", level="code").set_index("code_id")
    assert table.loc["generativity", "n_HT"] == 2 and table.loc["generativity", "cohen_kappa"] == 1.0
    assert freq.loc["generativity", "n_segments"] == 2  # HT's manual coding and the suggestion HT accepted
    _run(two, "code", "mark-seen", "nope:1", "--coder", "SO", code=1)


def test_output_fixes_interval_sign_chart_labels_neutral_locations(two, tmp_path) -> None:
    from thematic.analysis.charts import agreement_chart
    from thematic.export.reconcile import _fmt

    assert _fmt(-0.001, -0.02, -0.004) == "0.00 [-0.02, 0.00]"
    _run(two, "code", "mark-seen", "--coder", "HT", "--document", "int-01", "--document", "int-02")
    _run(two, "code", "mark-seen", "--coder", "SO", "--document", "int-01", "--document", "int-02")
    with Study(two) as s:
        table = s.agreement(["HT", "SO"], n_boot=50)
        fig = agreement_chart(table)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Krippendorff's alpha"
    assert {"0.667 tentative", "0.8 reliable"} <= {t.get_text() for t in ax.texts}
    out = tmp_path / "agree.docx"
    _run(two, "agreement", "--coders", "HT,SO", "--out", str(out))
    import docx

    where = [r.cells[0].text for r in docx.Document(str(out)).tables[1].rows[1:]]
    assert where and all(w.startswith("Interview ") for w in where) and not any("int-0" in w for w in where)


def test_reconcile_terminal_keystrokes_write_consensus_with_memos_and_tables_count_it(two) -> None:
    for coder in ("HT", "SO"):
        _run(two, "code", "mark-seen", "--coder", coder, "--document", "int-01", "--document", "int-02")
    # disputes: int-01:3 security_vetting (HT only), int-02:1 security_vetting (SO only)
    out = _run(two, "reconcile", "--coders", "HT,SO", "--by", "HT", input="y\nvetting is explicit\nn\n\n")
    assert "2 segment(s) coded alike settled as consensus" in out and "Done: 2 settled" in out
    with Study(two) as s:
        cons = s.codings(coder="consensus")
        assert sorted(zip(cons["segment_id"], cons["code_id"])) == [
            ("int-01:1", "generativity"), ("int-01:3", "security_vetting"), ("int-02:3", "generativity")]
        dec = s.store.decisions("consensus")
        assert list(dec["applied"]) == [1, 0] and list(dec["memo"])[0] == "vetting is explicit"
        freq = s.frequencies(level="code").set_index("code_id")
        assert freq.loc["security_vetting", "n_segments"] == 1  # SO's int-02:1 was overruled
        assert freq.loc["generativity", "n_segments"] == 2
    out = _run(two, "tables", "frequency")
    assert "consensus coding ('consensus') on the 4 segment(s)" in " ".join(out.split())
    out = _run(two, "reconcile", "--coders", "HT,SO", "--by", "HT")
    assert "0 disputed segment(s) left" in out.replace("\n", " ") or "Done: 0 settled" in out


def test_reconcile_sheet_route_reads_the_decision_column(two, tmp_path) -> None:
    for coder in ("HT", "SO"):
        _run(two, "code", "mark-seen", "--coder", coder, "--document", "int-01", "--document", "int-02")
    book = tmp_path / "decide.xlsx"
    _run(two, "reconcile", "--coders", "HT,SO", "--out", str(book))
    sheet = pd.read_excel(book, dtype=object)
    assert list(sheet["segment_id"]) == ["int-01:3", "int-02:1"] and "decision" in sheet.columns
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[-1] if "decision" in [c.value for c in wb.worksheets[-1][1]] else wb.worksheets[0]
    cols = {c.value: c.column for c in ws[1]}
    ws.cell(2, cols["decision"]).value = "none"
    ws.cell(2, cols["memo"]).value = "a passing mention"
    ws.cell(3, cols["decision"]).value = "security_vetting"
    wb.save(book)
    out = _run(two, "import", "reconcile", str(book), "--by", "SO")
    assert "Settled 2 disputed segment(s) and 2 coded alike" in out
    with Study(two) as s:
        cons = s.codings(coder="consensus")
        assert ("int-02:1", "security_vetting") in set(zip(cons["segment_id"], cons["code_id"]))
        assert ("int-01:3", "security_vetting") not in set(zip(cons["segment_id"], cons["code_id"]))
        assert set(s.store.decisions()["route"]) == {"sheet"}
    # the agreement workbook's disagreement sheet has the same decision column
    agree = tmp_path / "agree.xlsx"
    _run(two, "agreement", "--coders", "HT,SO", "--boot", "0", "--out", str(agree))
    dis = pd.read_excel(agree, sheet_name="Disagreements", dtype=object)
    assert {"decision", "memo", "segment_id"} <= set(dis.columns)
    assert "Settled 0 disputed segment(s)" in _run(two, "import", "reconcile", str(agree), "--by", "SO")
    bad = tmp_path / "bad.xlsx"
    assert "[E608]" in _run(two, "reconcile", "--coders", "HT,SO", "--consensus", "HT", code=1)
    pd.DataFrame({"x": [1]}).to_excel(bad, index=False)
    assert "[E605]" in _run(two, "import", "reconcile", str(bad), code=1)


@pytest.mark.slow
def test_example_study_sample_sheet_import_agreement_reconcile_tables_end_to_end(tmp_path) -> None:
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy2(REPO / "thematic.toml", root / "thematic.toml")
    shutil.copytree(REPO / "codebooks", root / "codebooks")
    shutil.copytree(REPO / "data" / "raw", root / "data" / "raw")
    sheets = REPO / "data" / "coded" / "sheets"
    _run(root, "ingest")
    out = _run(root, "import", "sheet", str(sheets / "coder-HT.xlsx"), "--coder", "HT")
    assert "segments recorded as seen" in out
    out = _run(root, "sample", "--coder", "SO", "--fraction", "0.2", "--of", "HT", "--seed", "3")
    sheet = root / "reports" / "coding-SO-sample.xlsx"
    assert sheet.is_file() and "Sample sample-SO-" in out
    # SO fills in the sample sheet: her ticks are those of her full shipped sheet, row by row
    full = pd.read_excel(sheets / "coder-SO.xlsx", sheet_name="coding", dtype=object).set_index("segment_id")
    wb = openpyxl.load_workbook(sheet)
    ws = wb["coding"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        sid = ws.cell(r, 1).value
        for j, col in enumerate(header, start=1):
            if col in full.columns and col not in ("segment_id", "document", "speaker", "participant", "text"):
                v = full.loc[sid, col]
                ws.cell(r, j).value = None if pd.isna(v) else v
    wb.save(sheet)
    _run(root, "import", "sheet", str(sheet), "--coder", "SO")
    with Study(root) as s:
        n_sample = int(s.store.samples().iloc[-1]["n_segments"])
        table = s.agreement(["HT", "SO"], n_boot=0)
        old = s.agreement(["HT", "SO"], n_boot=0, units="documents")
    assert int(table["n_shared"].iloc[0]) == n_sample < int(old["n_shared"].iloc[0])
    out = _run(root, "agreement", "--coders", "HT,SO", "--sample", "latest:SO", "--boot", "100")
    assert f"Agreement over {n_sample} segment(s) in the sample seen by HT and SO, 95% bootstrap CI" in out
    n_disputed = int(out.split(" segment(s) coded differently")[0].split()[-1])
    assert n_disputed > 0
    out = _run(root, "reconcile", "--coders", "HT,SO", "--by", "HT", input="y\n" * 600)  # y to all, memo "y"
    assert "0 disputed segment(s) left" in " ".join(out.split())
    with Study(root) as s:
        assert set(s.seen("consensus")["segment_id"]) == set(s.store.sample_segments("latest:SO")["segment_id"])
    out = _run(root, "tables", "frequency")
    assert f"consensus coding ('consensus') on the {n_sample} segment(s)" in " ".join(out.split())


def test_the_consensus_coders_name_comes_from_thematic_toml(two) -> None:
    toml = two / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'consensus = "consensus"' in text  # thematic init writes the default, commented
    toml.write_text(text.replace('consensus = "consensus"', 'consensus = "agreed"'), encoding="utf-8")
    for coder in ("HT", "SO"):
        _run(two, "code", "mark-seen", "--coder", coder, "--document", "int-01")
    _run(two, "reconcile", "--coders", "HT,SO", "--by", "HT", input="y\n\n")
    with Study(two) as s:
        assert s.config.consensus == "agreed" and len(s.seen("agreed")) == 3 and s.seen("consensus").empty
