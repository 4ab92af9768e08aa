"""A source edited in another program and imported again: both documents are exported, each with its own text.

Before, the document made for the edited text kept the source's REFI GUID, so the study held two documents with
one GUID; the export then wrote two ``<TextSource>`` elements with that GUID and one ``sources/<GUID>.txt`` (the
later text), so the first document's text was lost and a re-import put its codings on the other text. Importing
the edited file a second time also made a third document with the same text. Now a GUID kept from an import is
used by one document only (the first by id; the others get a GUID of their own and the export says so), every
document's text is in the archive, a re-import puts every coding on its own text, and an edited text imported
again reuses the document it made the first time.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from pathlib import Path

from thematic.refi import export_refi, import_refi
from thematic.study import Study

SOURCE = "6A0F3C1E-8B7D-4C2A-9E51-0D4B7A2C9F10"
CODE = "1C9E7B42-5D3A-4F86-B0A1-7E2D4C6F8A93"
USER = "F4B2D8A6-3C1E-4A57-8D90-2B6E1F0C7A35"
QUOTE = "the bus never came on time"
V1 = "Host: What was hard?\nGuest: Mostly the bus never came on time, so I walked.\n"
V2 = "Host: What was hard?\nGuest: Mostly, and I mean every week, the bus never came on time, so I walked.\n"


def _qdpx(path: Path, text: str, qdpx) -> Path:
    start = text.index(QUOTE)
    sel, coding = (str(uuid.uuid5(uuid.NAMESPACE_URL, text + k)).upper() for k in ("sel", "coding"))
    xml = (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="bus" '
           f'origin="MAXQDA 2022"><Users><User guid="{USER}" name="RK"/></Users><CodeBook><Codes>'
           f'<Code guid="{CODE}" name="Transport" isCodable="true"/></Codes></CodeBook><Sources>'
           f'<TextSource guid="{SOURCE}" name="Walk interview" plainTextPath="internal://{SOURCE}.txt">'
           f'<PlainTextSelection guid="{sel}" name="{QUOTE}" startPosition="{start}" endPosition="{start + len(QUOTE)}" '
           f'creatingUser="{USER}"><Coding guid="{coding}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/>'
           f"</Coding></PlainTextSelection></TextSource></Sources></Project>")
    return qdpx(path, xml, {f"sources/{SOURCE}.txt": text})


def _edited_twice(tmp_path: Path, qdpx) -> Path:
    """A study that imported the project, then its export after the source's text was edited."""
    root = tmp_path / "st"
    import_refi(_qdpx(tmp_path / "v1.qdpx", V1, qdpx), root)
    import_refi(_qdpx(tmp_path / "v2.qdpx", V2, qdpx), root)
    return root


def test_export_writes_each_document_under_its_own_guid_with_its_own_text(tmp_path: Path, qdpx) -> None:
    root = _edited_twice(tmp_path, qdpx)
    with Study(root) as study:
        texts = {d: study.store.document_text(d) for d in study.store.documents()["document_id"]}
        summary = export_refi(study, tmp_path / "out.qdpx")
    assert len(texts) == 2
    with zipfile.ZipFile(tmp_path / "out.qdpx") as z:
        qde = z.read("project.qde").decode("utf-8")
        guids = re.findall(r'<TextSource guid="([^"]+)"', qde)
        assert len(guids) == 2 and len(set(guids)) == 2, qde
        assert SOURCE in guids  # the first document keeps the GUID the program knows
        exported = sorted(z.read(f"sources/{g}.txt").decode("utf-8") for g in guids)
    assert exported == sorted(texts.values())
    assert any(SOURCE in n and "GUID of its own" in n for n in summary.notes), summary.notes

    report = import_refi(tmp_path / "out.qdpx", tmp_path / "back")
    assert report.mismatches == [] and report.verified == 2
    with Study(tmp_path / "back") as back:
        codings = back.store.codings()
    assert codings["text"].tolist() == [QUOTE, QUOTE] and codings["flag"].isna().all()
    assert sorted(codings["document_id"]) == sorted(texts)


def test_importing_the_edited_file_again_reuses_its_document(tmp_path: Path, qdpx) -> None:
    root = _edited_twice(tmp_path, qdpx)
    report = import_refi(tmp_path / "v2.qdpx", root)
    assert report.imported["documents"] == 0 and report.imported.get("documents reused") == 1
    assert report.imported["codings"] == 0
    with Study(root) as study:
        assert len(study.store.documents()) == 2 and len(study.store.codings()) == 2
