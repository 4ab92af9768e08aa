"""Import: tolerant of what NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette really write."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematic.codebook import load_codebook
from thematic.refi import export_refi, import_refi
from thematic.study import Study

G = "{:08d}-0000-4000-8000-000000000000".format
TEXT = "Ana: I started mentoring in 2019.\r\nAna: The vetting was slow — très lent.\r\nAna: Now I run the group.\r\n"


def project(sources: str, *, origin: str = "ATLAS.ti 9", ns: str = "urn:QDA-XML:project:1.0", extra: str = "",
            codes: str | None = None) -> str:
    codes = codes or (f'<Code guid="{G(1)}" name="Mentoring" isCodable="true" color="#0A0">'
                      f'<Code guid="{G(2)}" name="Start" isCodable="true"/></Code>'
                      f'<Code guid="{G(3)}" name="Vetting delays" isCodable="true"><Description>Waiting.</Description></Code>')
    users = f'<Users><User guid="{G(9)}" name="Dana"/></Users>'
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="Field work" origin="{origin}">'
            f"{users}<CodeBook><Codes>{codes}</Codes></CodeBook>{extra.split('|')[0]}<Sources>{sources}</Sources>"
            f"{extra.split('|')[1] if '|' in extra else ''}</Project>")


def selection(start: int, end: int, code: int | None, name: str = "", guid: int = 50, desc: str = "") -> str:
    coding = (f'<Coding guid="{G(guid + 1)}" creatingUser="{G(9)}" creationDateTime="2023-02-01T10:00:00Z">'
              f'<CodeRef targetGUID="{G(code)}"/></Coding>') if code else ""
    description = f"<Description>{desc}</Description>" if desc else ""
    return (f'<PlainTextSelection guid="{G(guid)}" name="{name}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{G(9)}">{description}{coding}</PlainTextSelection>')


def source(path: str, selections: str, guid: int = 20, name: str = "Ana interview.docx") -> str:
    return f'<TextSource guid="{G(guid)}" name="{name}" plainTextPath="{path}">{selections}</TextSource>'


def _positions(text: str, quote: str, crlf_as_two: bool) -> tuple[int, int]:
    counted = text if crlf_as_two else text.replace("\r\n", "\n")
    start = counted.index(quote)
    return start, start + len(quote)


def _one(study_root: Path) -> Study:
    return Study(study_root)


@pytest.mark.parametrize(("origin", "crlf_as_two"), [("ATLAS.ti 8.4", False), ("NVivo 14 (Windows)", True)])
def test_import_crlf_counted_by_origin(tmp_path: Path, qdpx, origin: str, crlf_as_two: bool) -> None:
    quote = "The vetting was slow — très lent."
    s, e = _positions(TEXT, quote, crlf_as_two)
    xml = project(source("internal://a.txt", selection(s, e, 3, name=quote)), origin=origin)
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT.encode("utf-8")}), tmp_path / "s")
    study = _one(tmp_path / "s")
    row = study.store.codings().iloc[0]
    assert row["text"] == quote and row["coder"] == "Dana" and row["code_id"] == "vetting_delays"
    assert report.crlf_as_two is crlf_as_two and report.verified == 1 and not any("CRLF" in n for n in report.notes)
    assert "\r" not in study.store.document("ana-interview").text


def test_import_crlf_convention_follows_the_quotes_when_origin_misleads(tmp_path: Path, qdpx) -> None:
    quote = "Now I run the group."
    s, e = _positions(TEXT, quote, crlf_as_two=False)  # counted as one, though the origin says NVivo
    xml = project(source("internal://a.txt", selection(s, e, 2, name=quote)), origin="NVivo 12")
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT}), tmp_path / "s")
    assert report.verified == 1 and any("counts as one character" in n for n in report.notes)
    assert _one(tmp_path / "s").store.codings()["text"].iloc[0] == quote


@pytest.mark.parametrize("folder", ["Sources", "sources"])
def test_import_sources_folder_in_either_case_with_bom(tmp_path: Path, qdpx, folder: str) -> None:
    quote = "I started mentoring in 2019."
    s, e = _positions(TEXT, quote, False)
    xml = "\ufeff" + project(source("internal://A.TXT", selection(s, e, 2, name=quote)))
    data = b"\xef\xbb\xbf" + TEXT.encode("utf-8")
    import_refi(qdpx(tmp_path / "p.qdpx", xml.encode("utf-8"), {f"{folder}/A.TXT": data}), tmp_path / "s")
    study = _one(tmp_path / "s")
    assert study.store.document("ana-interview").text.startswith("Speaker 1: I started")  # pseudonymised (D11)
    assert study.store.codings()["text"].tolist() == [quote]


@pytest.mark.parametrize("ref", ["relative://texts/a.txt", "texts/a.txt", "C:\\Users\\dana\\texts\\a.txt",
                                 "internal://a.txt"])
def test_import_qde_beside_its_source_files(tmp_path: Path, ref: str) -> None:
    quote = "Now I run the group."
    s, e = _positions(TEXT, quote, False)
    folder = tmp_path / "export"
    (folder / "texts").mkdir(parents=True)
    (folder / "Sources").mkdir()
    (folder / "texts" / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "Sources" / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "project.qde").write_text(project(source(ref, selection(s, e, 2, name=quote))), encoding="utf-8")
    report = import_refi(folder / "project.qde", tmp_path / "s")
    assert report.imported["codings"] == 1 and report.not_carried_over == []


def test_import_missing_sources_are_reported_and_others_still_import(tmp_path: Path, qdpx) -> None:
    quote = "Now I run the group."
    s, e = _positions(TEXT, quote, False)
    sources = (source("internal://gone.txt", selection(1, 5, 2, guid=60), guid=21, name="Gone.docx")
               + source("internal://a.txt", selection(s, e, 2, name=quote)))
    report = import_refi(qdpx(tmp_path / "p.qdpx", project(sources), {"sources/a.txt": TEXT}), tmp_path / "s")
    assert report.imported["documents"] == 1 and report.imported["codings"] == 1
    assert len(report.not_carried_over) == 1 and report.not_carried_over[0].startswith("[W500] Gone.docx")
    assert "1 selection(s) and 1 coding(s)" in report.not_carried_over[0]


def test_import_non_guid_ids_and_inline_text(tmp_path: Path) -> None:
    xml = """<Project xmlns="urn:QDA-XML:project:1.0" name="qc"><CodeBook><Codes>
      <Code guid="c1" name="Hope" isCodable="true"/></Codes></CodeBook><Sources>
      <TextSource guid="s1" name="notes"><PlainTextContent>We hope for change.</PlainTextContent>
      <PlainTextSelection guid="x1" startPosition="3" endPosition="7"><Coding guid="k1"><CodeRef targetGUID="c1"/>
      </Coding></PlainTextSelection></TextSource></Sources></Project>"""
    (tmp_path / "qc.qde").write_text(xml, encoding="utf-8")
    report = import_refi(tmp_path / "qc.qde", tmp_path / "s")
    row = _one(tmp_path / "s").store.codings().iloc[0]
    assert (row["text"], row["code_id"], row["coder"]) == ("hope", "hope", "refi-unknown")
    assert report.unverifiable == 1  # no quote in the selection's name to check against


@pytest.mark.parametrize("ns", ["urn:QDA-XML:codebook:1.0", "urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4", ""])
def test_import_qdc_in_every_namespace_with_empty_sets(tmp_path: Path, ns: str) -> None:
    xmlns = f' xmlns="{ns}"' if ns else ""
    qdc = (f'<?xml version="1.0"?><CodeBook{xmlns} origin="Taguette 1.4"><Codes>'
           f'<Code guid="{G(1)}" name="Barriers" isCodable="true"><Description>Obstacles.</Description>'
           f'<Code guid="{G(2)}" name="Vetting" isCodable="true"/></Code>'
           f'<Code guid="{G(3)}" name="Hope" isCodable="true"/></Codes><Sets/></CodeBook>')
    (tmp_path / "tags.qdc").write_text(qdc, encoding="utf-8")
    report = import_refi(tmp_path / "tags.qdc", tmp_path / "s")
    cb = load_codebook(report.codebook_path)
    assert [c.id for c in cb.themes] == ["imported_codes", "barriers"]
    assert cb["vetting"].parent == "barriers" and cb["hope"].parent == "imported_codes"
    assert cb["barriers"].definition == "Obstacles." and f"REFI guid: {G(2)}".upper() in (cb["vetting"].memo or "").upper()


def test_import_maxqda_nameless_cases_hold_document_variables(tmp_path: Path, qdpx) -> None:
    variables = (f'<Variables><Variable guid="{G(70)}" name="Site" typeOfVariable="Text"/>'
                 f'<Variable guid="{G(71)}" name="Age" typeOfVariable="Integer"/></Variables>')
    cases = (f'<Cases><Case guid="{G(80)}"><VariableValue><VariableRef targetGUID="{G(70)}"/><TextValue>Leeds'
             f'</TextValue></VariableValue><SourceRef targetGUID="{G(20)}"/></Case>'
             f'<Case guid="{G(81)}" name="P07"><VariableValue><VariableRef targetGUID="{G(71)}"/>'
             f'<IntegerValue>44</IntegerValue></VariableValue><SourceRef targetGUID="{G(20)}"/></Case></Cases>')
    xml = project(source("internal://a.txt", ""), origin="MAXQDA 2022", extra=variables + cases + "|<Sets/>")
    import_refi(qdpx(tmp_path / "m.qdpx", xml, {"sources/a.txt": TEXT}), tmp_path / "s")
    study = _one(tmp_path / "s")
    doc = study.store.document("ana-interview")
    assert doc.attributes["Site"] == "Leeds"
    assert [(p.id, dict(p.attributes)) for p in study.store.participant_records()] == [("P07", {"Age": 44})]
    assert {s.participant_id for s in doc.segments} == {"P07"} and len(doc.segments) == 3
    # the cases are a participant source of their own: no participants.csv (it would change how speakers map)
    assert not study.paths.participants_csv.exists()
    study.ingest()
    assert [(p.id, dict(p.attributes)) for p in study.store.participant_records()] == [("P07", {"Age": 44})]


def test_import_selection_with_description_but_no_coding_becomes_a_memo(tmp_path: Path, qdpx) -> None:
    quote = "I started mentoring in 2019."
    s, e = _positions(TEXT, quote, False)
    xml = project(source("internal://a.txt", selection(s, e, None, name=quote, desc="Check the year with Ana.")))
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT}), tmp_path / "s")
    study = _one(tmp_path / "s")
    memo = study.store.document("ana-interview").attributes["memos"][0]
    # the memo loses the speaker's name as the text does (pseudonymise = true)
    assert (memo["quote"], memo["memo"], memo["author"]) == (quote, "Check the year with Speaker 1.", "Dana")
    assert report.imported["memos"] == 1 and report.imported["codings"] == 0
    export_refi(study, tmp_path / "back.qdpx")  # and it goes back out as a described selection
    xml_back = zipfile.ZipFile(tmp_path / "back.qdpx").read("project.qde").decode()
    s = study.store.document("ana-interview").text.index(quote)  # after the pseudonym "Speaker 1" (D11)
    assert f'name="{quote}" startPosition="{s}" endPosition="{s + len(quote)}"' in xml_back
    assert "<Description>Check the year with Speaker 1.</Description>" in xml_back


def test_import_mismatched_quotes_are_flagged_and_out_of_range_skipped(tmp_path: Path, qdpx) -> None:
    sels = (selection(5, 20, 2, name="Something else entirely said here", guid=50)
            + selection(500, 520, 3, name="beyond the end", guid=60))
    report = import_refi(qdpx(tmp_path / "p.qdpx", project(source("internal://a.txt", sels)), {"sources/a.txt": TEXT}),
                         tmp_path / "s")
    assert len(report.mismatches) == 1 and report.mismatches[0].expected.startswith("Something else")
    assert any(w.startswith("[W503]") for w in report.not_carried_over)
    flagged = _one(tmp_path / "s").store.codings(flagged=True)
    assert len(flagged) == 1 and flagged["flag"].iloc[0].startswith("refi:")


def test_import_reports_unsupported_parts(tmp_path: Path, qdpx) -> None:
    picture = (f'<PictureSource guid="{G(30)}" name="photo.jpg" path="internal://p.jpg"><PictureSelection guid="{G(31)}"'
               f' firstX="1" firstY="1" secondX="5" secondY="5"><Coding guid="{G(32)}"><CodeRef targetGUID="{G(2)}"/>'
               "</Coding></PictureSelection></PictureSource>")
    extra = (f'|<Links><Link guid="{G(40)}"/></Links><Graphs><Graph guid="{G(41)}"/></Graphs>')
    report = import_refi(qdpx(tmp_path / "p.qdpx", project(picture, extra=extra)), tmp_path / "s")
    joined = "\n".join(report.not_carried_over)
    assert "[W501] photo.jpg: PictureSource" in joined and "1 coding(s)" in joined
    assert "[W504] graphs: 1" in joined and "[W504] links: 1" in joined
    assert report.found["graphs"] == 1 and not report.ok


def test_import_into_existing_study_keeps_its_codebook(coded_study: Study, tmp_path: Path, qdpx) -> None:
    before = coded_study.codebook_path.read_text(encoding="utf-8")
    xml = project(source("internal://a.txt", ""))
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT}), coded_study.root)
    assert coded_study.codebook_path.read_text(encoding="utf-8") == before
    # the file's codes are new to the study: put aside in codebooks/imported/, the study keeps its codebook
    assert report.codebook_path == coded_study.root / "codebooks" / "imported" / "field-work.yaml"
    assert "The study still uses codebooks/codebook.yaml" in report.notes[-1]
    assert coded_study.context.codebook_path == coded_study.root / "codebooks" / "codebook.yaml"
    assert load_codebook(report.codebook_path)["start"].parent == "mentoring"
    assert (coded_study.root / "data/raw/refi/ana-interview.txt").read_text(encoding="utf-8") == TEXT.replace("\r\n", "\n")


def test_import_refuses_a_folder_that_is_not_a_study_when_create_is_off(tmp_path: Path, qdpx) -> None:
    from thematic.refi import RefiError

    (tmp_path / "plain").mkdir()
    with pytest.raises(RefiError, match=r"\[E511\]"):
        import_refi(qdpx(tmp_path / "p.qdpx", project("")), tmp_path / "plain", create=False)


def test_import_into_an_existing_empty_folder_creates_the_study(tmp_path: Path, qdpx) -> None:
    (tmp_path / "empty").mkdir()
    report = import_refi(qdpx(tmp_path / "p.qdpx", project("")), tmp_path / "empty")
    assert report.created_study and (tmp_path / "empty" / "thematic.toml").is_file()
    assert (tmp_path / "empty" / "codebooks" / "codebook.yaml").is_file()


def test_import_source_sets_and_notes_come_back_out(tmp_path: Path, qdpx) -> None:
    quote = "Now I run the group."
    s, e = _positions(TEXT, quote, False)
    src = (f'<TextSource guid="{G(20)}" name="Ana interview.docx" plainTextPath="internal://a.txt">'
           f'{selection(s, e, 2, name=quote)}<NoteRef targetGUID="{G(90)}"/></TextSource>')
    notes = (f'|<Notes><Note guid="{G(90)}" name="About Ana"><PlainTextContent>Second interview soon.</PlainTextContent>'
             f'</Note><Note guid="{G(91)}" name="Plan"><PlainTextContent>Code the rest.</PlainTextContent></Note></Notes>'
             f'<Sets><Set guid="{G(95)}" name="Wave 1"><MemberSource targetGUID="{G(20)}"/></Set></Sets>')
    report = import_refi(qdpx(tmp_path / "p.qdpx", project(src, extra=notes), {"sources/a.txt": TEXT}), tmp_path / "s")
    study = _one(tmp_path / "s")
    doc = study.store.document("ana-interview")
    assert doc.attributes["sets"] == ["Wave 1"]
    assert doc.attributes["memos"] == [{"memo": "Second interview soon.", "name": "source memo"}]
    assert "Code the rest." in (tmp_path / "s" / "memos" / "p.md").read_text(encoding="utf-8")
    assert report.sets == [("Wave 1", 0, 1)]
    export_refi(study, tmp_path / "back.qdpx")
    back = zipfile.ZipFile(tmp_path / "back.qdpx").read("project.qde").decode()
    assert '<Set guid=' in back and 'name="Wave 1"' in back and f'<MemberSource targetGUID="{G(20)}"' in back


def test_import_project_without_codes_writes_no_codebook(tmp_path: Path, qdpx) -> None:
    xml = ('<Project xmlns="urn:QDA-XML:project:1.0" name="texts only"><Sources>'
           f'{source("internal://a.txt", "")}</Sources></Project>')
    report = import_refi(qdpx(tmp_path / "p.qdpx", xml, {"sources/a.txt": TEXT}), tmp_path / "s")
    assert report.codebook_path is None and report.imported["documents"] == 1
    assert list((tmp_path / "s" / "codebooks").iterdir()) == []


def test_import_codebook_of_only_non_codable_codes_still_loads(tmp_path: Path) -> None:
    qdc = (f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{G(1)}" name="Folder A" isCodable="false"/>'
           f'<Code guid="{G(2)}" name="Folder B" isCodable="false"/></Codes></CodeBook>')
    (tmp_path / "f.qdc").write_text(qdc, encoding="utf-8")
    cb = load_codebook(import_refi(tmp_path / "f.qdc", tmp_path / "s").codebook_path)
    assert [c.id for c in cb.codes] == ["folder_a", "folder_b"]
