"""Undoing a suggester run removes its open suggestions, keeps what a person decided, and lets the
next run suggest again (before, accepted codings vanished from the tables and the re-run said
"Nothing changed")."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import write_study


def test_undo_of_a_suggester_run_keeps_decisions_and_can_be_run_again(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    study = Study(root)
    report = study.run_code(suggesters=["rules"])
    batch = report.batch_id
    suggested = study.codings(status="suggested")
    assert len(suggested) >= 3
    accept, reject = suggested["coding_id"].iloc[0], suggested["coding_id"].iloc[1]
    study.store.set_status([accept], "accepted", actor="HT")
    study.store.set_status([reject], "rejected", actor="HT")
    study.store.close()

    out = CliRunner().invoke(app, ["undo", batch, "--study", str(root)])
    assert out.exit_code == 0, out.output
    assert "2 reviewed coding(s) kept" in " ".join(out.output.split())
    again = Study(root)
    left = again.codings()
    assert set(left["coding_id"]) == {accept, reject}
    assert set(left["status"]) == {"accepted", "rejected"}
    rerun = again.run_code(suggesters=["rules"])
    assert not rerun.nothing_changed
    assert len(again.codings(status="suggested")) == len(suggested) - 2
