"""REFI-QDA export as QualCoder reads it (issue 19): one selection per passage and coder, credited to
that coder; every source has a creating user; no ``/`` in source names; still valid against the XSD."""

from __future__ import annotations

import zipfile
from collections import Counter
from xml.etree import ElementTree as ET

import pytest

from thematic.study import Study

from .unlike_example import TRANSCRIPTS, code_two_coders, write_study

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qualcoder")
    texts = {name: f"Interview of 12/05/2023, site A/B\n\n{text}" for name, text in TRANSCRIPTS.items()}
    root = write_study(tmp / "study", texts)
    code_two_coders(root)
    with Study(root) as study:
        study.export_refi(tmp / "study.qdpx")
        counted = study.codings(counted=True)
    with zipfile.ZipFile(tmp / "study.qdpx") as z:
        xml = z.read("project.qde")
    return ET.fromstring(xml), xml, counted


def test_each_coders_codings_are_attributed_to_that_coder(exported):
    root, _, counted = exported
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    per_user: Counter[str] = Counter()
    spans = Counter()
    for src in root.iterfind("q:Sources/q:TextSource", NS):
        for sel in src.iterfind("q:PlainTextSelection", NS):
            coders = {users[c.get("creatingUser")] for c in sel.iterfind("q:Coding", NS)}
            assert coders == {users[sel.get("creatingUser")]}, "a selection mixes coders or credits another one"
            spans[(src.get("guid"), sel.get("startPosition"), sel.get("endPosition"), users[sel.get("creatingUser")])] += 1
            per_user[users[sel.get("creatingUser")]] += len(sel.findall("q:Coding", NS))
    assert max(spans.values()) == 1  # one selection per passage and coder
    assert per_user == Counter(counted["coder"])
    assert per_user["SO"] > 0 and per_user["HT"] > per_user["SO"]


def test_sources_have_a_creating_user_and_no_slash_in_names(exported):
    root, _, _ = exported
    users = {u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sources
    for src in sources:
        assert src.get("creatingUser") in users
        assert "/" not in src.get("name") and "\\" not in src.get("name")


def test_export_is_schema_valid(exported, shared_dir):
    import xmlschema

    _, xml, _ = exported
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml.decode("utf-8"))
