"""Importing the same REFI file again on another day wrote a second copy of its codebook
(codebooks/imported/<name>-2.yaml, then -3 ...): the imported codebook's description carries the import
date, so the earlier copy never compared equal. A copy that differs only in that date is now the same
codebook: nothing new is written and the earlier file is left as it was."""

from __future__ import annotations

import re
from pathlib import Path

from test_importer import TEXT, project, source

from thematic.refi import import_refi


def test_reimport_on_another_day_writes_no_second_codebook(coded_study, tmp_path: Path, qdpx) -> None:
    archive = qdpx(tmp_path / "p.qdpx", project(source("internal://a.txt", "")), {"sources/a.txt": TEXT})
    first = import_refi(archive, coded_study.root).codebook_path
    assert first is not None and first.name == "field-work.yaml"
    yesterday = re.sub(r" on \d{4}-\d{2}-\d{2}\.", " on 2020-01-31.", first.read_text(encoding="utf-8"))
    assert yesterday != first.read_text(encoding="utf-8")
    first.write_text(yesterday, encoding="utf-8")
    again = import_refi(archive, coded_study.root)
    assert sorted(p.name for p in first.parent.iterdir()) == ["field-work.yaml"]
    assert again.codebook_path == first
    assert first.read_text(encoding="utf-8") == yesterday
