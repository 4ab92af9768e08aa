"""A transcript renamed or moved in data/raw keeps its document and its codings.

Before, the renamed file became a second document beside the old one (still stored, "no longer in
data/raw"): the codings stayed on the ghost, the new document had none, and the study counted the
same interview twice in its document totals.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study

from .unlike_example import write_study

runner = CliRunner()


def _coded(tmp_path: Path) -> Path:
    root = write_study(tmp_path / "study")
    with Study(root) as study:
        study.ingest()
        segs = study.store.segments()
        for sid, text in zip(segs["segment_id"], segs["text"]):
            if "time" in str(text) or "busy" in str(text):
                study.code(sid, "time_pressure", coder="HT")
    return root


def test_a_renamed_transcript_keeps_its_document_id_and_codings(tmp_path: Path) -> None:
    root = _coded(tmp_path)
    with Study(root) as study:
        before = study.store.codings()[["coding_id", "document_id", "start", "end"]]
        table = study.frequencies()
    raw = root / "data" / "raw"
    (raw / "interviews").mkdir()
    (raw / "ana.txt").rename(raw / "interviews" / "ana-2024.txt")
    with Study(root) as study:
        report = study.ingest()
        docs = study.store.documents()
        after = study.store.codings()[["coding_id", "document_id", "start", "end"]]
        assert study.frequencies().equals(table)
    assert report.missing == ()
    row = next(r for r in report.rows if r.path == "data/raw/interviews/ana-2024.txt")
    assert row.document_id == "ana" and "[W113]" in " ".join(row.warnings) and "data/raw/ana.txt" in row.warnings[0]
    assert sorted(docs["path"]) == ["data/raw/david.txt", "data/raw/interviews/ana-2024.txt"]
    assert after.equals(before) and not study.store.codings(flagged=True).shape[0]
    r = runner.invoke(app, ["status", "--study", str(root)])
    assert r.exit_code == 0 and "gone from data/raw" not in r.output


def test_a_copy_is_a_new_document_and_a_changed_rename_is_not_guessed(tmp_path: Path) -> None:
    root = _coded(tmp_path)
    raw = root / "data" / "raw"
    (raw / "ana-copy.txt").write_bytes((raw / "ana.txt").read_bytes())  # the original is still there
    text = (raw / "david.txt").read_text(encoding="utf-8")
    (raw / "david.txt").unlink()
    (raw / "david-edited.txt").write_text(text + "Interviewer: Thanks.\n", encoding="utf-8")
    with Study(root) as study:
        report = study.ingest()
    status = {r.path: (r.status, r.document_id) for r in report.rows}
    assert status["data/raw/ana-copy.txt"] == ("new", "ana-copy")
    assert status["data/raw/david-edited.txt"] == ("new", "david-edited")
    assert report.missing == ("data/raw/david.txt",)
    assert not any("[W113]" in w for r in report.rows for w in r.warnings)


def test_prune_removes_a_withdrawn_interview_from_the_counts(tmp_path: Path) -> None:
    root = _coded(tmp_path)
    (root / "data" / "raw" / "david.txt").unlink()  # the participant withdrew
    r = runner.invoke(app, ["ingest", "--study", str(root)])
    assert r.exit_code == 0 and "--prune" in r.output and "still count" in r.output
    with Study(root) as study:
        assert study.frequencies().set_index("label").loc["Time pressure", "n_of_N"] == "2 of 2"
    r = runner.invoke(app, ["ingest", "--prune", "--study", str(root)])
    assert r.exit_code == 0 and "Removed 1 document(s) gone from data/raw: data/raw/david.txt" in r.output
    with Study(root) as study:
        assert study.frequencies().set_index("label").loc["Time pressure", "n_of_N"] == "1 of 1"
        assert list(study.store.documents()["document_id"]) == ["ana"]
        orphaned = study.store.codings(flagged=True)
        assert set(orphaned["document_id"]) == {"david"} and set(orphaned["flag"]) == {"orphaned: document removed"}
    r = runner.invoke(app, ["status", "--study", str(root)])
    assert r.exit_code == 0 and "gone from data/raw" not in r.output
