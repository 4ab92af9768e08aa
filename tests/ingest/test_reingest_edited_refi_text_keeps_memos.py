"""Editing a REFI-imported transcript and running ingest keeps what the import attached to the document.

Before, `thematic ingest` of an edited `data/raw/refi/<id>.txt` replaced the stored document with the ordinary
reading of the text, whose attributes come from the text alone: the source's note, its description, the memo on an
uncoded passage, its sets, its variables and its REFI GUID were all gone, without a word, and the next `refi export`
had none of them. Now they are kept, through this edit and every later one: whole-document memos stay on the
document, a memo on a passage follows its words to their new place, and a memo whose words the edit removed is kept
on the whole document, named in a warning (W394).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from thematic.refi import export_refi, import_refi
from thematic.study import Study

U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
S = "5B1E0C0A-0000-4000-8000-000000000001"
VAR = "7A500000-0000-4000-8000-000000000001"
SET = "5E700000-0000-4000-8000-000000000001"
NOTE, CODING_NOTE = "0E0E0000-0000-4000-8000-000000000001", "0E0E0000-0000-4000-8000-000000000002"
TEXT = ("Interviewer: Tell me about pay.\nRespondent: The pay was never enough, honestly.\n"
        "Interviewer: Who did you trust?\nRespondent: I trusted my peers more than the staff.\n"
        "Interviewer: Anything else?\nRespondent: The canteen closed early.\n")
PEERS, PAY, CANTEEN = "I trusted my peers", "The pay was never enough, honestly.", "The canteen closed early."


def _vendor(path: Path) -> Path:
    p, c, k = TEXT.index(PEERS), TEXT.index(PAY), TEXT.index(CANTEEN)
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other" origin="MAXQDA 2022">
<Users><User guid="{U}" name="AB"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Pay" isCodable="true"/></Codes></CodeBook>
<Variables><Variable guid="{VAR}" name="site" typeOfVariable="Text"/></Variables>
<Sources><TextSource guid="{S}" name="interview" plainTextPath="internal://{S}.txt">
<Description>Source description text</Description>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" name="s1" startPosition="{p}"
 endPosition="{p + len(PEERS)}" creatingUser="{U}"><Description>SPAN MEMO about trusted peers</Description>
</PlainTextSelection>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000003" name="s3" startPosition="{k}"
 endPosition="{k + len(CANTEEN)}" creatingUser="{U}"><Description>SPAN MEMO on the canteen</Description>
</PlainTextSelection>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000002" name="s2" startPosition="{c}"
 endPosition="{c + len(PAY)}" creatingUser="{U}">
<Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="{U}"><CodeRef targetGUID="{CODE}"/>
<NoteRef targetGUID="{CODING_NOTE}"/></Coding></PlainTextSelection>
<VariableValue><VariableRef targetGUID="{VAR}"/><TextValue>North</TextValue></VariableValue>
<NoteRef targetGUID="{NOTE}"/></TextSource></Sources>
<Notes><Note guid="{NOTE}" name="src note"><PlainTextContent>SOURCE NOTE on the whole interview</PlainTextContent>
</Note><Note guid="{CODING_NOTE}" name="coding note"><PlainTextContent>CODING NOTE on pay</PlainTextContent></Note>
</Notes>
<Sets><Set guid="{SET}" name="Wave one"><MemberSource targetGUID="{S}"/></Set></Sets>
</Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", TEXT)
    return path


def _edit(root: Path, change) -> None:
    path = root / "data" / "raw" / "refi" / "interview.txt"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _memos(doc) -> dict[str, dict]:
    return {m.get("name") or m["memo"]: m for m in doc.attributes.get("memos") or []}


def test_memos_sets_and_variables_survive_edits_of_the_imported_text(tmp_path: Path) -> None:
    import_refi(_vendor(tmp_path / "other.qdpx"), tmp_path / "study")
    root = tmp_path / "study"
    with Study(root) as study:
        before = study.store.document("interview").attributes
    assert {"memos", "sets", "site", "refi_guid"} <= set(before)

    _edit(root, lambda t: "Interviewer: Welcome.\nRespondent: Happy to be here.\n" + t)
    with Study(root) as study:
        (row,) = study.ingest().rows
        assert row.status == "changed" and any("[W506]" in w for w in row.warnings)
        doc = study.store.document("interview")
        assert doc.format != "refi"  # read again as an ordinary text
        assert (doc.attributes["sets"], doc.attributes["site"], doc.attributes["refi_guid"]) == (
            before["sets"], before["site"], before["refi_guid"])
        memos = _memos(doc)
        assert memos["source memo"]["memo"] == "SOURCE NOTE on the whole interview"
        assert memos["source description"]["memo"] == "Source description text"
        span = memos["SPAN MEMO about trusted peers"]
        assert doc.text[span["start"]:span["end"]] == span["quote"] == PEERS
        assert span["start"] == doc.text.index(PEERS) != TEXT.index(PEERS)  # moved with its words
        assert span["author"] == "AB"

    # a second edit (now an ordinary text) that removes the canteen turn: its memo stays, on the whole document
    _edit(root, lambda t: t.replace("Interviewer: Anything else?\nRespondent: The canteen closed early.\n", ""))
    with Study(root) as study:
        (row,) = study.ingest().rows
        (lost,) = [w for w in row.warnings if "[W394]" in w]
        assert "data/raw/refi/interview.txt" in lost and CANTEEN in lost
        doc = study.store.document("interview")
        memos = _memos(doc)
        assert set(memos) == {"source memo", "source description", "SPAN MEMO about trusted peers",
                              "SPAN MEMO on the canteen"}
        assert "start" not in memos["SPAN MEMO on the canteen"]
        assert memos["SPAN MEMO on the canteen"]["quote"] == CANTEEN
        span = memos["SPAN MEMO about trusted peers"]
        assert doc.text[span["start"]:span["end"]] == PEERS
        assert (doc.attributes["sets"], doc.attributes["site"]) == (before["sets"], before["site"])
        export_refi(study, tmp_path / "back.qdpx")
    with zipfile.ZipFile(tmp_path / "back.qdpx") as z:
        xml = z.read("project.qde").decode("utf-8")
    for said in ("SOURCE NOTE on the whole interview", "Source description text", "SPAN MEMO about trusted peers",
                 "SPAN MEMO on the canteen", "CODING NOTE on pay", 'name="Wave one"', "North", S):
        assert said in xml, said


def test_a_variable_the_text_reading_also_gives_is_named_not_silently_replaced(tmp_path: Path) -> None:
    vendor = _vendor(tmp_path / "other.qdpx")
    with zipfile.ZipFile(vendor) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["project.qde"] = members["project.qde"].replace(b'name="site"', b'name="unit"')
    with zipfile.ZipFile(vendor, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    import_refi(vendor, tmp_path / "study")
    _edit(tmp_path / "study", lambda t: t + "Interviewer: Thanks.\n")
    with Study(tmp_path / "study") as study:
        (row,) = study.ingest().rows
        (clash,) = [w for w in row.warnings if "[W395]" in w]
        assert "'unit'" in clash and "data/raw/refi/interview.txt" in clash
        attributes = study.store.document("interview").attributes
        assert attributes["unit"] == "turn" and "unit" not in attributes["refi_attributes"]
        assert attributes["sets"] == ["Wave one"]
