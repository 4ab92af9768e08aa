"""Agreement counts a coder who recorded what they saw but applied no code.

SO read the three sampled turns (``mark_seen``, or a blind sheet returned untouched) and decided that
no code applies. Agreement used to refuse with E404 "no codings from SO"; docs/two-coders.md says a
seen-and-not-coded decision counts, so SO is now rated "not applied" on every segment SO saw. A coder
with neither codings nor recorded coverage is still refused, and the message says both are missing.
Fictional data written fresh; the figures are worked out by hand below.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import InputError

runner = CliRunner()

CODEBOOK = """\
name: fixture
version: 1.0.0
themes:
- id: constraints
  label: Constraints
  definition: What gets in the way.
codes:
- id: time_pressure
  label: Lack of time
  parent: constraints
  definition: Not having enough time.
- id: weather
  label: Weather
  parent: constraints
  definition: Talk about the weather.
"""
TEXT = ("Interviewer: How was it?\nAnn: I had no time at all.\nInterviewer: And?\nAnn: We met on Tuesdays.\n"
        "Interviewer: More?\nAnn: The room was cold.\n")


@pytest.fixture
def one_interview(study):
    """One interview of three participant turns; HT applied time_pressure to the first and saw all three."""
    (study.root / "codebooks" / "fixture.yaml").write_text(CODEBOOK, encoding="utf-8")
    (study.root / "data" / "raw" / "interview-a.txt").write_text(TEXT, encoding="utf-8")
    study.ingest()
    turns = list(study.segments(include_interviewer=False)["segment_id"])
    assert len(turns) == 3
    study.code(turns[0], "time_pressure", coder="HT")
    study.mark_seen(turns, coder="HT")
    study.turns = turns
    return study


def _check_hand_figures(table) -> None:
    # HT: [1, 0, 0], SO: [0, 0, 0] on the three shared turns.
    # percent agreement 2/3. Cohen: po = 2/3, pe = (1/3)(0) + (2/3)(1) = 2/3, kappa = 0.
    # Krippendorff (nominal): o_00 = 4, o_01 = o_10 = 1, n = 6, n_0 = 5, n_1 = 1;
    # D_o = 2/6, D_e = 2*5*1/(6*5) = 1/3, alpha = 0. Prevalence: 1 of 6 ratings applies it.
    row = table.set_index("code_id").loc["time_pressure"]
    assert row["n_shared"] == 3
    assert (row["n_HT"], row["n_SO"]) == (1, 0)
    assert (row["seen_HT"], row["seen_SO"]) == (3, 3)
    assert row["percent_agreement"] == pytest.approx(2 / 3)
    assert row["cohen_kappa"] == pytest.approx(0.0)
    assert row["krippendorff_alpha"] == pytest.approx(0.0)
    assert row["prevalence"] == pytest.approx(1 / 6)
    assert "weather" not in set(table["code_id"])  # nobody applied it: not a row, not pooled


def test_a_coder_who_saw_and_coded_nothing_is_compared(one_interview) -> None:
    one_interview.mark_seen(one_interview.turns, coder="SO")
    table = one_interview.agreement(["HT", "SO"], n_boot=0)
    _check_hand_figures(table)
    pooled = table.set_index("code_id").loc["(all codes)"]
    assert pooled["percent_agreement"] == pytest.approx(2 / 3)
    diffs = one_interview.disagreements(["HT", "SO"])
    assert list(diffs["segment_id"]) == [one_interview.turns[0]]


def test_a_coverage_only_coder_is_matched_case_aside(one_interview) -> None:
    one_interview.mark_seen(one_interview.turns, coder="SO")
    _check_hand_figures(one_interview.agreement(["ht", "so"], n_boot=0))


def test_an_untouched_blind_sheet_counts_as_no_code_on_every_row(one_interview, tmp_path) -> None:
    sheet = tmp_path / "so.xlsx"
    one_interview.export_sheet(sheet, coder="SO")
    one_interview.import_sheet(sheet, coder="SO")
    assert len(one_interview.seen("SO")) == 3 and one_interview.codings(coder="SO").empty
    _check_hand_figures(one_interview.agreement(["HT", "SO"], n_boot=0))


def test_the_command_compares_them(one_interview) -> None:
    one_interview.mark_seen(one_interview.turns, coder="SO")
    root = one_interview.root
    one_interview.close()
    result = runner.invoke(app, ["agreement", "--coders", "HT,SO", "--boot", "0", "--study", str(root)],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "HT saw 3 segment(s), SO saw 3; both saw 3" in flat


def test_a_coder_with_neither_codings_nor_coverage_is_refused(one_interview) -> None:
    one_interview.mark_seen(one_interview.turns[:1], coder="SO")
    with pytest.raises(InputError, match=r"\[E404\].*no codings from XY and no recorded coverage") as err:
        one_interview.agreement(["HT", "XY"], n_boot=0)
    assert "coders with codings: HT" in str(err.value) and "SO" in str(err.value)  # SO can be named
