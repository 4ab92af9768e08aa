"""Retired and split-away codes stay so through a REFI-QDA round trip (thematic -> .qdpx -> thematic).

What was wrong: the export wrote every code as codable (`isCodable="true"`), whatever the codebook's changes log
said, and the import wrote `changes: []`. In the new study a code the exporting study had retired (`code add` there
was E210) could be applied again, by hand, in sheets and by suggesters, and so could a code a release had split
away (it came back as a code under `imported_codes`), while the imported codings still carried flags saying the
code was retired or split.

What is true now: a retired code, and a code split away that codings still use, are exported with
`isCodable="false"` (what NVivo, ATLAS.ti, MAXQDA and QualCoder see) and a `thematic-retired:` or `thematic-split:`
line in their description (the XML still validates against the REFI schemas). A thematic import rebuilds the
changes-log entries from them: the retired code is defined and retired, the split-away code is not defined and a
`split` entry names the codes that replaced it (as they are named now). The new study refuses them as the old one
did, `migrate` there changes nothing, and the codings keep their flags.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.codebook import validate_codebook
from thematic.coding.sheet import sheet_codes
from thematic.errors import InputError
from thematic.refi import export_refi, import_refi
from thematic.study import Study, init_study

NS = {"q": "urn:QDA-XML:project:1.0"}
CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- id: work
  definition: Work things.
codes:
- id: money
  parent: work
  definition: Talk about pay.
- id: barriers
  parent: work
  definition: Barriers to work.
- id: family
  parent: work
  definition: Family.
"""
RELEASE_2 = """\
name: cb
version: 1.0.0
changes:
- {version: 1.1.0, retire: {code: family}, note: too broad}
- {version: 1.1.0, split: {from: barriers, into: [vetting, other_barriers]}, note: two kinds}
themes:
- id: work
  definition: Work things.
codes:
- id: money
  parent: work
  definition: Talk about pay.
- id: vetting
  parent: work
  definition: Vetting.
- id: other_barriers
  parent: work
  definition: Other barriers.
- id: family
  parent: work
  definition: Family.
"""
ALPHA = "Interviewer: Tell me about work.\nDean: The money was poor.\nInterviewer: Barriers?\nDean: The vetting.\n"
BETA = "Interviewer: How did it go?\nAmy: My mother helped.\nInterviewer: Problems?\nAmy: Vetting again.\n"


def _study(tmp_path: Path, later: str | None = None) -> Study:
    """Released 1.0.0, HT coded family and barriers; 1.1.0 retired family and split barriers (then ``later``)."""
    study = init_study(tmp_path / "st", name="st")
    for old in (study.root / "codebooks").glob("*.yaml"):
        old.unlink()
    path = study.root / "codebooks" / "cb.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    (study.root / "data" / "raw" / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (study.root / "data" / "raw" / "beta.txt").write_text(BETA, encoding="utf-8")
    study.close()
    study = Study(tmp_path / "st")
    study.ingest()
    study.release_codebook(None)
    study.code("beta:1", "family", coder="HT")
    study.code("alpha:3", "barriers", coder="HT")
    study.code("alpha:1", "money", coder="HT")
    path.write_text(RELEASE_2, encoding="utf-8")
    study.release_codebook("minor")
    if later:
        path.write_text(later, encoding="utf-8")
        study.release_codebook("minor")
    study.migrate_codebook(actor="HT")
    return study


def _codes(xml: bytes) -> dict[str, ET.Element]:
    return {el.get("name"): el for el in ET.fromstring(xml).iter(f"{{{NS['q']}}}Code")}


def _description(el: ET.Element) -> str:
    found = el.find("q:Description", NS)
    return "" if found is None else found.text or ""


