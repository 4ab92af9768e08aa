"""`thematic restore` loaded another study's backup without --force when neither store had a store id yet (an id
was made only when a coding sheet was first exported). Without both ids the backup must now share a document
with the live store (same id and content), or the live store must be empty; otherwise E360 refuses it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from tests.regression.tiny_study import methods_study

runner = CliRunner()
ENV = {"THEMATIC_ENCODER": "minilm", "COLUMNS": "200"}


def _run(root: Path, *args: str):  # noqa: ANN202
    return runner.invoke(app, [*args, "--study", str(root)], env=ENV)


def _ingested(root: Path, files: dict[str, str]) -> Path:
    methods_study(root, files)
    r = _run(root, "ingest")
    assert r.exit_code == 0, r.output
    return root / "data" / "coded" / "thematic.db"


def _backup(root: Path, out: Path) -> Path:
    r = _run(root, "backup", "--out", str(out))
    assert r.exit_code == 0, r.output
    return out


def _ids(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as con, con:
        return [r[0] for r in con.execute("SELECT document_id FROM documents ORDER BY 1")]


def _drop_id(db: Path) -> None:
    with closing(sqlite3.connect(db)) as con, con:
        con.execute("DELETE FROM meta WHERE key='store_id'")


def test_other_studys_backup_refused_without_force(tmp_path: Path) -> None:
    a = _ingested(tmp_path / "a", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    b = _ingested(tmp_path / "b", {"p09.txt": "Interviewer: And?\nP09: Covid closed the school.\n"})
    _drop_id(a), _drop_id(b)
    other = _backup(tmp_path / "b", tmp_path / "b.db")
    _drop_id(other)
    before = _ids(a)
    r = _run(tmp_path / "a", "restore", str(other))
    assert r.exit_code == 1 and "[E360]" in r.output and "--force" in r.output, r.output
    assert _ids(a) == before
    r = _run(tmp_path / "a", "restore", str(other), "--force")
    assert r.exit_code == 0, r.output
    assert _ids(a) == _ids(other)


def test_own_backup_without_id_restores_and_keeps_the_live_id(tmp_path: Path) -> None:
    a = _ingested(tmp_path / "a", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    own = _backup(tmp_path / "a", tmp_path / "own.db")
    _drop_id(own)
    with closing(sqlite3.connect(a)) as con:
        live = con.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
    r = _run(tmp_path / "a", "restore", str(own))
    assert r.exit_code == 0, r.output
    with closing(sqlite3.connect(a)) as con:
        after = con.execute("SELECT value FROM meta WHERE key='store_id'").fetchone()
    assert after == live


def test_new_stores_have_an_id(tmp_path: Path) -> None:
    a = _ingested(tmp_path / "a", {"p01.txt": "Interviewer: Why?\nP01: We taught online.\n"})
    with closing(sqlite3.connect(a)) as con:
        assert con.execute("SELECT value FROM meta WHERE key='store_id'").fetchone() is not None
