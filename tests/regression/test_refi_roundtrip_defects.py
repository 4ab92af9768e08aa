"""REFI-QDA round trips keep what a study holds (new-user exploration defects): suggestion status,
imported documents through the next ingest, participant mapping, the study's codebook, flags,
per-file segmentation and cue times, and typed attributes. Small fictional studies, real .qdpx files."""

from __future__ import annotations

import zipfile
from xml.etree import ElementTree as ET

from thematic.refi import import_refi
from thematic.study import Study

from .unlike_example import TRANSCRIPTS, write_study

NS = {"q": "urn:QDA-XML:project:1.0"}


def _project(path):
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read("project.qde"))


def _validate(path, shared_dir):
    """The project.qde of ``path`` passes the official schema (as tests/refi/test_export does)."""
    import xmlschema

    with zipfile.ZipFile(path) as z:
        xml = z.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(shared_dir / "refi" / "Project-mrt2019.xsd").validate(xml)


def _suggested_study(tmp_path):
    root = write_study(tmp_path / "study", TRANSCRIPTS)
    with Study(root) as study:
        study.run_code(suggesters=["rules"])
        queue = study.review_queue()
        assert len(queue) >= 3
        study.decide(str(queue["coding_id"].iloc[0]), "accept", reviewer="SO")
        study.decide(str(queue["coding_id"].iloc[1]), "reject", reviewer="SO")
        pending = len(queue) - 2
        counted = study.frequencies()[["code_id", "n_segments"]].reset_index(drop=True)
    return root, pending, counted


def test_suggestions_come_back_as_suggestions_and_accepted_ones_with_their_reviewer(tmp_path, shared_dir):
    root, pending, counted = _suggested_study(tmp_path)
    with Study(root) as study:
        study.export_refi(tmp_path / "study.qdpx", include_suggested=True)
    _validate(tmp_path / "study.qdpx", shared_dir)
    import_refi(tmp_path / "study.qdpx", tmp_path / "copy")
    with Study(tmp_path / "copy") as copy:
        codings = copy.store.codings()
        assert (codings["status"] == "suggested").sum() == pending
        accepted = codings.loc[codings["status"] == "accepted"]
        assert len(accepted) == 1 and list(accepted["reviewer"]) == ["SO"]
        assert len(copy.review_queue()) == pending
        after = copy.frequencies()[["code_id", "n_segments"]].reset_index(drop=True)
        assert after.equals(counted)
