"""A free-standing project memo goes out of `refi export` whole, whatever its text looks like.

Before, an import wrote another program's project memos to `memos/<file>.md` as `## name` sections without
escaping their text, and export (and a second import) split that file at every line starting `## `: a memo with
Markdown headings in it went out as several notes, the first cut short and the rest with no author, and a memo
whose first paragraph was `*draft*` lost it and went out with a user named "draft" as its author. Now a memo line
that would read as a section heading (or a first line that would read as `*author · date*`) is written with a
backslash before it and read back without, so each memo goes out once, with its own name, author and text, and
comes back the same from a second hop.
"""

from __future__ import annotations

import html
import zipfile
from pathlib import Path

from defusedxml.ElementTree import fromstring

from thematic.refi import export_refi, import_refi
from thematic.study import Study

NS = {"p": "urn:QDA-XML:project:1.0"}
U = "A1111111-1111-1111-1111-111111111111"
S = "A3333333-3333-3333-3333-333333333333"
NOTES = {
    "Round one memo": (U, "Overall impressions of round one.\n\n## Findings so far\n\nPeers are trusted more than "
                          "staff.\n\n## Next steps\n\nInterview managers."),
    "Second memo": (None, "*draft*\n\nThis memo is a draft and will change."),
    "Third memo": (U, "\\## not a heading, backslash and all\n\\*kept as written*\n##no space is no heading"),
    "Fourth memo": (None, "\\*starts with a backslash*\n\nsecond paragraph"),
}


def _vendor(path: Path) -> Path:
    notes = "".join(
        f'<Note guid="A6666666-6666-6666-6666-66666666666{i}" name="{name}"'
        f'{f" creatingUser={chr(34)}{user}{chr(34)}" if user else ""}>'
        f"<PlainTextContent>{html.escape(text)}</PlainTextContent></Note>"
        for i, (name, (user, text)) in enumerate(NOTES.items()))
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other" origin="ATLAS.ti 8.4.0">
<Users><User guid="{U}" name="AB"/></Users>
<CodeBook><Codes><Code guid="A2222222-2222-2222-2222-222222222221" name="Pay" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{S}" name="interview" plainTextPath="internal://{S}.txt"/></Sources>
<Notes>{notes}</Notes>
</Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", "Interviewer: Hi.\nMaria: The pay was bad.\n")
    return path


def _notes(path: Path) -> dict[str, tuple[str | None, str]]:
    """Each project-level note's name -> (its author's name, its text)."""
    with zipfile.ZipFile(path) as z:
        root = fromstring(z.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{{{NS['p']}}}User")}
    notes = {n.get("guid"): n for n in root.iter(f"{{{NS['p']}}}Note")}
    refs = [r.get("targetGUID") for r in root.findall("p:NoteRef", NS)]
    return {notes[g].get("name"): (users.get(notes[g].get("creatingUser")), notes[g].find("p:PlainTextContent", NS).text)
            for g in refs}


def test_project_memos_go_out_and_come_back_whole(tmp_path: Path) -> None:
    import_refi(_vendor(tmp_path / "atlas.qdpx"), tmp_path / "a")
    with Study(tmp_path / "a") as study:
        export_refi(study, tmp_path / "a.qdpx")
    expected = {name: ("AB" if user else None, text) for name, (user, text) in NOTES.items()}
    assert _notes(tmp_path / "a.qdpx") == expected
    import_refi(tmp_path / "a.qdpx", tmp_path / "b")  # a second hop
    with Study(tmp_path / "b") as study:
        export_refi(study, tmp_path / "b.qdpx")
    assert _notes(tmp_path / "b.qdpx") == expected
    before = sorted(p.name for p in (tmp_path / "b" / "memos").glob("*.md"))
    import_refi(tmp_path / "a.qdpx", tmp_path / "b")  # the same notes again: no new file
    assert sorted(p.name for p in (tmp_path / "b" / "memos").glob("*.md")) == before
