"""A segment longer than an Excel cell (32,767 characters, a long monologue) shows in the blind coding sheet cut
with a visible "…", so the coder knows the passage goes on; before, it stopped mid-word with nothing to say so.
The filled sheet still imports onto that segment.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .tiny_study import ENV, methods_study, tick_in_sheet

runner = CliRunner()


def test_long_segment_cut_with_a_mark_and_imported_back(tmp_path: Path) -> None:
    long_turn = " ".join(f"word{i}" for i in range(6000)) + " taught online."
    assert len(long_turn) > 40_000
    root = methods_study(tmp_path / "study", {"ana.txt": f"Interview\n\nResearcher 1: Q?\n\nP01: {long_turn}\n"})
    with Study(root) as s:
        s.ingest()
    out = tmp_path / "sheet.xlsx"
    r = runner.invoke(app, ["export", "sheet", "--coder", "CD", "--out", str(out), "--study", str(root)], env=ENV)
    assert r.exit_code == 0, r.output
    shown = tick_in_sheet(out, "word0 ", "online")
    assert len(shown) == 32_767 and shown.endswith("…") and long_turn.startswith(shown[:-1])
    r = runner.invoke(app, ["import", "sheet", str(out), "--coder", "CD", "--study", str(root)], env=ENV)
    assert r.exit_code == 0, r.output
    with Study(root) as s:
        assert s.codings(coder="CD")["segment_id"].tolist() == ["ana:1"]
