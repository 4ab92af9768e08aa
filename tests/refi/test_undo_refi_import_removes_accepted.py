"""Undoing a REFI import removes all it brought in, the codings that came in accepted too (nobody decided anything
since); a suggestion a person accepted or rejected after a batch still stays, as before."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.models import Coding, Document, Provenance, Segment
from thematic.refi import export_refi, import_refi
from thematic.study import Study


def _undo(root: Path, batch: str) -> str:
    out = CliRunner().invoke(app, ["undo", batch, "--study", str(root)])
    assert out.exit_code == 0, out.output
    return " ".join(out.output.split())


def _exported(coded_study: Study, tmp_path: Path) -> Path:
    store = coded_study.store
    open_ = store.codings(status="suggested")
    store.set_status(list(open_["coding_id"]), "accepted", actor="AB")  # an accepted suggestion with its reviewer
    statuses = set(store.codings()["status"])
    assert {"manual", "accepted"} <= statuses
    return export_refi(coded_study, tmp_path / "e.qdpx").path


def test_undo_of_an_import_removes_the_codings_it_brought_in_accepted(coded_study: Study, tmp_path: Path) -> None:
    path = _exported(coded_study, tmp_path)
    report = import_refi(path, tmp_path / "copy")
    with Study(tmp_path / "copy") as study:
        codings = study.store.codings()
        assert {"manual", "accepted"} <= set(codings["status"]) and len(codings) == report.imported["codings"]
    said = _undo(tmp_path / "copy", report.batch_id)
    assert "kept" not in said
    with Study(tmp_path / "copy") as study:
        assert study.store.codings().empty
        assert study.store.codings(batch=report.batch_id).empty


def test_undo_of_an_import_keeps_a_decision_made_after_it(coded_study: Study, tmp_path: Path) -> None:
    path = _exported(coded_study, tmp_path)
    report = import_refi(path, tmp_path / "copy")
    with Study(tmp_path / "copy") as study:
        accepted = study.store.codings(status="accepted")["coding_id"].iloc[0]
        study.store.set_status([accepted], "rejected", actor="Zoë")  # a person's decision, after the import
    said = _undo(tmp_path / "copy", report.batch_id)
    assert "1 reviewed coding(s) kept" in said
    with Study(tmp_path / "copy") as study:
        left = study.store.codings()
        assert list(left["coding_id"]) == [accepted] and list(left["status"]) == ["rejected"]


def test_undo_of_a_code_batch_keeps_a_suggestion_accepted_since(study: Study) -> None:
    text = "Interviewer: hi\nAna: The coffee was bitter.\nAna: The tea was sweet.\n"
    segs = tuple(Segment("d", i, text.index(t), text.index(t) + len(t), t) for i, t in
                 enumerate(["Interviewer: hi", "Ana: The coffee was bitter.", "Ana: The tea was sweet."]))
    store = study.store
    store.save_document(Document(id="d", path="data/raw/d.txt", format="txt", text=text, content_hash="h",
                                 segments=segs))
    rules = Provenance("suggester", "thematic.rules.v1")
    batch = store.new_batch("code", actor="thematic")

    def suggestion(seg: Segment, status: str = "suggested") -> Coding:
        return Coding(document_id="d", start=seg.start, end=seg.end, code_id="taste", coder="thematic.rules.v1",
                      text=seg.text, segment_id=seg.id, status=status, provenance=rules)  # type: ignore[arg-type]

    store.add_codings([suggestion(segs[1]), suggestion(segs[2]), suggestion(segs[0], "accepted")], batch_id=batch)
    ids = {c.text: c.coding_id for c in store.codings().itertuples()}
    store.set_status([ids[segs[1].text]], "accepted", actor="HT")  # decided after the run: kept
    done = store.revert_batch(batch, actor="HT")
    assert done.kept == 1 and done.removed == 2
    assert list(store.codings()["coding_id"]) == [ids[segs[1].text]]
