"""`thematic status` says what tables will count: N as the tables count it, and files that failed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.study import Study, status

from .unlike_example import write_study


def test_status_counts_the_people_the_tables_count_without_participants_csv(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    info = status(study)
    assert info["participants"] == 2
    assert info["roster"] == 0
    out = CliRunner().invoke(app, ["status", "--study", str(root)]).output
    assert "2 (counted in tables; 0 on record)" in " ".join(out.split())


def test_status_names_a_file_that_failed_to_read_instead_of_calling_it_new(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    (root / "data" / "raw" / "blank.txt").write_text("", encoding="utf-8")
    study = Study(root)
    study.ingest()
    info = status(study)
    assert info["stale"]["new"] == []
    assert info["stale"]["failed"] == [("data/raw/blank.txt", info["stale"]["failed"][0][1])]
    assert "E100" in info["stale"]["failed"][0][1]
    out = " ".join(CliRunner().invoke(app, ["status", "--study", str(root)]).output.split())
    assert "could not be read at the last ingest" in out
    assert "not yet ingested" not in out
    (root / "data" / "raw" / "blank.txt").write_text("Interviewer: Hi?\nAna: Hello.\n", encoding="utf-8")
    again = status(Study(root))
    assert again["stale"]["failed"] == []
    assert again["stale"]["new"] == ["data/raw/blank.txt"]


def test_search_names_an_unknown_speaker_or_document_instead_of_finding_nothing(tmp_path: Path) -> None:
    from thematic.errors import InputError

    root = write_study(tmp_path / "s")
    study = Study(root)
    study.ingest()
    assert len(study.search("time", speaker="speaker 1")) > 0
    try:
        study.search("time", speaker="Ana")
    except InputError as exc:
        message = str(exc)
    else:
        raise AssertionError("a speaker who is in no segment found nothing silently")
    assert "E355" in message and "Speaker 1" in message and "pseudonym" in message
    try:
        study.search("time", document="nosuch")
    except InputError as exc:
        assert "E408" in str(exc) and "ana" in str(exc)
    else:
        raise AssertionError("an unknown document found nothing silently")
    out = " ".join(CliRunner().invoke(app, ["search", "time", "--speaker", "Ana", "--study", str(root)]).output.split())
    assert "E355" in out and "Traceback" not in out


def test_one_name_in_several_files_without_participants_csv_is_flagged(tmp_path: Path) -> None:
    two_sams = {"first.txt": "Interviewer: Hello?\nSam: I work nights.\n",
                "second.txt": "Interviewer: Hello?\nSam: I study law.\n",
                "third.txt": "Interviewer: Hello?\nP07: I have no time.\n",
                "fourth.txt": "Interviewer: Hello?\nP07: Still no time.\n"}
    root = write_study(tmp_path / "s", two_sams)
    report = Study(root).ingest()
    [w026] = [w for w in report.study_warnings if "W026" in w]
    assert "Speaker 1" in w026 and "first" in w026 and "second" in w026 and "P07" not in w026
    assert "Sam" not in w026


def test_status_counts_an_accepted_suggestion_as_its_reviewers(tmp_path: Path) -> None:
    root = write_study(tmp_path / "s")
    study = Study(root)
    study.run_code(suggesters=["rules"])
    first = study.codings(status="suggested")["coding_id"].iloc[0]
    study.store.set_status([first], "accepted", actor="HT")
    rows = {(s, c): n for s, c, n in status(study)["by_status_coder"]}
    assert rows[("accepted", "HT")] == 1 and ("accepted", "thematic.rules.v1") not in rows
