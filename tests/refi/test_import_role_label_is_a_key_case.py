"""A REFI import gives a role-labelled speaker (``Respondent:``, ``Speaker 1:``) the participant id ingest gives it.

What was wrong: a project from another program (no thematic ``*.segments.json`` beside its sources, no case on a
source) was segmented by ingest with pseudonymisation off, to keep the file's offsets, so a role-labelled speaker
or a text without speaker labels took the document id as participant id (``interview-jessica-smith``,
``group-session Speaker 1``) even in a study that pseudonymises. Source names are often the participant's name,
and the id was printed as the attribution of every quote, headed the code x participant table and went out in
every export.

What is true now: in a study that pseudonymises, each such speaker is a case of the pseudonym key (``Case 1``,
recorded there as ``document / label``), the same participant ids ingest gives the same texts, with every span
still exact; with ``pseudonymise = false`` the document id, as ingest. A thematic study without participants.csv
keeps its ``Case N`` ids through a round trip with the segments files; without them (the file went through
another program) a focus group whose several cases cannot be told apart says so (W550) rather than guessing.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import xmlschema
from refi.refi_support import pseudonym_key

from thematic.ingest import ingest
from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
PARENT = "CCCCCCCC-0000-4000-8000-000000000002"
# (source name, text, coded quote); document ids as ingest makes them of files with these names
SOURCES = [
    ("Group session", "Facilitator: Welcome.\nSpeaker 1: I rely on my family.\nSpeaker 2: Money worries me.\n",
     "I rely on my family."),
    ("Interview Jessica Smith", "Interviewer: How are things?\nRespondent: My family helps me.\n", "My family helps me."),
    ("Notes Jessica Smith", "She said her family helps.\n\nShe was tired.\n", "her family helps"),
]
NS = {"p": "urn:QDA-XML:project:1.0"}


def _guid(kind: int, n: int) -> str:
    return f"{kind:08d}-0000-4000-8000-{n:012d}"


def _vendor(path: Path) -> Path:
    """An ATLAS.ti-style project: no cases, sources named after the interviewee, one coded quote in each."""
    sources = ""
    with zipfile.ZipFile(path, "w") as z:
        for i, (name, text, quote) in enumerate(SOURCES):
            start = text.index(quote)
            sources += (f'<TextSource guid="{_guid(1, i)}" name="{name}" plainTextPath="internal://{_guid(1, i)}.txt">'
                        f'<PlainTextSelection guid="{_guid(2, i)}" name="{quote}" startPosition="{start}" '
                        f'endPosition="{start + len(quote)}" creatingUser="{U}"><Coding guid="{_guid(3, i)}" '
                        f'creatingUser="{U}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection></TextSource>')
            z.writestr(f"sources/{_guid(1, i)}.txt", text)
        z.writestr("project.qde", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="ATLAS.ti 23">
<Users><User guid="{U}" name="HT"/></Users>
<CodeBook><Codes><Code guid="{PARENT}" name="Care" isCodable="false"><Code guid="{CODE}" name="Family" isCodable="true"/>
</Code></Codes></CodeBook><Sources>{sources}</Sources></Project>""")
    return path


def _participants(root: Path) -> dict[str, str | None]:
    """segment id -> participant id."""
    with Study(root) as study:
        segs = study.store.segments(with_text=False)
        return {str(s): None if pd.isna(p) else str(p) for s, p in zip(segs["segment_id"], segs["participant_id"])}


def test_role_labelled_speakers_become_key_cases_as_ingest_makes_them(tmp_path: Path, shared_dir: Path) -> None:
    import_refi(_vendor(tmp_path / "atlas.qdpx"), tmp_path / "imported")
    imported = _participants(tmp_path / "imported")

    study = init_study(tmp_path / "ingested", name="same texts")
    for name, text, _ in SOURCES:
        (study.root / "data" / "raw" / f"{name.lower().replace(' ', '-')}.txt").write_text(text, encoding="utf-8")
    assert ingest(study).ok
    study.close()
    assert imported == _participants(tmp_path / "ingested")

    people = {p for p in imported.values() if p}
    assert people == {"Case 1", "Case 2", "Case 3", "Case 4"}
    with Study(tmp_path / "imported") as study:
        key = pseudonym_key(study)
        assert key["interview-jessica-smith / Respondent"] == imported["interview-jessica-smith:1"]
        assert key["group-session / Speaker 1"] == imported["group-session:1"]
        assert key["notes-jessica-smith / (no speaker label)"] == imported["notes-jessica-smith:0"]
        codings = study.store.codings()
        assert len(codings) == 3
        for c in codings.itertuples():  # the offsets are still the file's
            assert study.store.document(c.document_id).text[int(c.start):int(c.end)] == c.text
        assert set(codings["text"]) == {q for _, _, q in SOURCES}
        out = tmp_path / "out.qdpx"
        export_refi(study, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)
    cases = xml.split("<Cases>")[1].split("</Cases>")[0]
    assert "Case 1" in cases and "jessica" not in cases.lower()  # no case carries the source's name


def test_without_pseudonymisation_the_document_id_is_the_participant_as_in_ingest(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="plain")
    toml = study.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    study.close()
    import_refi(_vendor(tmp_path / "atlas.qdpx"), tmp_path / "study")
    got = _participants(tmp_path / "study")
    assert got["interview-jessica-smith:1"] == "interview-jessica-smith"
    assert got["group-session:1"] == "group-session Speaker 1"


def _thematic_study(root: Path) -> None:
    """A study without participants.csv: an interview with a role label and a focus group of two unnamed voices."""
    study = init_study(root, name="no roster")
    raw = study.root / "data" / "raw"
    (raw / "interview-north.txt").write_text("Interviewer: How are you?\nRespondent: My family helps.\n",
                                             encoding="utf-8")
    (raw / "groups-fg-north.txt").write_text(
        "Facilitator: Welcome.\nSpeaker 3: I rely on my family.\nUnknown: Money worries me.\n", encoding="utf-8")
    assert ingest(study).ok
    study.close()


def test_a_round_trip_keeps_the_case_ids_and_says_when_a_group_cannot_be_told_apart(tmp_path: Path) -> None:
    _thematic_study(tmp_path / "home")
    before = _participants(tmp_path / "home")
    assert {p for p in before.values() if p} == {"Case 1", "Case 2", "Case 3"}
    out = tmp_path / "out.qdpx"
    with Study(tmp_path / "home") as study:
        export_refi(study, out)

    import_refi(out, tmp_path / "copy")  # with the segments files: the same ids
    assert _participants(tmp_path / "copy") == before

    stripped = tmp_path / "through-another-program.qdpx"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(stripped, "w") as dst:
        for name in src.namelist():
            if not name.endswith((".segments.json", ".records.json")):
                dst.writestr(name, src.read(name))
    report = import_refi(stripped, tmp_path / "copy2")
    after = _participants(tmp_path / "copy2")
    interview = [s for s in before if s.startswith("interview-north:")]
    assert {s: after[s] for s in interview} == {s: before[s] for s in interview}  # its one case: kept
    group = {after[s] for s in before if s.startswith("groups-fg-north:") and after[s]}
    old = {before[s] for s in before if s.startswith("groups-fg-north:") and before[s]}
    assert len(group) == 2 and all(p.startswith("Case ") for p in group)  # cases of the key, never the document id
    assert not group & old  # no guess of who is who
    (note,) = [n for n in report.notes if n.startswith("[W550]")]
    assert "'groups-fg-north'" in note and all(f"'{p}'" in note for p in old)
    assert "'Speaker 3'" in note and "'Unknown'" in note and all(p in note for p in group)
