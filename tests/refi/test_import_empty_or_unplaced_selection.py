"""A REFI selection with a non-integer position is a coded W512 in "Not carried over" (and its coding is counted as
found); an empty selection (start == end) is no zero-length coding but a coded W513, as E342 refuses an empty span."""

from __future__ import annotations

from pathlib import Path

from refi.test_importer import G, project, selection, source

from thematic.refi import import_refi
from thematic.study import Study

TEXT = "Interviewer: hi\nRespondent: The coffee was bitter.\n"
QUOTE = "The coffee was bitter."


def test_unplaced_and_empty_selections_are_coded_warnings_and_counted_as_found(tmp_path: Path, qdpx) -> None:
    start = TEXT.index(QUOTE)
    sels = (selection(start, start + len(QUOTE), 3, name=QUOTE, guid=50)
            + selection(start, start, 3, guid=60)
            + selection(7, 3, 3, name="badpos", guid=70).replace('startPosition="7"', 'startPosition="1.5"'))
    xml = project(source("internal://a.txt", sels))
    assert xml.count("<Coding ") == 3 and xml.count("<PlainTextSelection ") == 3
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT}), tmp_path / "s")
    assert report.found["codings"] == 3 and report.found["text selections"] == 3
    assert report.imported["codings"] == 1
    (w512,) = [w for w in report.not_carried_over if w.startswith("[W512]")]
    assert "Ana interview.docx" in w512 and G(70) in w512.upper() and "1.5" in w512
    (w513,) = [w for w in report.not_carried_over if w.startswith("[W513]")]
    assert "Ana interview.docx" in w513 and G(60) in w513.upper() and f"{start}:{start}" in w513
    assert not any("without integer" in n for n in report.notes)
    with Study(tmp_path / "s") as study:
        codings = study.store.codings()
        assert list(codings["text"]) == [QUOTE]
        assert (codings["end"] > codings["start"]).all()
