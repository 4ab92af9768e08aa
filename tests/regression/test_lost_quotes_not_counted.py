"""A coding whose quote a re-ingest could not find is not counted or quoted until a person re-codes it.

Its offsets point at whatever text is there now (a new user's appendix quoted "…dire.\\n\\n#", cut at
stale offsets, and counted it); the tables say how many were left out.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import write_study


def test_a_coding_whose_quote_was_lost_is_left_out_and_said_so(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    segs = study.segments()
    lost = segs.loc[segs["text"].str.contains("funding for transcription")].iloc[0]["segment_id"]
    kept = segs.loc[segs["text"].str.contains("grant money")].iloc[0]["segment_id"]
    study.code(lost, "funding_resources", coder="AB")
    study.code(kept, "funding_resources", coder="AB")
    before = study.frequencies().set_index("code_id").loc["funding_resources", "n_participants"]
    assert before == 2
    ana = root / "data" / "raw" / "ana.txt"
    ana.write_text(ana.read_text(encoding="utf-8").replace(
        "There is never enough time, and the funding for transcription ran out.",
        "Honestly the money situation was dire, and I had no help at all."), encoding="utf-8")
    study.ingest()
    flagged = study.store.codings(flagged=True)
    assert len(flagged) == 1 and flagged["segment_id"].isna().all()  # its turn's id may be another's now
    freq = study.frequencies()
    assert freq.set_index("code_id").loc["funding_resources", "n_participants"] == 1
    out = " ".join(CliRunner().invoke(app, ["tables", "frequency", "--study", str(root)]).output.split())
    assert "1 coding(s) whose quote was lost at a re-ingest" in out
    quotes = study.quotes()
    assert "money situation" not in " ".join(quotes["text"].astype(str))


def test_a_lost_quote_is_attributed_to_nobody_in_the_codings_export(tmp_path: Path) -> None:
    import pandas as pd

    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    segs = study.segments()
    lost = segs.loc[segs["text"].str.contains("funding for transcription")].iloc[0]["segment_id"]
    study.code(lost, "funding_resources", coder="AB")
    ana = root / "data" / "raw" / "ana.txt"  # the turn goes; another speaker's turn takes its place
    ana.write_text(ana.read_text(encoding="utf-8").replace(
        "Ana: There is never enough time, and the funding for transcription ran out.\n", ""), encoding="utf-8")
    study.ingest()
    coding = study.store.codings().iloc[0]
    assert pd.isna(coding["segment_id"])
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(app, ["export", "codings", "--all-statuses", "--out", str(out), "--study", str(root)])
    assert result.exit_code == 0, result.output
    row = pd.read_csv(out, encoding="utf-8-sig").iloc[0]
    assert pd.isna(row["participant_id"]) and pd.isna(row["segment_id"]) and not row["counted"]
    assert "quote lost" in str(row["location"])
