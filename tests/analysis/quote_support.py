"""A real study for the quote tests: a one-code codebook, transcripts written to data/raw, ingested.

Imported as ``analysis.quote_support`` (``tests/`` is on sys.path via conftest); the names are invented.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Mapping

from thematic.study import Study, init_study

CODEBOOK = """\
name: cb
version: 0.1.0
themes:
- id: t
  label: Theme
  definition: A theme.
codes:
- id: trust
  label: Trust
  parent: t
  definition: Trust.
"""


def quote_study(tmp_path: Path, files: Mapping[str, str], *, unit: str | None = None) -> Study:
    """A study holding ``files`` (name -> text, under data/raw), ingested with ``unit``."""
    study = init_study(tmp_path / "study", name="quotes")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    for name, text in files.items():
        (study.paths.raw / name).write_text(text, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = study.ingest(unit=unit)
    assert not report.failed, report.failed
    return study


def segment_of(study: Study, document: str, starts_with: str) -> str:
    """The id of the segment of ``document`` whose text starts with ``starts_with``."""
    segs = study.store.segments(document=document)
    return str(segs.loc[segs["text"].str.startswith(starts_with), "segment_id"].iloc[0])
