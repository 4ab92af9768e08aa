"""A coding whose quote a re-ingest lost is left out of a REFI export, and the export says so.

Such a coding keeps its old offsets, which point at text that changed (or past the end of a shorter text):
the export wrote a selection ending past the document's end, which NVivo or ATLAS.ti reads as another
passage or refuses. It is not counted or quoted in thematic, so it is now left out, with a note naming how
many and how to bring them back (re-code them).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from regression.tiny_study import CODEBOOK, cli, study_with
from thematic.refi import export_refi
from thematic.study import Study

V1 = ("Interviewer: What was hard?\nDan: The funding stopped after the first year, and the whole project "
      "folded with it.\nInterviewer: And work?\nDan: The job went.\n")
V2 = "Interviewer: What was hard?\nDan: Nothing much.\nInterviewer: And work?\nDan: The job went.\n"


def test_lost_quote_coding_is_not_exported(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"alpha.txt": V1})
    cli(root, "ingest")
    cli(root, "code", "add", "alpha:1", "money", "--coder", "AB")
    cli(root, "code", "add", "alpha:3", "work", "--coder", "AB")
    (root / "data" / "raw" / "alpha.txt").write_text(V2, encoding="utf-8")
    cli(root, "ingest")
    with Study(root) as s:
        flags = s.codings()["flag"].dropna().tolist()
        assert len(flags) == 1
        text = s.store.document_text("alpha")
        summary = export_refi(s, tmp_path / "out.qdpx")
    with zipfile.ZipFile(tmp_path / "out.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
    ends = [int(e) for e in re.findall(r'endPosition="(\d+)"', qde)]
    assert ends and max(ends) <= len(text)
    assert summary.counts["codings"] == 1
    assert any("1 coding" in n and "re-ingest" in n for n in summary.notes), summary.notes
