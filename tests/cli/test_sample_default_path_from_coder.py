"""`thematic sample` without --out built its sheet's path from --coder as typed: ``--coder "x/../../outside"`` wrote
outside the study, and ``HT/SO`` made a sub-folder. The coder's name is now one safe part of the file name, so the
default sheet is always reports/coding-NAME-sample.xlsx inside the study."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app


@pytest.mark.parametrize("coder", ["x/../../../outside", "HT/SO", "..", "J. Smith (UCL)"])
def test_default_sample_sheet_stays_in_reports(tmp_path: Path, coder: str) -> None:
    from regression.tiny_study import CODEBOOK, study_with

    root = study_with(tmp_path / "study", CODEBOOK, {"talk.txt": "Interviewer: Hi.\nP01: The funding was cut.\n"
                                                     "Interviewer: And?\nP01: I lost my job after that.\n"})
    assert CliRunner().invoke(app, ["ingest", "--study", str(root)]).exit_code == 0
    res = CliRunner().invoke(app, ["sample", "--coder", coder, "--fraction", "1", "--study", str(root)])
    assert res.exit_code == 0, res.output
    written = sorted(p for p in tmp_path.rglob("*.xlsx"))
    assert len(written) == 1 and written[0].parent == root / "reports", written
    assert written[0].name.startswith("coding-") and written[0].name.endswith("-sample.xlsx")
    assert [p for p in (root / "reports").iterdir() if p.is_dir()] == []


def test_sample_out_through_a_symlink_is_refused(tmp_path: Path) -> None:
    """A symlinked --out was resolved before the writer could see the link, even with --force: now E417."""
    from regression.tiny_study import CODEBOOK, study_with

    root = study_with(tmp_path / "study", CODEBOOK, {"talk.txt": "Interviewer: Hi.\nP01: The funding was cut.\n"})
    assert CliRunner().invoke(app, ["ingest", "--study", str(root)]).exit_code == 0
    elsewhere = tmp_path / "elsewhere.xlsx"
    elsewhere.write_bytes(b"not yours")
    (root / "reports" / "link.xlsx").symlink_to(elsewhere)
    res = CliRunner().invoke(app, ["sample", "--coder", "SO", "--fraction", "1", "--force",
                                   "--out", str(root / "reports" / "link.xlsx"), "--study", str(root)])
    assert res.exit_code == 1 and "[E417]" in res.output and "Traceback" not in res.output, res.output
    assert elsewhere.read_bytes() == b"not yours"
