"""Importing the same REFI file again writes no new memo file.

Before, every re-import wrote the project's loose notes again, byte for byte, as ``memos/<file>-2.md``, then
``-3.md`` and so on, although the docs say importing the same file again writes nothing new. Now a notes file
whose text is already in ``memos/`` (under the file's name or a numbered one) is not written again; notes that
differ (the file changed, or the first copy was edited in the study) still go to a new numbered file.
"""

from __future__ import annotations

from pathlib import Path

from thematic.refi import import_refi

XML = """<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="ATLAS.ti 8">
<Users><User guid="A1000000-0000-4000-8000-000000000001" name="AB"/></Users>
<CodeBook><Codes><Code guid="A1000000-0000-4000-8000-000000000002" name="Heat" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="A1000000-0000-4000-8000-000000000003" name="doc"><PlainTextContent>Guest: The flat is \
cold all winter.</PlainTextContent><PlainTextSelection guid="A1000000-0000-4000-8000-000000000004" name="The flat is \
cold all winter." startPosition="7" endPosition="33" creatingUser="A1000000-0000-4000-8000-000000000001"><Coding \
guid="A1000000-0000-4000-8000-000000000005" creatingUser="A1000000-0000-4000-8000-000000000001"><CodeRef \
targetGUID="A1000000-0000-4000-8000-000000000002"/></Coding></PlainTextSelection></TextSource></Sources>
<Notes><Note guid="A1000000-0000-4000-8000-000000000006" name="Site visit"><PlainTextContent>{note}</PlainTextContent>\
</Note></Notes></Project>"""


def test_reimport_of_the_same_file_writes_no_memo_copy(tmp_path: Path) -> None:
    path = tmp_path / "fieldwork.qde"
    path.write_text(XML.format(note="Boiler broken on both visits."), encoding="utf-8")
    import_refi(path, tmp_path / "st")
    memos = tmp_path / "st" / "memos"
    first = sorted(p.name for p in memos.iterdir())
    assert first == ["fieldwork.md"] and "Boiler broken" in (memos / "fieldwork.md").read_text(encoding="utf-8")
    for _ in range(2):
        report = import_refi(path, tmp_path / "st")
        assert report.imported["codings"] == 0
    assert sorted(p.name for p in memos.iterdir()) == first

    path.write_text(XML.format(note="Boiler fixed in March."), encoding="utf-8")  # the notes changed: a new file
    import_refi(path, tmp_path / "st")
    assert sorted(p.name for p in memos.iterdir()) == ["fieldwork-2.md", "fieldwork.md"]
    assert "Boiler fixed" in (memos / "fieldwork-2.md").read_text(encoding="utf-8")
    path.write_text(XML.format(note="Boiler broken on both visits."), encoding="utf-8")  # the first notes again
    import_refi(path, tmp_path / "st")
    assert sorted(p.name for p in memos.iterdir()) == ["fieldwork-2.md", "fieldwork.md"]
