"""``ingest --prune --purge`` lists, beside the backups, the files under reports/ written before the purge (an
appendix, a workbook, sample sheets): they may hold the withdrawn participant's words too."""

from __future__ import annotations

import os
import time

from thematic.models import Coding
from thematic.study import Study

from .tiny_study import cli


def _interviews(study: Study) -> None:
    (study.paths.raw / "int-01.txt").write_text("Interviewer: Hi.\nP01: My PhD used qualitative interviews.\n")
    (study.paths.raw / "int-04.txt").write_text("Interviewer: Hi.\nP04: WITHDRAWN-WORDS my PhD was about surveys.\n")
    study.ingest()
    seg = study.segments().set_index("segment_id").loc["int-04:1"]
    study.store.add_codings([Coding("int-04", int(seg["start"]), int(seg["end"]), "phd", "HT", text=str(seg["text"]),
                                    segment_id="int-04:1")])


def test_purge_lists_the_reports_written_before_it(study: Study) -> None:
    _interviews(study)
    reports = study.paths.reports
    (reports / "appendix.docx").write_bytes(b"quotes")
    (reports / "samples").mkdir(exist_ok=True)
    (reports / "samples" / "coding-SO-sample.xlsx").write_bytes(b"sheet")
    (study.paths.raw / "int-04.txt").unlink()
    report = study.ingest(prune=True, purge=True)
    assert report.purged == ("int-04",)
    assert report.reports_holding == ("reports/appendix.docx", "reports/samples/coding-SO-sample.xlsx")


def test_a_report_written_after_the_purge_is_not_listed(study: Study) -> None:
    _interviews(study)
    later = study.paths.reports / "tables.xlsx"
    later.write_bytes(b"new")
    future = time.time() + 3600
    os.utime(later, (future, future))
    (study.paths.raw / "int-04.txt").unlink()
    assert study.ingest(prune=True, purge=True).reports_holding == ()


def test_the_cli_names_the_reports_to_delete_or_rewrite(study: Study) -> None:
    _interviews(study)
    (study.paths.reports / "appendix.docx").write_bytes(b"quotes")
    (study.paths.raw / "int-04.txt").unlink()
    out = cli(study.root, "ingest", "--prune", "--purge")
    assert "reports/appendix.docx" in " ".join(out.split())
