"""Export: .qdc and .qdpx that validate against the official schemas and hold the whole study."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring

from thematic.codebook import load_codebook
from thematic.refi import RefiError, export_codebook, export_refi
from thematic.study import Study

NS = {"p": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}


def _project(path: Path):
    with zipfile.ZipFile(path) as z:
        return z.read("project.qde"), {n: z.read(n) for n in z.namelist() if n.startswith("sources/")}


def test_export_qdpx_validates_against_project_xsd(coded_study: Study, tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_refi(coded_study, out, include_suggested=True)
    xml, _ = _project(out)
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml.decode("utf-8"))
    memo = fromstring(xml).find(".//p:PlainTextSelection/p:Description", NS)  # a memo on an uncoded span
    assert memo.text == "Ask about 2020."


def test_export_qdc_validates_against_codebook_xsd(coded_study: Study, tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "codebook.qdc"
    summary = export_refi(coded_study, out, codebook_only=True)
    xmlschema.XMLSchema(shared_dir / "refi" / "Codebook.xsd").validate(out.read_text(encoding="utf-8"))
    root = fromstring(out.read_bytes())
    assert summary.counts["codes"] == 6
    assert len(root.findall(".//c:Code", NS)) == 6


def test_export_qdpx_holds_users_hierarchy_sources_selections_cases_notes(coded_study: Study, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    export_refi(coded_study, out)
    xml, sources = _project(out)
    root = fromstring(xml)
    users = {u.get("guid"): u.get("name") for u in root.findall("p:Users/p:User", NS)}
    assert set(users.values()) == {"AB", "CD", "thematic.rules.v1"}
    barriers = root.find("p:CodeBook/p:Codes/p:Code[@name='Barriers']", NS)
    assert barriers.get("isCodable") == "false"
    deep = barriers.find("p:Code/p:Code", NS)
    assert deep.get("name") == "Vetting delays" and deep.get("color") == "#008080"
    shared = root.find(".//p:Code[@name=\"Shared experience ('been there')\"]", NS)
    description = shared.find("p:Description", NS).text
    assert "Include:\n- Claims that peers understand" in description and "Exclude:\n- Hope" in description
    # sources: UTF-8 text files referenced as internal://<guid>.txt
    source = root.find("p:Sources/p:TextSource[@name='Interview int-01']", NS)
    name = source.get("plainTextPath").removeprefix("internal://")
    assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
    text = sources[f"sources/{name}"].decode("utf-8")
    assert text == coded_study.store.document("int-01").text
    # selections: code-point offsets, end exclusive, with coder and date on each coding
    sel = source.find("p:PlainTextSelection", NS)
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    assert text[start:end] == "I'd been there myself — café owner, naïve at first 😀"
    # one selection per passage and coder, credited to that coder (QualCoder keeps one coder per selection)
    same = [s for s in source.findall("p:PlainTextSelection", NS)
            if (s.get("startPosition"), s.get("endPosition")) == (sel.get("startPosition"), sel.get("endPosition"))]
    assert sorted(users[s.get("creatingUser")] for s in same) == ["AB", "CD"]
    for s in same:
        assert {users[c.get("creatingUser")] for c in s.findall("p:Coding", NS)} == {users[s.get("creatingUser")]}
    assert {c.get("creationDateTime") for s in same for c in s.findall("p:Coding", NS)} == {"2024-05-01T09:30:00Z"}
    # participants as cases with typed variables; memos as notes referenced from codings and codes
    case = root.find("p:Cases/p:Case[@name='P01']", NS)
    assert case.find("p:VariableValue/p:IntegerValue", NS).text == "34"
    assert case.find("p:SourceRef", NS).get("targetGUID") == source.get("guid")
    notes = {n.get("guid"): n.find("p:PlainTextContent", NS).text for n in root.findall("p:Notes/p:Note", NS)}
    memo_ref = sel.find("p:Coding/p:NoteRef", NS).get("targetGUID")
    assert notes[memo_ref] == "Strong example; quote in chapter 3."
    code_memo = root.find(".//p:Code[@name='Role model']/p:NoteRef", NS).get("targetGUID")
    assert notes[code_memo] == "Merge with shared_experience? Discussed 3 May."


def test_export_counts_only_manual_and_accepted_unless_asked(coded_study: Study, tmp_path: Path) -> None:
    default = export_refi(coded_study, tmp_path / "a.qdpx")
    with_suggested = export_refi(coded_study, tmp_path / "b.qdpx", include_suggested=True)
    assert default.counts["codings"] == 6  # 5 manual + 1 accepted; the suggested and rejected stay out
    assert with_suggested.counts["codings"] == 7


def test_export_guids_are_stable_across_exports(coded_study: Study, tmp_path: Path) -> None:
    def guids(path: Path) -> list[str]:
        root = fromstring(_project(path)[0])
        return [el.get("guid") for el in root.iter() if el.get("guid")]

    export_refi(coded_study, tmp_path / "a.qdpx")
    export_refi(coded_study, tmp_path / "b.qdpx")
    first = guids(tmp_path / "a.qdpx")
    assert first == guids(tmp_path / "b.qdpx") and len(first) == len(set(first)) > 20


def test_export_writes_atomically_and_leaves_no_temp_files(coded_study: Study, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "study.qdpx"
    out.write_bytes(b"previous export")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(RefiError, match=r"\[E407\].*study\.qdpx.*disk full"):
        export_refi(coded_study, out)
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study", "study.qdpx"]  # no temporary file left


@pytest.mark.parametrize(("name", "codebook_only", "fragment"), [
    ("study.zip", False, "must end in .qdc"),
    ("study.qdpx", True, "--codebook-only writes a .qdc"),
])
def test_export_refuses_wrong_file_names(coded_study: Study, tmp_path: Path, name: str, codebook_only: bool,
                                         fragment: str) -> None:
    with pytest.raises(RefiError, match=r"\[E509\]") as err:
        export_refi(coded_study, tmp_path / name, codebook_only=codebook_only)
    assert fragment in str(err.value)


def test_export_qdc_without_codebook_is_a_clear_error(study: Study, tmp_path: Path) -> None:
    with pytest.raises(RefiError, match=r"\[E510\].*no codebook"):
        export_refi(study, tmp_path / "x.qdc")


def test_export_codebook_from_a_codebook_alone(coded_study: Study, tmp_path: Path) -> None:
    cb = load_codebook(coded_study.codebook_path)
    summary = export_codebook(cb, tmp_path / "cb.qdc")
    assert summary.kind == "qdc" and (tmp_path / "cb.qdc").read_bytes().startswith(b"<?xml")


def test_export_empty_study_is_still_a_valid_project(study: Study, tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "empty.qdpx"
    export_refi(study, out)
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(_project(out)[0].decode())
