"""The real ATLAS.ti export in ../shared/samples/refi imports with codes, sets and codings reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematic.codebook import load_codebook
from thematic.refi import import_refi

SAMPLES = ("atlasti8_mac_refi_standard_project.qde", "atlasti8_mac_refi_standard_project_NO_SOURCES.qdpx")


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_atlasti_project_imports_and_reports(shared_dir: Path, tmp_path: Path, name: str) -> None:
    report = import_refi(shared_dir / "samples" / "refi" / name, tmp_path / "s")
    assert report.origin.startswith("ATLAS.ti 8.4")
    assert report.found["codes"] == 14 and report.imported["codes"] == 14
    assert report.found["codings"] == 16 and report.found["text selections"] == 8
    assert report.found["sets"] == 16 and ("negative feelings", 4, 0) in report.sets
    # no source text ships with the sample: every text source is reported missing, nothing crashes
    missing = [w for w in report.not_carried_over if w.startswith("[W500]")]
    assert len(missing) == 8 and any("Simon.docx" in w and "3 coding(s)" in w for w in missing)
    assert any("PictureSource" in w for w in report.not_carried_over)
    assert any("[W504] graphs: 1" in w for w in report.not_carried_over)
    assert report.imported["documents"] == 0 and report.imported["codings"] == 0
    cb = load_codebook(report.codebook_path)
    assert cb["cornflakes"].definition == "breakfast cereal made by Kellogg’s"
    assert cb["coke_diet_coke"].label == "Coke::diet Coke" and cb["coke_diet_coke"].color == "#966450"
    assert "REFI sets: Feelings, negative feelings" in (cb["sleepy"].memo or "")
    memos = (tmp_path / "s" / "memos").glob("*.md")
    assert "This is a great project" in next(memos).read_text(encoding="utf-8")
