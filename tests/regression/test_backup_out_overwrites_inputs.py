"""`thematic backup --out FILE` replaced any existing file with a SQLite database (participants.csv, a transcript,
thematic.toml),. Now an input of the study, or an existing file that is not a thematic
backup, is refused with E056; an existing backup is replaced only with --force."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import StoreError

runner = CliRunner()


def _backup(root: Path, *args: str):  # noqa: ANN202
    return runner.invoke(app, ["backup", *args, "--study", str(root)])


@pytest.fixture
def root(study) -> Path:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    (study.paths.raw / "participants.csv").write_text("participant_id,role\nP01,mentor\n", encoding="utf-8")
    (study.paths.raw / "int-01.txt").write_text("Interviewer: Hello?\nP01: Hi.\n", encoding="utf-8")
    study.close()
    return study.root


@pytest.mark.parametrize("target", ["data/raw/participants.csv", "data/raw/int-01.txt", "thematic.toml",
                                    "codebooks/*.yaml"])
def test_backup_will_not_overwrite_an_input_of_the_study(root: Path, target: str) -> None:
    path = next(root.glob(target))
    before = path.read_bytes()
    r = _backup(root, "--out", str(path))
    assert r.exit_code == 1, r.output
    assert "[E056]" in r.output and "Traceback" not in r.output
    assert path.read_bytes() == before
    r = _backup(root, "--out", str(path), "--force")  # --force replaces a backup, never an input
    assert r.exit_code == 1 and "[E056]" in r.output and path.read_bytes() == before


def test_backup_will_not_write_a_new_file_into_data_raw(root: Path) -> None:
    r = _backup(root, "--out", str(root / "data" / "raw" / "copy.db"))
    assert r.exit_code == 1 and "[E056]" in r.output and "data/raw" in r.output.replace("\n", "")
    assert not (root / "data" / "raw" / "copy.db").exists()


@pytest.mark.parametrize("name", ["thematic.db", "thematic.db-wal"])
def test_backup_will_not_replace_the_store_itself(root: Path, name: str) -> None:
    db = root / "data" / "coded" / "thematic.db"
    before = db.read_bytes()
    for force in ([], ["--force"]):
        r = _backup(root, "--out", str(db.parent / name), *force)
        assert r.exit_code == 1 and "[E056]" in r.output, r.output
        assert db.read_bytes() == before


def test_backup_will_not_overwrite_another_file(root: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    for force in ([], ["--force"]):
        r = _backup(root, "--out", str(notes), *force)
        assert r.exit_code == 1 and "[E056]" in r.output, r.output
        assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_an_existing_backup_is_replaced_only_with_force(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "copy.db"
    assert _backup(root, "--out", str(out)).exit_code == 0
    r = _backup(root, "--out", str(out))
    assert r.exit_code == 1 and "[E056]" in r.output and "--force" in r.output, r.output
    r = _backup(root, "--out", str(out), "--force")
    assert r.exit_code == 0, r.output
    with sqlite3.connect(out) as con:
        assert con.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_the_library_refuses_too(study, tmp_path: Path) -> None:  # noqa: ANN001
    fill_study(study)
    csv = study.paths.raw / "participants.csv"
    csv.write_text("participant_id\nP01\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"\[E056\]"):
        study.store.backup(csv)
    assert csv.read_text(encoding="utf-8") == "participant_id\nP01\n"
