"""A coding sheet sent back unchanged after a codebook merge updates no memo.

Before, a segment coded with two codes (memos 'a' and 'b') was exported as the memo cell 'a; b'; the
merge folded the two codings into one with the memo 'a\\nb'; importing the unchanged sheet then counted
"memos updated 1" and rewrote the memo as 'a; b'. The memo is now compared part by part.
"""

from __future__ import annotations

from pathlib import Path

from thematic.study import Study

from .test_undo_after_merge_keeps_human_coding import BOTH, MERGED
from .unlike_example import write_study


def test_an_unchanged_sheet_after_a_merge_updates_no_memo(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        sid = str(segs.loc[segs["text"].str.contains(BOTH, regex=False), "segment_id"].iloc[0])
        study.code(sid, "time_pressure", coder="SO", memo="deadlines everywhere")
        study.code(sid, "funding_resources", coder="SO", memo="transcription money ran out")
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    (root / "codebooks" / "small-study.yaml").write_text(MERGED, encoding="utf-8")
    with Study(root) as study:
        assert study.migrate_codebook(actor="HT").removed == 1
        before = study.codings(coder="SO")[["coding_id", "code_id", "memo"]].to_dict("records")
        assert len(before) == 1 and "\n" in before[0]["memo"]
        report = study.import_sheet(sheet, coder="SO")
        assert (report.added, report.removed, report.memos) == (0, 0, 0)
        assert study.codings(coder="SO")[["coding_id", "code_id", "memo"]].to_dict("records") == before
        events = study.store.events(coding_id=before[0]["coding_id"])
        assert "memo" not in set(events["kind"])


def test_an_edited_memo_is_still_updated(tmp_path: Path) -> None:
    import openpyxl

    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        sid = str(segs.loc[segs["text"].str.contains(BOTH, regex=False), "segment_id"].iloc[0])
        study.code(sid, "time_pressure", coder="SO", memo="deadlines everywhere")
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
        wb = openpyxl.load_workbook(sheet)
        ws = wb["coding"]
        col = next(c.column for c in ws[1] if c.value == "memo")
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == sid)
        ws.cell(row, col).value = "deadlines everywhere; and childcare"
        wb.save(sheet)
        report = study.import_sheet(sheet, coder="SO")
        assert report.memos == 1
        assert study.codings(coder="SO")["memo"].tolist() == ["deadlines everywhere; and childcare"]


def test_w349_after_a_merge_says_merged_once_and_leaves_the_target_column_alone(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        sid = str(segs.loc[segs["text"].str.contains(BOTH, regex=False), "segment_id"].iloc[0])
        study.code(sid, "time_pressure", coder="SO")
        sheet = study.export_sheet(tmp_path / "SO.xlsx", coder="SO").path
    (root / "codebooks" / "small-study.yaml").write_text(MERGED, encoding="utf-8")
    with Study(root) as study:
        study.migrate_codebook(actor="HT")
        report = study.import_sheet(sheet, coder="SO")
        notes = [p.message for p in report.notes if p.code == "W349"]
        assert len(notes) == 1, notes                     # funding_resources itself did not move
        assert "column 'time_pressure' was merged into 'funding_resources'" in notes[0]
        assert "renamed" not in notes[0] and ", then" not in notes[0]
        assert study.codings(coder="SO")["code_id"].tolist() == ["funding_resources"]
