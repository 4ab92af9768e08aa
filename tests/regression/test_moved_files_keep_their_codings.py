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


def test_a_file_named_after_its_participant_is_warned_and_takes_a_neutral_name_before_coding(tmp_path: Path) -> None:
    """Ana.txt became the document id 'ana' in every segment id, sheet and table, while the text said 'Speaker 1'."""
    root = write_study(tmp_path / "study")
    with Study(root) as study:
        report = study.ingest()
    ana = next(r for r in report.rows if r.path == "data/raw/ana.txt")
    warned = next(w for w in ana.warnings if w.startswith("[W114]"))
    assert "'ana'" in warned and "real name of Speaker " in warned and "interview-NN.txt" in warned
    assert "Ana" not in warned  # a warning never prints a real name
    raw = root / "data" / "raw"
    (raw / "ana.txt").rename(raw / "interview-01.txt")
    with Study(root) as study:
        report = study.ingest()
        docs = set(study.store.documents()["document_id"])
        speakers = set(study.store.segments()["speaker"])
    row = next(r for r in report.rows if r.path == "data/raw/interview-01.txt")
    assert row.document_id == "interview-01" and row.status == "new" and report.missing == ()
    assert any(w.startswith("[W115]") and "'ana'" in w for w in row.warnings)
    assert not any(w.startswith("[W114]") for w in row.warnings)
    assert docs == {"interview-01", "david"} and "Ana" not in speakers


def test_no_name_warning_without_pseudonymisation_or_for_ordinary_words(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study", {
        "interview-anne-marie.txt": "Interviewer: Hello?\nAnne-Marie: Hi, I run the time bank.\n",
        "time-bank.txt": "Interviewer: Hello?\nBo: Hi.\n",
    })
    with Study(root) as study:
        rows = {r.path: r.warnings for r in study.ingest().rows}
    assert any(w.startswith("[W114]") for w in rows["data/raw/interview-anne-marie.txt"])
    assert not any(w.startswith("[W114]") for w in rows["data/raw/time-bank.txt"])  # 'Bo' is under 3 letters
    toml = root / "thematic.toml"
    text = toml.read_text(encoding="utf-8")
    assert "pseudonymise = true" in text
    toml.write_text(text.replace("pseudonymise = true", "pseudonymise = false", 1), encoding="utf-8")
    with Study(root) as study:
        rows = {r.path: r.warnings for r in study.ingest(force=True).rows}
    assert not any(w.startswith("[W114]") for ws in rows.values() for w in ws)


def test_a_renamed_transcript_keeps_its_participant_and_says_to_update_the_roster(tmp_path: Path) -> None:
    from thematic.study import Study

    from .unlike_example import write_study

    root = write_study(tmp_path / "r")
    raw = root / "data" / "raw"
    (raw / "participants.csv").write_text("participant_id,transcript\nP1,ana.txt\nP2,david.txt\n", encoding="utf-8")
    study = Study(root)
    study.ingest()
    mapped = set(study.segments()["participant_id"].dropna())
    assert mapped == {"P1", "P2"}
    (raw / "ana.txt").rename(raw / "interview-01.txt")
    report = study.ingest()
    assert set(study.segments()["participant_id"].dropna()) == mapped
    row = next(r for r in report.rows if r.path.endswith("interview-01.txt"))
    [note] = [w for w in row.warnings if "W118" in w]
    assert "ana.txt" in note and "interview-01.txt" in note and "participants.csv" in note
