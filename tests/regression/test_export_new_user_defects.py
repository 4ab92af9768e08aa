"""Exports and reports on a small one-source study, as a new user first meets them.

A hand-written fictional study (two interviews, a three-level codebook, participants.csv with a
name and an e-mail column): each test reads back the file a command wrote (python-docx,
openpyxl, pandas) and checks what a reader of that file would see.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study, init_study

runner = CliRunner()

CODEBOOK = """\
name: small
version: 1.0.0
themes:
- {id: resources, label: Resources, definition: Money.}
codes:
- {id: funding, label: Funding, parent: resources, definition: Funding.}
- {id: funding_cuts, label: Cuts, parent: funding, definition: Cuts.}
- {id: vetting, label: Vetting, parent: resources, definition: Vetting.}
"""
ALPHA = ("Interviewer: Tell me.\nKofi: The funding was cut.\n\n# Second paragraph.\n- a list item\n"
         "Interviewer: And?\nKofi: Vetting was slow.\n")
BETA = "Interviewer: Tell me.\nAma: Funding again.\n"
PARTICIPANTS = ("participant_id,name,transcript,role,site,age_band,full_name,email\n"
                "P1,Kofi,alpha.txt,mentor,north,30-39,Kofi Mensah,kofi@example.org\n"
                "P2,Ama,beta.txt,staff,south,40-49,Ama Owusu,ama@example.org\n")


def make_study(root: Path) -> Path:
    """Two interviews coded by AB: alpha's first turn as funding_cuts, its last as vetting, beta's as funding."""
    init_study(root, name="Small study").close()
    for cb in (root / "codebooks").glob("*.yaml"):
        cb.unlink()
    (root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    raw = root / "data" / "raw"
    (raw / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (raw / "beta.txt").write_text(BETA, encoding="utf-8")
    (raw / "participants.csv").write_text(PARTICIPANTS, encoding="utf-8")
    with Study(root) as study:
        study.ingest()
        turns = study.store.segments()
        turns = turns.loc[~turns["is_interviewer"].astype(bool)]
        first = {d: g["segment_id"].tolist() for d, g in turns.groupby("document_id")}
        study.code(first["alpha"][0], "funding_cuts", coder="AB")
        study.code(first["alpha"][-1], "vetting", coder="AB")
        study.code(first["beta"][0], "funding", coder="AB")
    return root


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_study(tmp_path / "study")


def cli(*args: str) -> object:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def segment_of(root: Path, document: str, words: str) -> pd.Series:
    with Study(root) as study:
        segs = study.store.segments()
    return segs.loc[(segs["document_id"] == document) & segs["text"].str.contains(words, regex=False)].iloc[0]


def spanning_coding(root: Path) -> None:
    """A coding from inside alpha's first turn to the start of its last (three turns, one interviewer's)."""
    first, last = segment_of(root, "alpha", "funding was cut"), segment_of(root, "alpha", "Vetting was slow")
    with Study(root) as study:
        study.code(("alpha", int(first["start"]) + 4, int(last["start"]) + 7), "vetting", coder="AB")


# -- 1. the at-a-glance table of a one-source study ------------------------------------------------

def test_report_at_a_glance_table_fills_n_of_N_with_one_source(small: Path) -> None:
    import docx

    out = small / "app.docx"
    assert cli("report", "quotes", "--out", str(out), "--study", str(small)).exit_code == 0
    rows = [[c.text for c in r.cells] for r in docx.Document(str(out)).tables[0].rows]
    assert rows[0] == ["Theme / code", "Interviewees", "Passages", "Documents"]
    assert rows[1] == ["Resources", "2 of 2 (100%)", "3", "2"]
    assert rows[3] == ["Cuts", "1 of 2 (50%)", "1", "1"]


def test_report_at_a_glance_table_by_group_keeps_its_columns(small: Path) -> None:
    import docx

    out = small / "app.docx"
    assert cli("report", "quotes", "--out", str(out), "--by", "role", "--study", str(small)).exit_code == 0
    rows = [[c.text for c in r.cells] for r in docx.Document(str(out)).tables[0].rows]
    assert rows[0] == ["Theme / code", "All", "mentor", "staff"]
    assert rows[1] == ["Resources", "2 of 2", "1 of 1", "1 of 1"]


# -- 2. a coding that spans turns ------------------------------------------------------------------

def test_export_codings_locate_a_coding_spanning_turns(small: Path) -> None:
    spanning_coding(small)
    out = small / "x.csv"
    result = cli("export", "codings", "--out", str(out), "--study", str(small))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    span = table.loc[table["segment_id"].isna() | (table["location"].str.startswith("turns"))]
    assert len(span) == 1
    row = span.iloc[0]
    assert row["location"] == "turns 2-4"  # it starts in turn 2 and ends in turn 4 (every speaker's turns)
    assert row["participant_id"] == "P1" and row["segment_id"] == "alpha:1"  # the turn it starts in


def test_report_workbook_and_table_exports_survive_a_coding_spanning_turns(small: Path) -> None:
    from openpyxl import load_workbook

    spanning_coding(small)
    book = small / "t.xlsx"
    assert cli("report", "workbook", "--out", str(book), "--study", str(small)).exit_code == 0
    sheet = load_workbook(book)["Codings"]
    header = [c.value for c in sheet[1]]
    locations = [r[header.index("location")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "turns 2-4" in locations
    folder = small / "tables"
    assert cli("export", "tables", "--out", str(folder), "--study", str(small)).exit_code == 0
    assert (folder / "codings.csv").is_file()
    md = small / "q.md"
    assert cli("report", "quotes", "--out", str(md), "--study", str(small)).exit_code == 0
    assert "was cut" in md.read_text(encoding="utf-8")


def test_report_workbook_codings_sheet_says_which_codings_count(small: Path) -> None:
    """A coding on an interviewer turn is listed but marked as not counted, as the About sheet says."""
    from openpyxl import load_workbook

    interviewer = segment_of(small, "beta", "Tell me.")
    with Study(small) as study:
        study.code(interviewer["segment_id"], "vetting", coder="AB")
    book = small / "t.xlsx"
    assert cli("report", "workbook", "--out", str(book), "--study", str(small)).exit_code == 0
    wb = load_workbook(book)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    rows = list(wb["Codings"].iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    assert "counted" in header
    on_interviewer = [r for r in body if r["segment_id"] == interviewer["segment_id"]]
    assert [r["counted"] for r in on_interviewer] == [False]
    assert all(r["counted"] for r in body if r["segment_id"] != interviewer["segment_id"])
    assert "interviewer" in about["Codings"] and "counted" in about["Codings"]


# -- 4. the co-occurrence matrix pairs codes as the pairs table does -------------------------------

def test_export_cooccurrence_matrix_leaves_a_code_and_its_sub_codes_unpaired(small: Path) -> None:
    with Study(small) as study:  # funding and its sub-code on one segment, and an unrelated code beside them
        study.code(segment_of(small, "alpha", "funding was cut")["segment_id"], "funding", coder="AB")
        study.code(segment_of(small, "alpha", "funding was cut")["segment_id"], "vetting", coder="AB")
    out = small / "m.csv"
    assert cli("tables", "cooccurrence", "--matrix", "--out", str(out), "--study", str(small)).exit_code == 0
    m = pd.read_csv(out, encoding="utf-8-sig", index_col="code_id")
    assert pd.isna(m.loc["funding", "funding_cuts"]) and pd.isna(m.loc["funding_cuts", "funding"])
    assert m.loc["funding", "vetting"] == 1 and m.loc["funding_cuts", "vetting"] == 1
    assert m.loc["funding", "funding"] == 2  # the diagonal still counts each code's segments
    pairs = small / "p.csv"
    assert cli("tables", "cooccurrence", "--out", str(pairs), "--study", str(small)).exit_code == 0
    listed = {frozenset(p) for p in pd.read_csv(pairs, encoding="utf-8-sig")[["code_a", "code_b"]].itertuples(index=False)}
    assert listed == {frozenset({"funding", "vetting"}), frozenset({"funding_cuts", "vetting"})}
    # With --include-nested both show the nested pair.
    assert cli("tables", "cooccurrence", "--matrix", "--include-nested", "--out", str(out),
               "--study", str(small)).exit_code == 0
    assert pd.read_csv(out, encoding="utf-8-sig", index_col="code_id").loc["funding", "funding_cuts"] == 1
    assert cli("tables", "cooccurrence", "--include-nested", "--out", str(pairs), "--study", str(small)).exit_code == 0
    listed = {frozenset(p) for p in pd.read_csv(pairs, encoding="utf-8-sig")[["code_a", "code_b"]].itertuples(index=False)}
    assert frozenset({"funding", "funding_cuts"}) in listed
    chart = small / "heat.png"
    assert cli("tables", "cooccurrence", "--chart", str(chart), "--study", str(small)).exit_code == 0
    assert chart.stat().st_size > 0


# -- 6, 7. the Markdown appendix -------------------------------------------------------------------

def quote_blocks(markdown: str) -> list[list[str]]:
    """Each run of consecutive non-blank lines that contains a block quote."""
    blocks, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.strip():
            current.append(line)
        else:
            if any(ln.startswith(">") for ln in current):
                blocks.append(current)
            current = []
    return blocks


def test_report_markdown_quotes_every_line_of_a_multi_paragraph_quote(small: Path) -> None:
    out = small / "app.md"
    assert cli("report", "quotes", "--out", str(out), "--study", str(small)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    block = next(b for b in quote_blocks(text) if any("funding was cut" in ln for ln in b))
    assert all(ln.startswith(">") for ln in block), block  # no line escapes the block quote
    assert not any(ln.startswith("#") for ln in text.splitlines() if "Second paragraph" in ln)
    inner = [ln[1:].lstrip() for ln in block]
    assert any(ln.startswith("\\# Second paragraph.") for ln in inner)  # text, not a heading
    assert any(ln.startswith("\\- a list item") for ln in inner)  # text, not a list
    assert "> \u201cFunding again.\u201d" in text.splitlines()  # a one-line quote keeps both quotation marks


def test_report_markdown_has_the_at_a_glance_table_and_linked_charts(small: Path) -> None:
    out = small / "reports" / "app.md"
    out.parent.mkdir(exist_ok=True)
    assert cli("report", "quotes", "--out", str(out), "--charts", "--study", str(small)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "## Themes and codes at a glance" in text
    lines = text.splitlines()
    head = lines.index("| Theme / code | Interviewees | Passages | Documents |")
    assert lines[head + 2] == "| **Resources** | 2 of 2 (100%) | 3 | 2 |"
    links = [ln for ln in lines if ln.startswith("![")]
    assert len(links) == 2
    for link in links:
        target = link[link.index("](") + 2:-1]
        assert not Path(target).is_absolute()
        assert (out.parent / target).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cli("report", "quotes", "--out", str(out), "--no-table", "--study", str(small)).exit_code == 0
    assert "at a glance" not in out.read_text(encoding="utf-8")


# -- 5. unknown filter values are errors, not empty output -----------------------------------------

@pytest.mark.parametrize("command", [
    ("tables", "frequency"), ("tables", "cooccurrence"), ("tables", "matrix"),
    ("export", "codings", "--out", "{root}/c.csv"), ("report", "quotes", "--out", "{root}/q.docx"),
    ("report", "workbook", "--out", "{root}/w.xlsx"), ("export", "tables", "--out", "{root}/tt"),
])
def test_export_unknown_coder_is_an_error_naming_the_known_ones(small: Path, command: tuple[str, ...]) -> None:
    args = [a.format(root=small) for a in command]
    result = cli(*args, "--coder", "ZZ", "--study", str(small))
    assert result.exit_code == 1
    assert "[E409]" in result.output and "'ZZ'" in result.output and "AB" in result.output
    assert not any(small.glob("c.csv")) and not any(small.glob("q.docx"))


def test_export_coder_matches_case_insensitively_when_unambiguous(small: Path) -> None:
    out = small / "f.csv"
    assert cli("tables", "frequency", "--coder", "ab", "--out", str(out), "--study", str(small)).exit_code == 0
    freq = pd.read_csv(out, encoding="utf-8-sig")
    assert freq.loc[freq["code_id"] == "resources", "n_of_N"].tolist() == ["2 of 2"]
    close = cli("tables", "frequency", "--coder", "AC", "--study", str(small))
    assert close.exit_code == 1 and "Did you mean 'AB'?" in close.output


def test_report_unknown_group_is_an_error_naming_the_groups(small: Path) -> None:
    out = small / "q.docx"
    result = cli("report", "quotes", "--out", str(out), "--by", "role", "--groups", "mentr", "--study", str(small))
    assert result.exit_code == 1 and not out.exists()
    assert "[E410]" in result.output and "Did you mean 'mentor'?" in result.output and "staff" in result.output
    ok = cli("report", "quotes", "--out", str(out), "--by", "role", "--groups", "Mentor", "--study", str(small))
    assert ok.exit_code == 0  # groups are matched as the tables group them: case and spacing aside
    alone = cli("report", "quotes", "--out", str(out), "--groups", "mentor", "--study", str(small))
    assert alone.exit_code == 1 and "[E411]" in alone.output


def test_export_unknown_document_is_an_error_like_the_tables(small: Path) -> None:
    out = small / "q.docx"
    result = cli("report", "quotes", "--out", str(out), "--documents", "nosuch", "--study", str(small))
    assert result.exit_code == 1 and "[E408]" in result.output


# -- 8. --out writes what its help says ------------------------------------------------------------

def test_export_attribute_crosstab_out_is_the_file_named(small: Path) -> None:
    out = small / "cross.csv"
    result = cli("tables", "attributes", "site", "--by", "role", "--out", str(out), "--study", str(small))
    assert result.exit_code == 0, result.output
    assert out.is_file() and not (small / "cross").exists()
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns[:2]) == ["attribute", "value"] and set(table["attribute"]) == {"site"}
    assert table.set_index("value").loc["Total", "Total"] == 2
    book = small / "cross.xlsx"  # several crosstabs: one sheet each
    assert cli("tables", "attributes", "site", "age_band", "--by", "role", "--out", str(book),
               "--study", str(small)).exit_code == 0
    from openpyxl import load_workbook

    assert load_workbook(book).sheetnames == ["site", "age_band"]


@pytest.mark.parametrize("command", [
    ("export", "tables", "--format", "csv", "--out", "{root}/tt.xlsx"),
    ("export", "codings", "--format", "xlsx", "--out", "{root}/c.csv"),
    ("export", "tables", "--format", "xlsx", "--out", "{root}/tt.csv"),
])
def test_export_out_suffix_and_format_must_agree(small: Path, command: tuple[str, ...]) -> None:
    args = [a.format(root=small) for a in command]
    result = cli(*args, "--study", str(small))
    assert result.exit_code == 1
    assert "[E412]" in result.output and "unknown format" not in result.output
    target = Path(args[-1])
    assert not target.exists()


# -- 3. personal columns stay out of exports -------------------------------------------------------

def test_export_personal_columns_are_recognised_however_they_are_spelt() -> None:
    from thematic.analysis.attributes import (
        attribute_tallies,
        is_personal,
        without_personal,
    )

    people = pd.DataFrame({"participant_id": ["P1", "P2"], "role": ["mentor", "staff"],
                           "Full Name": ["Kofi Mensah", "Ama Owusu"], "E-mail": ["k@example.org", "a@example.org"],
                           "phone_number": ["0123", "0456"], "Date of birth": ["1980-01-01", "1990-02-02"]})
    assert [c for c in people.columns if is_personal(c)] == ["participant_id", "Full Name", "E-mail", "phone_number",
                                                             "Date of birth"]
    assert set(attribute_tallies(people)["attribute"]) == {"role"}
    assert list(without_personal(people).columns) == ["participant_id", "role"]  # the id is the pseudonymous key


def test_export_workbook_and_codings_carry_no_personal_column(small: Path) -> None:
    from openpyxl import load_workbook

    book = small / "w.xlsx"
    assert cli("report", "workbook", "--out", str(book), "--study", str(small)).exit_code == 0
    cells = {str(v) for ws in load_workbook(book) for row in ws.iter_rows(values_only=True) for v in row if v}
    assert not {"Kofi Mensah", "kofi@example.org", "email", "full_name"} & cells
    out = small / "c.csv"
    assert cli("export", "codings", "--out", str(out), "--study", str(small)).exit_code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "Mensah" not in text and "example.org" not in text


# -- 9. N for one coder's sample; --wide without --by ------------------------------------------------

def test_report_frequency_for_a_sampled_coder_counts_who_they_saw(small: Path) -> None:
    seen = segment_of(small, "alpha", "Vetting was slow")
    with Study(small) as study:  # SO double-coded a sample of one turn, of P1 only
        study.mark_seen([seen["segment_id"], segment_of(small, "alpha", "funding was cut")["segment_id"]], coder="SO")
        study.code(seen["segment_id"], "vetting", coder="SO")
    out = small / "f.csv"
    result = cli("tables", "frequency", "--coder", "SO", "--out", str(out), "--study", str(small))
    assert result.exit_code == 0, result.output
    freq = pd.read_csv(out, encoding="utf-8-sig").set_index("code_id")
    assert freq.loc["vetting", "n_of_N"] == "1 of 1"  # of the one participant SO saw, not "1 of 2"
    assert "SO saw" in " ".join(result.output.split())
    everyone = cli("tables", "frequency", "--coder", "AB", "--out", str(out), "--study", str(small))
    assert pd.read_csv(out, encoding="utf-8-sig").set_index("code_id").loc["vetting", "n_of_N"] == "1 of 2"
    assert "no recorded coverage" in " ".join(everyone.output.split())
    book = small / "w.xlsx"
    assert cli("report", "workbook", "--coder", "SO", "--out", str(book), "--study", str(small)).exit_code == 0
    from openpyxl import load_workbook

    about = {r[0]: r[1] for r in load_workbook(book)["About"].iter_rows(min_row=2, values_only=True)}
    assert "SO saw" in about["Frequencies"]
    with Study(small) as study:  # the notebook's table says the same as the command's
        in_notebook = study.frequencies(coder="SO").drop_duplicates("code_id").set_index("code_id")
    assert in_notebook.loc["vetting", "n_of_N"] == "1 of 1"


def test_export_frequency_wide_without_by_has_a_column_per_source(small: Path) -> None:
    out = small / "w.csv"
    result = cli("tables", "frequency", "--wide", "--out", str(out), "--study", str(small))
    assert result.exit_code == 0, result.output
    wide = pd.read_csv(out, encoding="utf-8-sig")
    assert list(wide.columns) == ["code_id", "label", "kind", "interviewees"]
    assert wide.set_index("code_id").loc["resources", "interviewees"] == "2 of 2"


def test_export_segments_leaves_personal_columns_out_and_names_an_unknown_document(small: Path) -> None:
    out = small / "segments.csv"
    result = cli("export", "segments", "--out", str(out), "--study", str(small))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert not {"email", "full_name"} & set(table.columns)
    assert "Kofi Mensah" not in out.read_text(encoding="utf-8") and {"role", "site"} <= set(table.columns)
    missing = cli("export", "segments", "--out", str(out), "--document", "nosuch", "--study", str(small))
    assert missing.exit_code == 1 and "[E408]" in missing.output and "alpha" in missing.output


def test_export_codings_keeps_the_coders_codings_a_consensus_settled(small: Path) -> None:
    seg = segment_of(small, "beta", "Funding again")["segment_id"]
    with Study(small) as study:
        study.code(seg, "funding", coder="SO")
        study.code(seg, "funding", coder="consensus")
        study.mark_seen([seg], coder="consensus")
        every = len(study.codings())
    out = small / "c.csv"
    assert cli("export", "codings", "--all-statuses", "--out", str(out), "--study", str(small)).exit_code == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == every  # the audit trail: nobody's coding is missing
    on_seg = table.loc[table["segment_id"] == seg].set_index("coder")
    assert set(on_seg.index) == {"AB", "SO", "consensus"}
    assert on_seg.loc["consensus", "counted"] and not on_seg.loc["AB", "counted"]
    assert on_seg.loc["AB", "superseded"] and not on_seg.loc["consensus", "superseded"]
    default = small / "d.csv"
    assert cli("export", "codings", "--out", str(default), "--study", str(small)).exit_code == 0
    assert set(pd.read_csv(default, encoding="utf-8-sig").query("segment_id == @seg", local_dict={"seg": seg})["coder"]) \
        == {"AB", "SO", "consensus"}
