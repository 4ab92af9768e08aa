"""D5: a source's note and description (document memos after an import) survive export -> import, once."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xmlschema
from defusedxml.ElementTree import fromstring

from thematic.refi import export_refi, import_refi
from thematic.study import Study

NS = {"p": "urn:QDA-XML:project:1.0"}
S = "5B1E0C0A-0000-4000-8000-000000000001"
NOTE = "99999999-0000-4000-8000-000000000001"
TEXT = "I think, the doors open late every day.\n\nAnd the staff room is cold."
PROJECT = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="memo test" origin="MAXQDA 2022">
<Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="Anna"/></Users>
<CodeBook><Codes><Code guid="CCCCCCCC-0000-4000-8000-000000000001" name="Access" isCodable="true">
<Description>Getting in.</Description></Code></Codes></CodeBook>
<Sources><TextSource guid="{S}" name="Interview 1" plainTextPath="internal://{S}.txt">
<Description>Recorded in the staff room; noisy.
Second line of the description.</Description>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" name="the doors open late" startPosition="9"
 endPosition="28" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
<Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
<CodeRef targetGUID="CCCCCCCC-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000002" name="staff room" startPosition="49"
 endPosition="59" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
<Description>Which staff room?</Description></PlainTextSelection>
<NoteRef targetGUID="{NOTE}"/></TextSource></Sources>
<Notes><Note guid="{NOTE}" name="Doc memo"><PlainTextContent>Participant seemed tired;
follow up.</PlainTextContent></Note></Notes>
</Project>"""


def _memos(root: Path) -> dict[str, object]:
    with Study(root) as study:
        return {d: study.store.document(d).attributes.get("memos") for d in study.store.documents()["document_id"]}


def _xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("project.qde")


def test_source_note_and_description_survive_repeated_round_trips(tmp_path: Path, shared_dir: Path) -> None:
    vendor = tmp_path / "vendor.qdpx"
    with zipfile.ZipFile(vendor, "w") as z:
        z.writestr("project.qde", PROJECT)
        z.writestr(f"sources/{S}.txt", TEXT)
    import_refi(vendor, tmp_path / "a")
    first = _memos(tmp_path / "a")
    memos = first["interview-1"]
    assert {m.get("name"): m["memo"] for m in memos} == {
        "source memo": "Participant seemed tired;\nfollow up.",
        "source description": "Recorded in the staff room; noisy.\nSecond line of the description.",
        None: "Which staff room?"}

    previous = tmp_path / "a"
    for n in range(2):  # a second round trip neither loses nor repeats anything
        out = tmp_path / f"out-{n}.qdpx"
        with Study(previous) as study:
            export_refi(study, out)
        xml = _xml(out)
        xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml.decode("utf-8"))
        root = fromstring(xml)
        source = root.find(".//p:Sources/p:TextSource", NS)
        assert source.find("p:Description", NS).text == (
            "Recorded in the staff room; noisy.\nSecond line of the description.\n\nthematic-id: interview-1")
        refs = [r.get("targetGUID") for r in source.findall("p:NoteRef", NS)]
        notes = {n.get("guid"): n.find("p:PlainTextContent", NS).text for n in root.findall(".//p:Notes/p:Note", NS)}
        assert len(refs) == 1 and notes[refs[0]] == "Participant seemed tired;\nfollow up."
        assert xml.decode("utf-8").count("Participant seemed tired") == 1
        import_refi(out, tmp_path / f"copy-{n}")
        assert _memos(tmp_path / f"copy-{n}") == first
        previous = tmp_path / f"copy-{n}"


def test_a_whole_document_memo_written_in_thematic_is_exported_as_a_source_note(study: Study, tmp_path: Path,
                                                                                shared_dir: Path) -> None:
    from thematic.models import Document
    from thematic.refi.text import paragraph_segments

    memos = [{"memo": "Transcribed by the agency; check names."}, {"start": 0, "end": 5, "memo": "On a span."}]
    text = "Hello there.\n\nSecond paragraph."
    study.store.save_document(Document("notes-1", "data/raw/notes-1.txt", "txt", text, "x" * 64,
                                       paragraph_segments("notes-1", text), "Notes 1", {"memos": memos}))
    out = tmp_path / "study.qdpx"
    export_refi(study, out)
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(_xml(out).decode("utf-8"))
    import_refi(out, tmp_path / "copy")
    back = _memos(tmp_path / "copy")["notes-1"]
    assert sorted(m["memo"] for m in back) == sorted(m["memo"] for m in memos)
    assert [m["start"] for m in back if "start" in m] == [0]
