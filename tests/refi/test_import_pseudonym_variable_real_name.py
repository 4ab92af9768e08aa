"""A REFI case variable ``pseudonym`` whose value is a real name is left out (W519), not turned into an id.

Case attribute values lose the names the text loses, and the ``pseudonym`` variable went through the same
rewrite: a case whose pseudonym was a real name the study knows ("Maria") was stored with the participant id
that name maps to, so ``--style name-role`` quotes could print another participant's id as this one's
pseudonym. participants.csv has left such a pseudonym out with W011 since the last wave; a REFI import now does
the same (W519 names the file, the case and the variable), and other variables are still rewritten.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from refi.test_import_memos_and_attributes_pseudonymised import CASE, VAR, _vendor

from thematic.refi import import_refi
from thematic.study import Study

PSEUDONYM_VAR = "7A500000-0000-4000-8000-000000000002"


def _with_pseudonym(path: Path, value: str) -> Path:
    base = _vendor(path.with_name("base.qdpx"))
    with zipfile.ZipFile(base) as z:
        members = {n: z.read(n) for n in z.namelist()}
    project = members["project.qde"].decode("utf-8")
    project = project.replace(f'<Variable guid="{VAR}" name="referral" typeOfVariable="Text"/>',
                              f'<Variable guid="{VAR}" name="referral" typeOfVariable="Text"/>'
                              f'<Variable guid="{PSEUDONYM_VAR}" name="pseudonym" typeOfVariable="Text"/>')
    project = project.replace(f'<Case guid="{CASE}" name="P01">',
                              f'<Case guid="{CASE}" name="P01"><VariableValue><VariableRef targetGUID="{PSEUDONYM_VAR}"/>'
                              f'<TextValue>{value}</TextValue></VariableValue>')
    members["project.qde"] = project.encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_pseudonym_variable_holding_a_real_name_is_left_out(tmp_path: Path) -> None:
    report = import_refi(_with_pseudonym(tmp_path / "p.qdpx", "Maria"), tmp_path / "study")
    notes = [n for n in report.notes if n.startswith("[W519]")]
    assert len(notes) == 1 and "p.qdpx" in notes[0] and "'P01'" in notes[0] and "'pseudonym'" in notes[0]
    assert "Maria" not in notes[0]
    with Study(tmp_path / "study") as study:
        (person,) = study.store.participant_records()
        assert "pseudonym" not in person.attributes
        assert person.attributes["referral"] == "P01's sister"  # other variables still lose the name


def test_a_pseudonym_variable_that_is_nobodys_name_is_kept(tmp_path: Path) -> None:
    report = import_refi(_with_pseudonym(tmp_path / "p.qdpx", "Rose"), tmp_path / "study")
    assert not [n for n in report.notes if n.startswith("[W519]")]
    with Study(tmp_path / "study") as study:
        (person,) = study.store.participant_records()
        assert person.attributes["pseudonym"] == "Rose"
