"""D11: a REFI import into a study with pseudonymise = true replaces speaker names through the study's pseudonym
key, as ingest does (text, speaker column, participants), and every coding keeps its span exactly."""

from __future__ import annotations

import zipfile
from pathlib import Path

from refi.refi_support import pseudonym_key

from thematic.ingest import ingest
from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

S = "5B1E0C0A-0000-4000-8000-000000000001"
U = "AAAAAAAA-0000-4000-8000-000000000001"
CODE = "CCCCCCCC-0000-4000-8000-000000000001"
# MAXQDA writes CRLF and counts it as one character: offsets below are into the LF text
TEXT = ("Interviewer: Wie war es?\r\nMaria: Es war schön, wirklich schön. Frag Maria Huber.\r\n\r\n"
        "Interviewer: And the staff?\r\nMaria: Helpful, mostly. Except on Mondays.\r\n")
LF = TEXT.replace("\r\n", "\n")
QUOTES = ["Es war schön, wirklich schön.", "Maria: Es war schön", "aria: Es war", "Frag Maria Huber.",
          "Helpful, mostly."]


def _selection(n: int, quote: str, *, coded: bool = True, counted: str = LF) -> str:
    start = counted.index(quote)
    inner = (f'<Coding guid="EEEEEEEE-0000-4000-8000-00000000000{n}" creatingUser="{U}"><CodeRef targetGUID="{CODE}"/>'
             "</Coding>" if coded else "<Description>Who is Maria Huber?</Description>")
    return (f'<PlainTextSelection guid="DDDDDDDD-0000-4000-8000-00000000000{n}" name="{quote}" '
            f'startPosition="{start}" endPosition="{start + len(quote)}" creatingUser="{U}">{inner}</PlainTextSelection>')


