"""Issue 12 item 12: messages that point the right way, long CSV answers, and store backups."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import Errors

runner = CliRunner()
CODEBOOK = """\
name: cb
version: 1.0.0
themes:
- id: support
  label: Support
  definition: Support.
codes:
- id: trust
  label: Trust
  parent: support
  definition: Trusting someone.
"""


def _coded(study) -> None:  # noqa: ANN001
    study.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi?\nAsh: I trusted them.\n", encoding="utf-8")
    study.ingest()
    r = runner.invoke(app, ["search", "trusted", "--code", "trust", "--coder", "AB", "--study", str(study.root)])
    assert r.exit_code == 0, r.output


def test_issue12_e017_points_to_thematic_batches_which_lists_them(study) -> None:
    assert "`thematic batches`" in Errors.E017
    _coded(study)
    batch = study.store.batches()["batch_id"].iloc[0]
    r = runner.invoke(app, ["batches", "--study", str(study.root)])
    assert r.exit_code == 0 and batch in r.output and "thematic undo" in r.output
    r = runner.invoke(app, ["undo", "nope", "--study", str(study.root)])
    assert r.exit_code == 1 and "[E017]" in r.output and "thematic batches" in r.output


def test_issue12_zip_named_docx_gets_a_precise_message(study) -> None:
    fake = study.paths.raw / "notes.docx"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8 not really")
    report = study.ingest()
    err = report.rows[0].error
    assert err.startswith("[E041]") and "word/document.xml" in err and "photo.jpg" in err and "Word" in err


def test_issue12_csv_answer_longer_than_131072_characters_is_read(study) -> None:
    answer = "I think " + "really " * 30_000 + "it helped."
    assert len(answer) > 131_072
    (study.paths.raw / "survey.csv").write_text(f'id,answer\nR1,"{answer}"\nR2,short one\n', encoding="utf-8")
    report = study.ingest()
    assert report.ok, report.rows
    texts = study.store.segments()["text"].astype(str).tolist()
    assert any(t.endswith("it helped.") and len(t) > 131_072 for t in texts)


def test_issue12_e011_points_to_backups_and_replay_events() -> None:
    assert "data/coded/backups" in Errors.E011 and "replay_events" in Errors.E011
    assert "re-ingest" in Errors.E011 and "Move it aside and run `thematic ingest`" not in Errors.E011


def test_issue12_thematic_backup_copies_the_store_with_every_coding(study, tmp_path: Path) -> None:
    _coded(study)
    out = tmp_path / "copy.db"
    r = runner.invoke(app, ["backup", "--out", str(out), "--study", str(study.root)])
    assert r.exit_code == 0, r.output
    with sqlite3.connect(out) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT count(*) FROM codings").fetchone()[0]
        events = con.execute("SELECT count(*) FROM coding_events").fetchone()[0]
    assert n == len(study.store.codings()) > 0 and events > 0
    r = runner.invoke(app, ["backup", "--study", str(study.root)])
    assert r.exit_code == 0 and list((study.paths.coded / "backups").glob("thematic-*.db"))


def test_issue12_store_is_backed_up_before_a_migration(tmp_path: Path) -> None:
    from thematic.store import Store
    from thematic.store.schema import SCHEMA_VERSION, migrate

    path = tmp_path / "coded" / "thematic.db"
    path.parent.mkdir(parents=True)
    con = sqlite3.connect(path, isolation_level=None)
    migrate(con, target=SCHEMA_VERSION - 1)  # a store made by the previous release
    con.close()
    store = Store(path)
    assert store.migrated_from == SCHEMA_VERSION - 1 and store.schema_version == SCHEMA_VERSION
    assert store.last_backup is not None and store.last_backup.parent == tmp_path / "coded" / "backups"
    with sqlite3.connect(store.last_backup) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    store.close()
