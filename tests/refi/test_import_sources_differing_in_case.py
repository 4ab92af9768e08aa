"""A .qdpx whose two sources are stored under names that differ only in case (``sources/a.txt`` and
``sources/A.txt``, as a program on a case-sensitive system may write): each source gets its own text. Before, both
were read from one of the two members, so one document silently held the other's text and its quotes failed."""

from __future__ import annotations

from pathlib import Path

from refi.test_importer import G, project, selection

from thematic.refi import import_refi
from thematic.study import Study

LOWER = "Ana: I started mentoring in 2019.\n"
UPPER = "Ben: The vetting took months.\n"


def test_each_source_reads_its_own_member(tmp_path: Path, qdpx) -> None:
    q1, q2 = "I started mentoring in 2019.", "The vetting took months."
    s1 = (f'<TextSource guid="{G(20)}" name="Ana" plainTextPath="internal://a.txt">'
          f"{selection(LOWER.index(q1), LOWER.index(q1) + len(q1), 2, name=q1, guid=50)}</TextSource>")
    s2 = (f'<TextSource guid="{G(21)}" name="Ben" plainTextPath="internal://A.txt">'
          f"{selection(UPPER.index(q2), UPPER.index(q2) + len(q2), 3, name=q2, guid=60)}</TextSource>")
    report = import_refi(qdpx(tmp_path / "p.qdpx", project(s1 + s2),
                              {"sources/a.txt": LOWER.encode(), "sources/A.txt": UPPER.encode()}), tmp_path / "s")
    assert report.verified == 2, report.notes
    with Study(tmp_path / "s") as study:
        texts = sorted(study.store.document_text(d) for d in study.store.documents()["document_id"])
        quotes = sorted(study.store.codings()["text"])
    assert any("mentoring" in t for t in texts) and any("vetting" in t for t in texts)
    assert quotes == sorted([q1, q2])