def _vendor(path: Path, origin: str = "MAXQDA 2022") -> Path:
    counted = TEXT if "NVivo" in origin else LF  # NVivo counts CRLF as two characters
    selections = "".join(_selection(i, q, coded=q != "Frag Maria Huber.", counted=counted)
                         for i, q in enumerate(QUOTES))
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="names" origin="{origin}">
<Users><User guid="{U}" name="Anna"/></Users>
<CodeBook><Codes><Code guid="{CODE}" name="Mood" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{S}" name="Interview Maria.docx" plainTextPath="internal://{S}.txt">{selections}
<Coding guid="EEEEEEEE-0000-4000-8000-000000000009" creatingUser="{U}"><CodeRef targetGUID="{CODE}"/></Coding>
</TextSource></Sources></Project>"""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", TEXT.encode("utf-8"))
    return path


def test_speaker_names_are_replaced_through_the_study_key_and_every_span_stays_exact(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="names")
    # a transcript ingested first names Maria: the import must give her the same pseudonym
    (study.root / "data" / "raw" / "first.txt").write_text("Interviewer: Hello.\nJohn: Hi.\nMaria: Hello too.\n",
                                                           encoding="utf-8")
    assert ingest(study).ok
    pseudonym = pseudonym_key(study)["Maria"]
    study.close()

    report = import_refi(_vendor(tmp_path / "vendor.qdpx"), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        (doc_id,) = [d for d in study.store.documents()["document_id"] if d != "first"]
        doc = study.store.document(doc_id)
        assert doc_id == "interview-maria" and doc.title == f"Interview {pseudonym}.docx"  # the id is kept: W510
        assert doc.text == LF.replace("Maria", pseudonym)
        segs = study.store.segments(document=doc_id)
        assert set(segs["speaker"].dropna()) == {"Interviewer", pseudonym}
        assert set(segs.loc[~segs["is_interviewer"].astype(bool), "participant_id"]) == {pseudonym}
        for seg in segs.itertuples():
            assert doc.text[seg.start:seg.end] == seg.text
        codings = study.store.codings(document=doc_id)
        expected = {q.replace("Maria", pseudonym) for q in QUOTES if q != "Frag Maria Huber."}
        expected = {pseudonym + ": Es war" if q == "aria: Es war" else q for q in expected} | {doc.text}
        expected.discard("aria: Es war")
        assert set(codings["text"]) == expected
        for c in codings.itertuples():
            assert doc.text[int(c.start):int(c.end)] == c.text
        (memo,) = doc.attributes["memos"]
        assert memo["quote"] == f"Frag {pseudonym} Huber." == doc.text[memo["start"]:memo["end"]]
        assert pseudonym_key(study)["Maria"] == pseudonym
    warned = [w for w in report.not_carried_over + report.notes if w.startswith("[W508]")]
    assert len(warned) == 1 and "1 selection(s)" in warned[0]
    (named,) = [w for w in report.notes if w.startswith("[W510]")]
    assert "'interview-maria'" in named and f"real name of {pseudonym}" in named
    assert report.notes[0].startswith("Pseudonymised as ingest does") and "private/pseudonym-key.csv" in report.notes[0]

    again = import_refi(tmp_path / "vendor.qdpx", tmp_path / "study")  # the same file again: nothing new
    assert again.imported.get("documents reused") == 1 and again.imported["codings"] == 0


def test_nvivo_offsets_counting_crlf_as_two_land_on_the_same_words_of_the_pseudonymised_text(tmp_path: Path) -> None:
    report = import_refi(_vendor(tmp_path / "vendor.qdpx", origin="NVivo 14 (Windows)"), tmp_path / "s")
    assert report.crlf_as_two and report.verified == len(QUOTES) and not report.mismatches
    with Study(tmp_path / "s") as study:
        doc = study.store.document("interview-maria")
        assert doc.text == LF.replace("Maria", "Speaker 1")
        got = {doc.text[int(c.start):int(c.end)] for c in study.store.codings().itertuples()}
        assert got == {"Es war schön, wirklich schön.", "Speaker 1: Es war schön", "Speaker 1: Es war",
                       "Helpful, mostly.", doc.text}


def test_export_of_the_pseudonymised_import_comes_back_unchanged(tmp_path: Path) -> None:
    import_refi(_vendor(tmp_path / "vendor.qdpx"), tmp_path / "a")
    with Study(tmp_path / "a") as a:
        export_refi(a, tmp_path / "a.qdpx")
        before = {d: a.store.document(d).text for d in a.store.documents()["document_id"]}
        speakers = set(a.store.segments()["speaker"].dropna())
    import_refi(tmp_path / "a.qdpx", tmp_path / "b")
    with Study(tmp_path / "b") as b:
        assert {d: b.store.document(d).text for d in b.store.documents()["document_id"]} == before
        assert set(b.store.segments()["speaker"].dropna()) == speakers
        assert "Maria" not in speakers


def test_with_pseudonymise_false_the_text_is_kept_as_it_came(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="names")
    toml = study.root / "thematic.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("pseudonymise = true", "pseudonymise = false"),
                    encoding="utf-8")
    study.close()
    import_refi(_vendor(tmp_path / "vendor.qdpx"), tmp_path / "study")
    with Study(tmp_path / "study") as study:
        (doc_id,) = study.store.documents()["document_id"]
        assert study.store.document(doc_id).text == LF
        assert "Maria" in set(study.store.segments()["speaker"].dropna())
        assert set(study.store.codings()["text"]) >= set(QUOTES) - {"Frag Maria Huber."}


def test_a_new_pseudonym_skips_labels_the_study_and_the_imported_text_already_use(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="names")
    (study.root / "data" / "raw" / "generic.txt").write_text("Speaker 1: Hello.\nSpeaker 2: Hi.\n", encoding="utf-8")
    assert ingest(study).ok
    study.close()
    text = "Speaker 3: Who is next?\nMaria: Me.\n"
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="names" origin="MAXQDA 2022">
<Sources><TextSource guid="{S}" name="Group" plainTextPath="internal://{S}.txt"/></Sources></Project>"""
    with zipfile.ZipFile(tmp_path / "vendor.qdpx", "w") as z:
        z.writestr("project.qde", project)
        z.writestr(f"sources/{S}.txt", text)
    import_refi(tmp_path / "vendor.qdpx", tmp_path / "study")
    with Study(tmp_path / "study") as study:
        assert study.store.document("Group").text == "Speaker 3: Who is next?\nSpeaker 4: Me.\n"
        assert pseudonym_key(study)["Maria"] == "Speaker 4"