def test_a_round_trip_keeps_a_retired_and_a_split_away_code_out_of_reach(tmp_path: Path, shared_dir: Path) -> None:
    import xmlschema

    study = _study(tmp_path)
    with pytest.raises(InputError, match="E210"):
        study.code("alpha:1", "family", coder="HT")
    flagged_before = sorted(study.store.codings(flagged=True)["flag"])
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml.decode("utf-8"))
    codes = _codes(xml)
    assert codes["family"].get("isCodable") == "false" and codes["barriers"].get("isCodable") == "false"
    assert codes["money"].get("isCodable") == "true" and codes["vetting"].get("isCodable") == "true"
    assert "thematic-retired: 1.1.0; too broad" in _description(codes["family"])
    assert "thematic-split: 1.1.0; vetting, other_barriers; two kinds" in _description(codes["barriers"])

    report = import_refi(out, tmp_path / "fresh")
    fresh = Study(tmp_path / "fresh")
    cb = fresh.codebook
    assert validate_codebook(fresh.codebook_path) == []
    assert cb.retired == {"family"} and cb["family"].definition == "Family."
    assert "barriers" not in cb and "imported_codes" not in cb
    [split] = [e for e in cb.change_log if e.kind == "split"]
    assert split.sources == ("barriers",) and split.targets == ("vetting", "other_barriers")
    assert {e.version for e in cb.change_log} == {cb.version}  # in effect in the new codebook, not pending
    assert any("family" in n and "barriers" in n for n in report.notes)
    with pytest.raises(InputError, match=r"E210.*'family'.*too broad"):
        fresh.code("alpha:1", "family", coder="HT")
    with pytest.raises(InputError, match=r"E340.*'barriers'"):
        fresh.code("beta:3", "barriers", coder="HT")
    assert [c.id for c in sheet_codes(cb)] == ["money", "vetting", "other_barriers"]
    assert sorted(fresh.store.codings(flagged=True)["flag"]) == flagged_before
    assert fresh.migrate_codebook(actor="HT", dry_run=True).touched == 0
    shown = CliRunner().invoke(app, ["codebook", "show", "--study", str(fresh.root)])
    assert shown.exit_code == 0, shown.output
    assert "(retired)" in shown.output and "split into vetting, other_barriers" in shown.output
    fresh.close()
    study.close()


def _later(entry: str, old: str, new: str) -> str:
    """RELEASE_2 as 1.1.0 with one more entry (for 1.2.0) and the code ``old`` replaced by ``new``."""
    text = RELEASE_2.replace("version: 1.0.0", "version: 1.1.0", 1).replace(old, new)
    return text.replace("themes:", f"- {entry}\nthemes:", 1)


def test_a_split_target_renamed_later_is_named_as_it_is_now(tmp_path: Path) -> None:
    later = _later("{version: 1.2.0, rename: {from: vetting, to: screening}}", "- id: vetting\n", "- id: screening\n")
    study = _study(tmp_path, later)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    with zipfile.ZipFile(out) as z:
        codes = _codes(z.read("project.qde"))
    assert "thematic-split: 1.1.0; screening, other_barriers; two kinds" in _description(codes["barriers"])
    import_refi(out, tmp_path / "fresh")
    fresh = Study(tmp_path / "fresh")
    assert validate_codebook(fresh.codebook_path) == []
    [split] = [e for e in fresh.codebook.change_log if e.kind == "split"]
    assert split.targets == ("screening", "other_barriers")
    fresh.close()
    study.close()


def test_a_codebook_export_marks_a_retired_code_and_brings_it_back_retired(tmp_path: Path, shared_dir: Path) -> None:
    import xmlschema

    study = _study(tmp_path)
    out = tmp_path / "cb.qdc"
    export_refi(study, out, codebook_only=True)
    text = out.read_text(encoding="utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Codebook.xsd").validate(text)
    codes = {el.get("name"): el for el in ET.fromstring(text).iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert codes["family"].get("isCodable") == "false" and "barriers" not in codes
    import_refi(out, tmp_path / "fresh")
    fresh = Study(tmp_path / "fresh")
    assert fresh.codebook.retired == {"family"} and validate_codebook(fresh.codebook_path) == []
    fresh.close()
    study.close()


def test_a_split_left_with_one_target_it_can_name_stays_out_of_reach_as_a_retirement(tmp_path: Path) -> None:
    later = _later("{version: 1.2.0, split: {from: other_barriers, into: [red_tape, prejudice]}}",
                   "- id: other_barriers\n  parent: work\n  definition: Other barriers.\n",
                   "- id: red_tape\n  parent: work\n  definition: Forms.\n"
                   "- id: prejudice\n  parent: work\n  definition: Bias.\n")
    study = _study(tmp_path, later)
    out = tmp_path / "st.qdpx"
    export_refi(study, out)
    import_refi(out, tmp_path / "fresh")
    fresh = Study(tmp_path / "fresh")
    cb = fresh.codebook
    assert validate_codebook(fresh.codebook_path) == []
    [retire] = [e for e in cb.change_log if e.kind == "retire" and e.sources == ("barriers",)]
    assert retire.note == "split in 1.1.0 into vetting, other_barriers; two kinds"
    assert "barriers" not in cb and "barriers" in cb.retired
    with pytest.raises(InputError, match="E340"):
        fresh.code("beta:3", "barriers", coder="HT")
    fresh.close()
    study.close()
