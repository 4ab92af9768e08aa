"""A document without speaker labels is not exported as a REFI Case named by its document id (which came back as
a participant on re-import); its segments keep their participant through the round trip all the same.

The document id is its participant in a study with ``pseudonymise = false`` only, as in ingest; a study that
pseudonymises makes it a case of the key (tests/refi/test_import_role_label_is_a_key_case.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml.ElementTree import fromstring

from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

NS = {"p": "urn:QDA-XML:project:1.0"}
S1, S2 = "5B1E0C0A-0000-4000-8000-000000000001", "5B1E0C0A-0000-4000-8000-000000000002"
CASE = "CA5E0000-0000-4000-8000-000000000001"
PROJECT = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="cases" origin="ATLAS.ti">
<Cases><Case guid="{CASE}" name="P01"><SourceRef targetGUID="{S1}"/></Case></Cases>
<Sources>
<TextSource guid="{S1}" name="Interview P01" plainTextPath="internal://{S1}.txt"/>
<TextSource guid="{S2}" name="Field notes 2" plainTextPath="internal://{S2}.txt"/>
</Sources></Project>"""


def _people(root: Path) -> tuple[set[str], dict[str, set[str]]]:
    with Study(root) as study:
        segs = study.store.segments(with_text=False)
        by_doc = {d: set(g["participant_id"].dropna()) for d, g in segs.groupby("document_id")}
        return {p.id for p in study.store.participant_records()}, by_doc


def _plain(root: Path) -> Path:
    """A study that does not pseudonymise."""
    study = init_study(root, name="plain")
    toml = study.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    study.close()
    return root


def test_unlabelled_document_gives_no_case_and_no_new_participant(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor.qdpx"
    with zipfile.ZipFile(vendor, "w") as z:
        z.writestr("project.qde", PROJECT)
        z.writestr(f"sources/{S1}.txt", "Interviewer: How was it?\nP01: Fine, thanks.\n")
        z.writestr(f"sources/{S2}.txt", "The room was cold.\n\nNobody came before ten.\n")
    import_refi(vendor, _plain(tmp_path / "a"))
    people, by_doc = _people(tmp_path / "a")
    assert people == {"P01"} and by_doc["field-notes-2"] == {"field-notes-2"}

    out = tmp_path / "out.qdpx"
    with Study(tmp_path / "a") as study:
        summary = export_refi(study, out)
    with zipfile.ZipFile(out) as z:
        cases = [c.get("name") for c in fromstring(z.read("project.qde")).findall(".//p:Cases/p:Case", NS)]
    assert cases == ["P01"] and summary.counts["cases"] == 1

    import_refi(out, _plain(tmp_path / "b"))
    assert _people(tmp_path / "b") == (people, by_doc)
