"""A project's free-standing notes and its code sets survive `thematic refi export` and the import after it.

Before, an ATLAS.ti or NVivo project's memos (written to `memos/<file>.md` at import) and its code groups (kept in
each code's memo as `REFI sets: ...` lines) were left out of `thematic refi export` without a word, so after a second
hop (or in the other program) they were gone; only document sets went out. Now the notes of those files go out as
project-level `<Note>`s (with their author and date) and the code sets as `<Set>`s with `<MemberCode>`s (also in a
.qdc), valid against the REFI schemas; importing the export gives them back, and importing it again (or into the
study it came from) adds nothing. A file of memos/ that no import wrote is named in the export's notes, not carried.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import xmlschema
from defusedxml.ElementTree import fromstring

from thematic.refi import export_refi, import_refi
from thematic.study import Study

NS = {"p": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
TEXT = "Maria: I love coffee in the morning. It makes me happy.\nMaria: Tea is fine too.\n"
QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Breakfast" origin="ATLAS.ti 8.4.0">
 <Users><User guid="A1111111-1111-1111-1111-111111111111" name="Friedrich"/></Users>
 <CodeBook><Codes>
  <Code guid="A2222222-2222-2222-2222-222222222221" name="coffee" isCodable="true"/>
  <Code guid="A2222222-2222-2222-2222-222222222222" name="happiness" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="A3333333-3333-3333-3333-333333333333" name="Interview 1"
    plainTextPath="internal://A3333333-3333-3333-3333-333333333333.txt">
   <PlainTextSelection guid="A4444444-4444-4444-4444-444444444444" name="I love coffee in the morning."
     startPosition="7" endPosition="36" creatingUser="A1111111-1111-1111-1111-111111111111">
    <Coding guid="A5555555-5555-5555-5555-555555555551" creatingUser="A1111111-1111-1111-1111-111111111111">
     <CodeRef targetGUID="A2222222-2222-2222-2222-222222222221"/></Coding>
    <Coding guid="A5555555-5555-5555-5555-555555555552" creatingUser="A1111111-1111-1111-1111-111111111111">
     <CodeRef targetGUID="A2222222-2222-2222-2222-222222222222"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
 <Notes>
  <Note guid="A6666666-6666-6666-6666-666666666666" name="Research Plan"
    creatingUser="A1111111-1111-1111-1111-111111111111" creationDateTime="2021-03-04T10:00:00Z">
   <PlainTextContent>Day to day log: interview three more people in May.</PlainTextContent>
  </Note>
 </Notes>
 <Sets>
  <Set guid="A7777777-7777-7777-7777-777777777777" name="Positive feelings">
   <MemberCode targetGUID="A2222222-2222-2222-2222-222222222222"/>
  </Set>
  <Set guid="A7777777-7777-7777-7777-777777777778" name="Drinks, hot">
   <MemberCode targetGUID="A2222222-2222-2222-2222-222222222221"/>
   <MemberCode targetGUID="A2222222-2222-2222-2222-222222222222"/>
  </Set>
 </Sets>
 <Description>Who eats what for breakfast.</Description>
</Project>"""


def _sets(root, ns: str = "p") -> dict[str, set[str]]:
    """Each set's name and its member codes' names."""
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{NS[ns]}}}Code")}
    return {s.get("name"): {names[m.get("targetGUID") or m.get("guid")] for m in s.findall(f"{ns}:MemberCode", NS)}
            for s in root.iter(f"{{{NS[ns]}}}Set")}


def _memos(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "memos").glob("*.md"))}


def _first_hop(tmp_path: Path, qdpx) -> Path:
    atlas = qdpx(tmp_path / "atlas.qdpx", QDE, {"sources/A3333333-3333-3333-3333-333333333333.txt": TEXT})
    import_refi(atlas, tmp_path / "S")
    return tmp_path / "S"


