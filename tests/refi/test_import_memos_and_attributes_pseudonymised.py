"""A REFI import into a pseudonymising study replaces names in memos, notes, descriptions and case attribute
values with the same table as the text (ingest replaces them in participant attributes too), so the stored
study and its next export hold no real name there."""

from __future__ import annotations

import zipfile
from pathlib import Path

from refi.refi_support import pseudonym_key

from thematic.codebook import load_codebook
from thematic.refi import export_refi, import_refi
from thematic.study import Study

U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
S = "5B1E0C0A-0000-4000-8000-000000000001"
CASE = "CA5E0000-0000-4000-8000-000000000001"
VAR = "7A500000-0000-4000-8000-000000000001"
N = "0E0E0000-0000-4000-8000-0000000000{:02d}".format
TEXT = ("Interviewer: Tell me about work.\nMaria Gomez: There is never enough time, honestly.\n"
        "Interviewer: And then?\nMaria Gomez: Family wants my time too.\n")
NOTES = {1: "Maria Gomez sounded tired here", 2: "Maria Gomez asked for a copy of the transcript",
         3: "Code memo: Gomez family members come up a lot", 4: "Follow up with Maria next spring"}


def _vendor(path: Path) -> Path:
    coded, uncoded = "There is never enough time", "Family wants my time too."
    a, b = TEXT.index(coded), TEXT.index(uncoded)
    notes = "".join(f'<Note guid="{N(n)}" name="note {n}"><PlainTextContent>{t}</PlainTextContent></Note>'
                    for n, t in NOTES.items())
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="memos" origin="MAXQDA 2022">
<Users><User guid="{U}" name="Anna"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Time" isCodable="true"><NoteRef targetGUID="{N(3)}"/></Code></Codes>
</CodeBook>
<Variables><Variable guid="{VAR}" name="referral" typeOfVariable="Text"/></Variables>
<Cases><Case guid="{CASE}" name="P01"><Description>Maria Gomez, the second interview</Description>
<VariableValue><VariableRef targetGUID="{VAR}"/><TextValue>Maria Gomez's sister</TextValue></VariableValue>
<SourceRef targetGUID="{S}"/></Case></Cases>
<Sources><TextSource guid="{S}" name="Interview 1" plainTextPath="internal://{S}.txt">
<Description>Second talk with Maria Gomez</Description>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" name="{coded}" startPosition="{a}"
 endPosition="{a + len(coded)}" creatingUser="{U}"><Description>Gomez again</Description>
<Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="{U}"><CodeRef targetGUID="{CODE}"/>
<NoteRef targetGUID="{N(1)}"/></Coding></PlainTextSelection>
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000002" name="{uncoded}" startPosition="{b}"
 endPosition="{b + len(uncoded)}" creatingUser="{U}"><Description>Does Maria Gomez mean her sons?</Description>
</PlainTextSelection>
<NoteRef targetGUID="{N(2)}"/></TextSource></Sources>
<Notes>{notes}</Notes>
<Description>Project with Maria Gomez and others</Description></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", TEXT.encode("utf-8"))
    return path


def test_memos_notes_descriptions_and_case_attributes_lose_the_names_the_text_loses(tmp_path: Path) -> None:
    report = import_refi(_vendor(tmp_path / "maxqda.qdpx"), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        pid = pseudonym_key(study)["Maria Gomez"]
        assert pid == "P01"  # the case's one named speaker takes the case's id
        doc = study.store.document("interview-1")
        assert doc.text == TEXT.replace("Maria Gomez", pid)
        (coding,) = study.store.codings().itertuples()
        assert doc.text[int(coding.start):int(coding.end)] == coding.text == "There is never enough time"
        assert coding.memo == f"{pid} sounded tired here\n\n{pid} again"
        memos = {m.get("name") or m["quote"]: m["memo"] for m in doc.attributes["memos"]}
        assert memos == {"source memo": f"{pid} asked for a copy of the transcript",
                         "source description": f"Second talk with {pid}",
                         "Family wants my time too.": f"Does {pid} mean her sons?"}
        (person,) = study.store.participant_records()
        assert (person.id, dict(person.attributes)) == ("P01", {"referral": f"{pid}'s sister",
                                                                "description": f"{pid}, the second interview"})
        assert load_codebook(report.codebook_path)["time"].memo.startswith(f"Code memo: {pid} family members")
        loose = "\n".join(p.read_text(encoding="utf-8") for p in (study.root / "memos").glob("*.md"))
        assert f"Follow up with {pid} next spring" in loose and f"Project with {pid} and others" in loose
        export_refi(study, tmp_path / "back.qdpx")
    with zipfile.ZipFile(tmp_path / "back.qdpx") as z:
        exported = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    assert "Maria" not in exported and "Gomez" not in exported
    assert "Maria" not in loose and "Gomez" not in loose


def test_a_memo_naming_someone_from_a_later_source_is_pseudonymised_too(tmp_path: Path) -> None:
    """Memos are rewritten once every text of the file has registered its speakers, so a memo on the first source
    that names the speaker of the second one loses that name as well."""
    s2 = "5B1E0C0A-0000-4000-8000-000000000002"
    first, second = "Interviewer: Hello.\nP01: Hi.\n", "Interviewer: Hello.\nJoaquim Silva: Hi there.\n"
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="memos" origin="MAXQDA 2022">
<Users><User guid="{U}" name="Anna"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Time" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{S}" name="One" plainTextPath="internal://{S}.txt">
<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" name="Hi." startPosition="{first.index('Hi.')}"
 endPosition="{first.index('Hi.') + 3}" creatingUser="{U}"><Description>Like Joaquim Silva said</Description>
<Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="{U}"><CodeRef targetGUID="{CODE}"/></Coding>
</PlainTextSelection></TextSource>
<TextSource guid="{s2}" name="Two" plainTextPath="internal://{s2}.txt"/></Sources></Project>"""
    with zipfile.ZipFile(tmp_path / "two.qdpx", "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", first)
        z.writestr(f"sources/{s2}.txt", second)
    import_refi(tmp_path / "two.qdpx", tmp_path / "study")
    with Study(tmp_path / "study") as study:
        pid = pseudonym_key(study)["Joaquim Silva"]
        assert study.store.document("Two").text == f"Interviewer: Hello.\n{pid}: Hi there.\n"
        (memo,) = study.store.codings()["memo"]
        assert memo == f"Like {pid} said"
