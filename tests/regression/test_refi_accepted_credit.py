"""REFI-QDA export credits an accepted suggestion to the person who accepted it (as every table does),
not to the suggester; the import brings it back as the suggester's coding, accepted by that person."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

from thematic.refi import import_refi
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, write_study

NS = {"q": "urn:QDA-XML:project:1.0"}


def test_accepted_suggestions_are_exported_as_the_accepters_codings(tmp_path):
    root = write_study(tmp_path / "study", TRANSCRIPTS)
    with Study(root) as study:
        study.run_code(suggesters=["rules"])
        queue = study.review_queue()
        assert len(queue) >= 2
        accepted = str(queue["coding_id"].iloc[0])
        study.decide(accepted, "accept", reviewer="SO")
        study.decide(str(queue["coding_id"].iloc[1]), "reject", reviewer="SO")
        study.export_refi(tmp_path / "study.qdpx")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as z:
        xml = ET.fromstring(z.read("project.qde"))
    users = {u.get("guid"): u.get("name") for u in xml.iterfind("q:Users/q:User", NS)}
    coders = [users[c.get("creatingUser")] for c in xml.iterfind(".//q:Coding", NS)]
    assert coders == ["SO"]  # the one accepted suggestion; rejected and pending ones are not exported
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        back = copy.store.codings()
        assert list(zip(back["coder"], back["status"], back["reviewer"])) == [("thematic.rules.v1", "accepted", "SO")]
