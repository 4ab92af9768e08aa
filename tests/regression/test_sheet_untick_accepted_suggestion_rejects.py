"""A coding sheet's untick of an accepted suggestion rejects it, and undoing the import accepts it again.

The widget, ``Study.uncode`` and ``thematic code remove`` already turned an accepted suggestion that was
unticked into a rejection, but a sheet import still deleted it, so the next ``thematic code`` run stored
the same suggestion again as open. Now the sheet rejects it too (logged with the coder and the import's
batch) and ``thematic undo <sheet batch>`` puts it back as accepted; the event log still replays.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from coding.assisted_support import write_codebook
from thematic.cli.main import app
from thematic.coding.run import code

from .test_untick_accepted_suggestion_rejects import SID, _suggestion
from .test_untick_accepted_suggestion_rejects import suggested as suggested  # noqa: F401 - the fixture


@pytest.fixture
def accepted(suggested):  # noqa: ANN001, ANN201 - a thematic.Study whose AB accepted one suggestion
    suggested.decide(_suggestion(suggested)["coding_id"], "accept", reviewer="AB")
    return suggested


def _untick(study, tmp_path: Path) -> Path:  # noqa: ANN001
    path = study.export_sheet(tmp_path / "AB.xlsx", coder="AB").path
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    cell = ws.cell(rows[SID], cols["security_vetting"])
    assert cell.value not in (None, "")  # the accepted suggestion is pre-ticked as AB's coding
    cell.value = None
    wb.save(path)
    return path


def _replay_matches(study) -> None:  # noqa: ANN001
    now = study.store.codings().sort_values("coding_id", ignore_index=True).drop(columns="updated_at")
    replayed = study.store.replay_events().sort_values("coding_id", ignore_index=True).drop(columns="updated_at")
    pd.testing.assert_frame_equal(now, replayed)


def test_a_sheet_untick_rejects_and_undo_accepts_again(accepted, tmp_path) -> None:  # noqa: ANN001
    report = accepted.import_sheet(_untick(accepted, tmp_path), coder="AB")
    assert (report.removed, report.rejected) == (0, 1)
    row = _suggestion(accepted)
    assert row["status"] == "rejected" and row["reviewer"] == "AB"
    last = accepted.store.events(coding_id=row["coding_id"]).iloc[-1]
    assert last["kind"] == "reject" and last["actor"] == "AB" and last["batch_id"] == report.batch_id
    _replay_matches(accepted)

    write_codebook(accepted, version="2.1.0")  # a release makes the suggester run over every document again
    assert code(accepted, suggesters=["rules"], ingest=False).added == 0
    assert _suggestion(accepted)["status"] == "rejected"

    assert accepted.undo(report.batch_id, actor="AB") == 0  # the import added nothing
    row = _suggestion(accepted)
    assert row["status"] == "accepted" and row["reviewer"] == "AB"
    _replay_matches(accepted)


def test_undo_leaves_a_rejection_decided_again_since(accepted, tmp_path) -> None:  # noqa: ANN001
    report = accepted.import_sheet(_untick(accepted, tmp_path), coder="AB")
    cid = _suggestion(accepted)["coding_id"]
    accepted.store.set_status([cid], "accepted", actor="CD")  # someone decided again after the import
    accepted.undo(report.batch_id, actor="AB")
    row = _suggestion(accepted)
    assert row["status"] == "accepted" and row["reviewer"] == "CD"
    _replay_matches(accepted)


def test_cli_undo_of_the_sheet_says_it_restored_the_acceptance(accepted, tmp_path) -> None:  # noqa: ANN001
    report = accepted.import_sheet(_untick(accepted, tmp_path), coder="AB")
    assert _suggestion(accepted)["status"] == "rejected"
    accepted.close()
    result = CliRunner().invoke(app, ["undo", report.batch_id, "--study", str(accepted.root)])
    assert result.exit_code == 0, result.output
    assert "1 unticked coding(s) restored" in " ".join(result.output.split())
    assert _suggestion(accepted)["status"] == "accepted"
