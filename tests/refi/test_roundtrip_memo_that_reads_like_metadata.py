"""A coding memo whose last lines read like thematic's REFI metadata comes back from a round trip as written.

Before, `refi export` wrote a coding's status, suggester, flag and consensus as `thematic-…:` lines right after the
memo, and `refi import` took any trailing `thematic-…:` lines of a note as that metadata. So a coder's own memo
ending in `thematic-flag: discuss with SO` lost that line and came back flagged, and one ending in
`thematic-status: suggested` came back as a suggestion by the coder (no longer counted). Now thematic writes its
metadata after a marker line of its own (`-- thematic --`) whenever there is metadata, or the memo could be taken
for it, and reads only what follows the last marker as metadata; notes written by earlier versions (no marker) are
read as before.
"""

from __future__ import annotations

from pathlib import Path

import thematic
from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.refi import export_refi, import_refi
from thematic.refi.coding_meta import CodingMeta, note_with_meta, split_meta

FILES = {"interview-1.txt": ("Interviewer: Tell me.\nP01: The money was never enough.\nInterviewer: And?\n"
                             "P01: My job is hard.\nInterviewer: More?\nP01: Money is late again.\n")}
MEMOS = {
    "interview-1:1": "Idea came from the keyword list, I coded it myself.\nthematic-flag: discuss with SO",
    "interview-1:3": "Coded by hand after the rules run:\nthematic-status: suggested",
    "interview-1:5": "My notes on the format:\n-- thematic --\nthematic-suggested-by: nobody",
}


def _codings(root: Path) -> dict[str, tuple[str, str, object]]:
    study = thematic.Study.open(root)
    try:
        frame = study.store.codings()
        return {str(r.segment_id): (str(r.status), str(r.memo), r.flag if isinstance(r.flag, str) else None)
                for r in frame.itertuples()}
    finally:
        study.close()


def test_memos_ending_in_metadata_like_lines_come_back_whole(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, FILES, coders=("HT",))
    cli(root, "ingest")
    study = thematic.Study.open(root)
    try:
        for segment, memo in MEMOS.items():
            study.code(segment, "money" if segment != "interview-1:3" else "work", coder="HT", memo=memo)
        export_refi(study, tmp_path / "s.qdpx")
    finally:
        study.close()
    before = _codings(root)
    assert {k: v[1] for k, v in before.items()} == MEMOS
    import_refi(tmp_path / "s.qdpx", tmp_path / "fresh")
    assert _codings(tmp_path / "fresh") == before  # same memo, still manual, no flag raised


def test_metadata_follows_a_marker_and_older_notes_are_still_read() -> None:
    meta = CodingMeta(status="accepted", suggested_by=["thematic.rules.v1"], flag="check the span")
    for memo in ("plain memo", "ends like meta\nthematic-status: suggested", "-- thematic --", ""):
        for m in (meta, CodingMeta()):
            assert split_meta(note_with_meta(memo, m)) == (memo, m), (memo, m)
    assert note_with_meta("plain memo", CodingMeta()) == "plain memo"  # nothing added to a plain memo
    # a note an earlier thematic wrote: metadata lines straight after the memo
    old = "Keep.\n\nthematic-status: accepted\nthematic-suggested-by: thematic.rules.v1\nthematic-flag: check"
    assert split_meta(old) == ("Keep.", CodingMeta(status="accepted", suggested_by=["thematic.rules.v1"],
                                                   flag="check"))
