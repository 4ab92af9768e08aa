"""An export's ``--out`` could name any file of the study: ``thematic tables frequency --out
private/pseudonym-key.csv`` replaced the pseudonym key (the only link from pseudonyms back to people),
``export segments --out data/raw/survey.csv`` an input, and ``report quotes --out data/raw/int.docx`` a
transcript. Every writer of a chosen output (tables, exports, reports, sheets, charts, REFI, evaluate) now
refuses, with E067 and before writing anything, a path that would replace the pseudonym key (private/), an
input (data/raw/), the store (data/coded/thematic.db and its side files), its backups or caches; the same
command with a path in reports/ still works, and exports of codings may still go to data/coded/."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regression.tiny_study import codebook_yaml, study_with
from thematic._atomic import write_text_atomic
from thematic.cli.main import app
from thematic.errors import InputError

CODEBOOK = codebook_yaml("""\
- id: funding
  label: Funding
  parent: life
  definition: Money and funding problems.
  keywords: [funding, grant]
""")


def _study(tmp_path: Path) -> Path:
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nMargaret Okafor: The grant ran out last spring.\n"})
    res = CliRunner().invoke(app, ["code", "--suggesters", "rules", "--study", str(root)])
    assert res.exit_code == 0, res.output
    return root


def _state(target: Path) -> object:
    """What must not change: the file's bytes; for the store (which opening the study may checkpoint), its codings."""
    if not target.exists():
        return None
    if target.name == "thematic.db":
        with closing(sqlite3.connect(target)) as con:
            return con.execute("SELECT coding_id, code_id, status FROM codings ORDER BY 1").fetchall()
    return target.read_bytes()


COMMANDS = [
    (["tables", "frequency", "--include-suggested", "--out"], "private/pseudonym-key.csv"),
    (["export", "segments", "--out"], "data/raw/int.csv"),
    (["export", "codings", "--format", "csv", "--out"], "data/coded/thematic.db"),
    (["report", "quotes", "--out"], "data/raw/int.docx"),
    (["report", "workbook", "--out"], "private/tables.xlsx"),
    (["export", "sheet", "--coder", "AB", "--out"], "data/coded/backups/sheet.xlsx"),
    (["refi", "export", "--out"], "data/raw/project.qdpx"),
]


@pytest.mark.parametrize(("args", "rel"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_a_chosen_output_inside_private_or_data_is_refused(tmp_path: Path, args: list[str], rel: str) -> None:
    root = _study(tmp_path)
    target = root / rel
    existed = _state(target)
    res = CliRunner().invoke(app, [*args, str(target), "--study", str(root)], env={"COLUMNS": "200"})
    assert res.exit_code != 0, res.output
    assert "E067" in res.output and "Traceback" not in res.output, res.output
    assert _state(target) == existed
    fine = root / "reports" / (Path(rel).name if not rel.endswith(".db") else "codings.csv")
    res = CliRunner().invoke(app, [*args, str(fine), "--study", str(root)], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and fine.exists(), res.output


def test_the_pseudonym_key_survives_an_api_write(tmp_path: Path) -> None:
    root = _study(tmp_path)
    key = root / "private" / "pseudonym-key.csv"
    before = key.read_bytes()
    assert b"Okafor" in before
    with pytest.raises(InputError, match="E067"):
        write_text_atomic(key, "overwritten")
    assert key.read_bytes() == before


def test_outside_any_study_nothing_changes(tmp_path: Path) -> None:
    target = tmp_path / "data" / "x.csv"
    target.parent.mkdir()
    write_text_atomic(target, "a,b\n")
    assert target.read_text() == "a,b\n"


def test_exported_codings_may_still_go_to_data_coded(tmp_path: Path) -> None:
    root = _study(tmp_path)
    res = CliRunner().invoke(app, ["export", "codings", "--out", str(root / "data/coded/codings.parquet"),
                                   "--study", str(root)])
    assert res.exit_code == 0 and (root / "data/coded/codings.parquet").is_file(), res.output
