"""A REFI export carries participants.csv's ``pseudonym`` column, so ``--style name-role`` survives a round trip.

What was wrong: the export left out every attribute whose column holds names or contact details, and the
``pseudonym`` column counted as one, although it is the public alias chosen to print instead of a name (ingest
never stores one that is a real name, W011). A study exported and imported again into a fresh study quoted
``(P01, nurse)`` where it had quoted ``(Rose, nurse)``.

What is true now: each case carries its ``pseudonym`` variable (a real ``name`` column still stays home), the
import reads it back, and the quotes read as before. An import into a study where that pseudonym is the name of
someone the study knows still leaves it out with W519.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import xmlschema
from defusedxml.ElementTree import fromstring

from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

NS = {"p": "urn:QDA-XML:project:1.0"}
CODEBOOK = ("name: cb\nversion: 0.1.0\nthemes:\n- {id: care, label: Care, definition: Care.}\n"
            "codes:\n- {id: family, label: Family, parent: care, definition: Family.}\n")


def _study(root: Path) -> Study:
    study = init_study(root, name="aliases")
    (study.root / "codebooks" / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    raw = study.paths.raw
    (raw / "participants.csv").write_text("participant_id,name,role,pseudonym\nP01,Amira Haddad,nurse,Rose\n",
                                          encoding="utf-8")
    (raw / "interview-1.txt").write_text("Interviewer: How are you?\nAmira Haddad: My family helps.\n",
                                         encoding="utf-8")
    study.ingest()
    study.code("interview-1:1", "family", coder="HT")
    return study


def _case_variables(out: Path) -> dict[str, dict[str, str]]:
    with zipfile.ZipFile(out) as z:
        root = fromstring(z.read("project.qde"))
    names = {v.get("guid"): v.get("name") for v in root.findall(".//p:Variables/p:Variable", NS)}
    return {c.get("name"): {names[v.find("p:VariableRef", NS).get("targetGUID")]: v[1].text
                            for v in c.findall("p:VariableValue", NS)} for c in root.findall(".//p:Cases/p:Case", NS)}


def test_the_pseudonym_goes_out_and_comes_back(tmp_path: Path, shared_dir: Path) -> None:
    study = _study(tmp_path / "home")
    assert study.quotes(style="name-role")["attribution"].tolist() == ["(Rose, nurse)"]
    out = tmp_path / "out.qdpx"
    export_refi(study, out)
    study.close()
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)
    assert _case_variables(out) == {"P01": {"role": "nurse", "pseudonym": "Rose"}}
    assert "Amira" not in xml and "Haddad" not in xml  # the real name stays home

    report = import_refi(out, tmp_path / "copy")
    assert not [n for n in report.notes if n.startswith("[W519]")]
    with Study(tmp_path / "copy") as copy:
        assert copy.quotes(style="name-role")["attribution"].tolist() == ["(Rose, nurse)"]
        assert copy.store.participant_records()[0].attributes == {"role": "nurse", "pseudonym": "Rose"}


def test_a_pseudonym_that_is_a_name_the_importing_study_knows_is_still_left_out(tmp_path: Path) -> None:
    study = _study(tmp_path / "home")
    out = tmp_path / "out.qdpx"
    export_refi(study, out)
    study.close()
    other = init_study(tmp_path / "other", name="other")
    (other.paths.raw / "participants.csv").write_text("participant_id,name\nP09,Rose Moreau\n", encoding="utf-8")
    (other.paths.raw / "interview-9.txt").write_text("Interviewer: Hello.\nRose Moreau: Hello.\n", encoding="utf-8")
    other.ingest()
    other.close()
    report = import_refi(out, tmp_path / "other")
    (note,) = [n for n in report.notes if n.startswith("[W519]")]
    assert "'P01'" in note and "'pseudonym'" in note
    with Study(tmp_path / "other") as other:
        people = {p.id: p.attributes for p in other.store.participant_records()}
        assert "pseudonym" not in people["P01"] and people["P01"]["role"] == "nurse"
