"""A REFI import pseudonymises as ingest does: every source's speakers are known before any text is rewritten, so a
person mentioned in source 1 who only speaks in source 2 is replaced in source 1 too (text, quotes, memos, export)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from refi.refi_support import pseudonym_key

from thematic.refi import export_refi, import_refi
from thematic.study import Study

U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
S1 = "5B1E0C0A-0000-4000-8000-000000000001"
S2 = "5B1E0C0A-0000-4000-8000-000000000002"
T1 = "Interviewer: Hello Maria Gomez.\nMaria Gomez: Thank you. My brother Tomás came too.\n"
T2 = "Tomás: I am Tomás, Maria's brother.\nInterviewer: ok\n"
QUOTE = "Thank you. My brother Tomás came too."


def _qdpx(path: Path) -> Path:
    start = T1.index(QUOTE)
    selection = (f'<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" name="{QUOTE}" '
                 f'startPosition="{start}" endPosition="{start + len(QUOTE)}" creatingUser="{U}">'
                 f'<Description>Tomás again</Description>'
                 f'<Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="{U}">'
                 f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>')
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="family" origin="ATLAS.ti 9">
<Users><User guid="{U}" name="Anna"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Family" isCodable="true"/></Codes></CodeBook>
<Sources>
<TextSource guid="{S1}" name="First talk" plainTextPath="internal://{S1}.txt">{selection}</TextSource>
<TextSource guid="{S2}" name="Second talk" plainTextPath="internal://{S2}.txt"/>
</Sources></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S1}.txt", T1.encode("utf-8"))
        z.writestr(f"sources/{S2}.txt", T2.encode("utf-8"))
    return path


def test_a_speaker_of_a_later_source_is_replaced_in_an_earlier_one(tmp_path: Path) -> None:
    import_refi(_qdpx(tmp_path / "family.qdpx"), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        key = pseudonym_key(study)
        tomas = key["Tomás"]
        assert tomas != "Tomás" and key["Maria Gomez"] != "Maria Gomez"
        first = study.store.document("first-talk")
        assert first.text == T1.replace("Maria Gomez", key["Maria Gomez"]).replace("Tomás", tomas)
        for doc_id in study.store.documents()["document_id"]:
            assert "Tomás" not in study.store.document(doc_id).text
        assert "Tomás" not in " ".join(study.store.segments()["text"])
        codings = study.store.codings()
        assert list(codings["text"]) == [QUOTE.replace("Tomás", tomas)]
        assert not any("Tomás" in str(m) for m in codings["memo"].dropna())
        memos = [m for d in study.store.documents()["document_id"]
                 for m in study.store.document(d).attributes.get("memos", [])]
        assert not any("Tomás" in str(v) for m in memos for v in m.values())
        out = export_refi(study, tmp_path / "out.qdpx").path
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            assert "Tomás".encode("utf-8") not in z.read(name), name
