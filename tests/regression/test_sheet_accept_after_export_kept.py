"""A suggestion the coder accepts after exporting their sheet is not undone when the unchanged sheet comes back.

The import decided "existed at export" from a coding's ``created_at``, which for a suggestion is when the
suggester stored it, so a suggestion HT accepted in review after the export looked unticked and was
rejected (and its memo, not on the sheet, wiped as if the empty memo cell were an edit). Now a coding may be
taken off only if it was already the coder's own at export (for an accepted suggestion: accepted by them
before the export), an untick of one that was still removes or rejects it, and a memo cell left as exported
changes no memo written since.
"""

from __future__ import annotations

import time
from pathlib import Path

import openpyxl

from thematic.study import Study

from .unlike_example import write_study

BUSY = "so I am always busy"  # David's turn: rules suggests time_pressure (and funding_resources) here


def _study(tmp_path: Path) -> tuple[Study, str, str]:
    """A study where rules has suggested on every turn: (study, David's segment, its time_pressure suggestion)."""
    study = Study(write_study(tmp_path / "s"))
    study.ingest()
    study.run_code(suggesters=["rules"])
    segs = study.store.segments()
    sid = str(segs.loc[segs["text"].str.contains(BUSY, regex=False), "segment_id"].iloc[0])
    cods = study.store.codings(code="time_pressure")
    cid = str(cods.loc[(cods["segment_id"] == sid) & (cods["status"] == "suggested"), "coding_id"].iloc[0])
    return study, sid, cid


def _export(study: Study, tmp_path: Path) -> Path:
    path = study.export_sheet(tmp_path / "HT.xlsx", coder="HT").path
    time.sleep(0.01)  # what follows happens after the export, also on a coarse clock
    return path


def _untick(path: Path, sid: str, code: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["coding"]
    cols = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    cell = ws.cell(rows[sid], cols[code])
    assert cell.value not in (None, "")  # it was HT's coding at export, so it was ticked
    cell.value = None
    wb.save(path)


def test_a_suggestion_accepted_after_the_export_stays_accepted(tmp_path: Path) -> None:
    study, _, cid = _study(tmp_path)
    with study:
        path = _export(study, tmp_path)  # the suggestion is still open: not ticked on HT's sheet
        memo = study.store.coding(cid)["memo"]  # the suggester's reason ("keyword 'busy'")
        study.decide(cid, "accept", reviewer="HT")
        report = study.import_sheet(path, coder="HT")
        assert (report.removed, report.rejected, report.memos) == (0, 0, 0)
        row = study.store.coding(cid)
        assert (row["status"], row["reviewer"], row["memo"]) == ("accepted", "HT", memo)
        assert study.store.events(coding_id=cid)["kind"].iloc[-1] == "accept"


def test_a_suggestion_accepted_before_the_export_and_unticked_is_rejected(tmp_path: Path) -> None:
    study, sid, cid = _study(tmp_path)
    with study:
        study.decide(cid, "accept", reviewer="HT")
        path = _export(study, tmp_path)
        # a memo edited since the export moves updated_at, but the coding was HT's when the sheet was made
        study.store.update_codings({cid: {"memo": "checked again"}}, kind="memo", actor="HT")
        _untick(path, sid, "time_pressure")
        report = study.import_sheet(path, coder="HT")
        assert (report.removed, report.rejected) == (0, 1)
        row = study.store.coding(cid)
        assert (row["status"], row["reviewer"]) == ("rejected", "HT")


def test_manual_codings_unticked_go_and_ones_made_since_stay(tmp_path: Path) -> None:
    study, sid, _ = _study(tmp_path)
    with study:
        before = study.code(sid, "qualitative_methods", coder="HT").id
        path = _export(study, tmp_path)
        after = study.code(sid, "funding_resources", coder="HT").id  # made after the export: not on the sheet
        _untick(path, sid, "qualitative_methods")
        report = study.import_sheet(path, coder="HT")
        assert (report.removed, report.rejected) == (1, 0)
        ids = set(study.store.codings()["coding_id"])
        assert before not in ids and after in ids


def test_a_memo_written_since_the_export_survives_the_unchanged_sheet(tmp_path: Path) -> None:
    study, sid, _ = _study(tmp_path)
    with study:
        cid = study.code(sid, "qualitative_methods", coder="HT", memo="first thought").id
        path = _export(study, tmp_path)
        study.store.update_codings({cid: {"memo": "second thought"}}, kind="memo", actor="HT")
        report = study.import_sheet(path, coder="HT")
        assert report.memos == 0
        assert study.store.coding(cid)["memo"] == "second thought"
