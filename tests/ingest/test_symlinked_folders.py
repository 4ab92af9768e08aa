"""A symlinked subfolder of data/raw was skipped without a word: Path.rglob does not enter a linked folder
(Python before 3.13), so its transcripts were never read, and a linked folder pointing out of the study got no
E030 row and nothing in `thematic status`. Now a linked folder whose target is inside the study is read like any
subfolder (its files under their data/raw/ path, each file once, link loops not followed), and one pointing out
of the study is one failed row with E030, listed by status, unless --allow-outside."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.ingest.stale import stale_inputs

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _link(link: Path, target: str | Path) -> None:
    link.symlink_to(target, target_is_directory=True)


def test_a_linked_folder_inside_the_study_is_read_like_a_subfolder(study) -> None:  # noqa: ANN001
    raw = study.paths.raw
    _write(raw / "int01.txt", "Interviewer: Hello?\nJoe: Hey, I grow leeks on the allotment.\n")
    _write(study.root / "extra" / "batch2" / "int02.txt", "Interviewer: Hello?\nMaria: Hi, I keep bees.\n")
    _link(raw / "batch2", "../../extra/batch2")
    report = study.ingest()
    assert {(r.path, r.status) for r in report.rows} == {("data/raw/int01.txt", "new"),
                                                         ("data/raw/batch2/int02.txt", "new")}
    assert "keep bees" in " ".join(study.store.segments()["text"].astype(str))
    assert "batch2-int02" in set(study.store.documents()["document_id"])
    assert stale_inputs(study) == {"new": [], "changed": [], "missing": [], "failed": [], "unread": []}
    again = study.ingest([raw / "batch2"])  # naming the linked folder gives the same document
    assert [(r.path, r.status) for r in again.rows] == [("data/raw/batch2/int02.txt", "unchanged")]


def test_link_loops_and_files_reached_twice_are_read_once(study) -> None:  # noqa: ANN001
    raw = study.paths.raw
    _write(raw / "batch1" / "int01.txt", "Interviewer: Hello?\nJoe: Hey, I grow leeks on the allotment.\n")
    _write(study.root / "extra" / "batch2" / "int02.txt", "Interviewer: Hello?\nMaria: Hi, I keep bees.\n")
    _link(raw / "batch1" / "back", "..")  # data/raw itself: a loop
    _link(raw / "again", "batch1")  # a real subfolder reached a second time
    _link(raw / "all", "../..")  # the study folder, which holds data/raw: a loop
    _link(raw / "batch2", "../../extra/batch2")
    _link(raw / "extra", "../../extra")  # holds batch2, already read through its own link
    (raw / "alias.txt").symlink_to("batch1/int01.txt")  # a file reached twice: read by its own path
    report = study.ingest()
    assert sorted((r.path, r.status) for r in report.rows) == [("data/raw/batch1/int01.txt", "new"),
                                                               ("data/raw/batch2/int02.txt", "new")]
    assert len(study.store.documents()) == 2
    assert stale_inputs(study) == {"new": [], "changed": [], "missing": [], "failed": [], "unread": []}


def test_a_linked_folder_out_of_the_study_is_a_failed_e030_row(study, tmp_path: Path) -> None:  # noqa: ANN001
    raw = study.paths.raw
    _write(raw / "int01.txt", "Interviewer: Hello?\nJoe: Hey, I grow leeks on the allotment.\n")
    _write(tmp_path / "elsewhere" / "secret.txt", "Alice: my bank PIN is 4321.\n")
    _link(raw / "elsewhere", tmp_path / "elsewhere")
    report = study.ingest()
    failed = {r.path: r.error for r in report.rows if r.status == "failed"}
    assert list(failed) == ["data/raw/elsewhere"] and failed["data/raw/elsewhere"].startswith("[E030]")
    assert "PIN" not in " ".join(study.store.segments()["text"].astype(str))
    assert [p for p, _ in stale_inputs(study)["failed"]] == ["data/raw/elsewhere"]
    shown = CliRunner().invoke(app, ["status", "--study", str(study.root)], env={"COLUMNS": "200"})
    assert "data/raw/elsewhere" in shown.output and "E030" in shown.output
    named = study.ingest([raw / "elsewhere"])  # named on the command line: still refused, one row
    assert [(r.path, r.status) for r in named.rows] == [("data/raw/elsewhere", "failed")]
    allowed = study.ingest(allow_outside=True)
    assert ("data/raw/elsewhere/secret.txt", "new") in {(r.path, r.status) for r in allowed.rows}


@pytest.mark.parametrize("allow_outside", [False, True])
def test_links_into_private_or_the_store_are_never_read(study, allow_outside: bool) -> None:  # noqa: ANN001
    """A link in data/raw to private/ (the pseudonym key, real names) or data/coded/ (the store) would have read them
    as transcripts; such a path is now a failed E060 row whatever --allow-outside says, and nothing of it is stored."""
    private = study.paths.private
    private.mkdir(exist_ok=True)
    (private / "notes.txt").write_text("Interviewer: Name?\nMaria Lopez: Maria Lopez, Leeds.\n", encoding="utf-8")
    (study.paths.raw / "keys").symlink_to(private, target_is_directory=True)
    (study.paths.raw / "store.txt").symlink_to(study.paths.db)
    (study.paths.raw / "talk.txt").write_text("Interviewer: Hello.\nP01: Hello there.\n", encoding="utf-8")
    report = study.ingest(allow_outside=allow_outside)
    failed = {r.path: r.error for r in report.rows if r.status == "failed"}
    assert set(failed) == {"data/raw/keys/notes.txt", "data/raw/store.txt"}, failed
    assert all(e.startswith("[E060]") for e in failed.values()), failed
    assert list(study.store.document_hashes()) == ["talk"]
    assert "Lopez" not in " ".join(study.segments()["text"])