def test_export_carries_project_notes_and_code_sets(tmp_path: Path, qdpx, shared_dir: Path) -> None:
    s = _first_hop(tmp_path, qdpx)
    (s / "memos" / "ideas.md").write_text("My own thoughts, not from any import.\n", encoding="utf-8")
    with Study(s) as study:
        summary = export_refi(study, tmp_path / "S.qdpx")
        codebook = export_refi(study, tmp_path / "S.qdc", codebook_only=True)
    with zipfile.ZipFile(summary.path) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)
    root = fromstring(xml)
    notes = {n.get("guid"): n for n in root.findall("p:Notes/p:Note", NS)}
    on_project = [notes[r.get("targetGUID")] for r in root.findall("p:NoteRef", NS)]
    plan = {n.get("name"): n for n in on_project}
    assert set(plan) == {"Research Plan", "Project description"}
    assert plan["Research Plan"].find("p:PlainTextContent", NS).text == \
        "Day to day log: interview three more people in May."
    assert plan["Research Plan"].get("creationDateTime", "").startswith("2021-03-04")
    users = {u.get("guid"): u.get("name") for u in root.findall("p:Users/p:User", NS)}
    assert users[plan["Research Plan"].get("creatingUser")] == "Friedrich"
    assert _sets(root) == {"Positive feelings": {"happiness"}, "Drinks, hot": {"coffee", "happiness"}}
    assert any("memos/ideas.md" in n for n in summary.notes), summary.notes

    qdc = codebook.path.read_text(encoding="utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Codebook.xsd").validate(qdc)
    assert _sets(fromstring(qdc), "c") == {"Positive feelings": {"happiness"}, "Drinks, hot": {"coffee", "happiness"}}


def test_notes_and_code_sets_come_back_after_a_second_hop_once(tmp_path: Path, qdpx) -> None:
    s = _first_hop(tmp_path, qdpx)
    with Study(s) as study:
        export_refi(study, tmp_path / "S.qdpx")
    report = import_refi(tmp_path / "S.qdpx", tmp_path / "T")
    assert sorted(report.sets) == [("Drinks, hot", 2, 0), ("Positive feelings", 1, 0)]
    memos = _memos(tmp_path / "T")
    assert list(memos) == ["s.md"]
    assert "## Research Plan\n\n*Friedrich · 2021-03-04*\n\nDay to day log: interview three more people in May." \
        in memos["s.md"]
    assert "## Project description\n\nWho eats what for breakfast." in memos["s.md"]
    codebook = (tmp_path / "T" / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    assert "REFI sets: Drinks, hot" not in codebook  # a set name with a comma has a line of its own
    assert codebook.count("REFI set: Drinks, hot") == 2 and "REFI sets: Positive feelings" in codebook

    with Study(tmp_path / "T") as study:  # T's export holds the same notes and sets again
        export_refi(study, tmp_path / "T.qdpx")
    with zipfile.ZipFile(tmp_path / "T.qdpx") as z:
        root = fromstring(z.read("project.qde"))
    assert _sets(root) == {"Positive feelings": {"happiness"}, "Drinks, hot": {"coffee", "happiness"}}
    assert sorted(n.get("name") for n in root.findall("p:Notes/p:Note", NS)) == ["Project description",
                                                                                  "Research Plan"]

    import_refi(tmp_path / "S.qdpx", tmp_path / "T")  # the same file again: nothing new
    assert _memos(tmp_path / "T") == memos
    assert (tmp_path / "T" / "codebooks" / "codebook.yaml").read_text(encoding="utf-8") == codebook


def test_a_study_importing_its_own_export_writes_no_memo_file(tmp_path: Path, qdpx) -> None:
    s = _first_hop(tmp_path, qdpx)
    before = _memos(s)
    with Study(s) as study:
        export_refi(study, tmp_path / "S.qdpx")
    import_refi(tmp_path / "S.qdpx", s)
    assert _memos(s) == before
