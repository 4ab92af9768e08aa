"""`thematic backup --out FOLDER` failed with E034 "the store could not be written ... free disk space" although
the store and the disk were fine: the target was a folder. A folder now receives the backup under its default name."""

from __future__ import annotations

import sqlite3

from coding.manual_support import fill_study
from typer.testing import CliRunner

from thematic.cli.main import app

runner = CliRunner()


def test_backup_into_a_folder_writes_the_default_name_there(study) -> None:  # noqa: ANN001
    fill_study(study)
    study.code("int-01:1", "generativity", coder="HT")
    study.close()
    folder = study.root / "reports"
    r = runner.invoke(app, ["backup", "--out", str(folder), "--study", str(study.root)])
    assert r.exit_code == 0, r.output
    made = list(folder.glob("thematic-*.db"))
    assert len(made) == 1 and "E034" not in r.output and str(made[0].name) in r.output.replace("\n", "")
    with sqlite3.connect(made[0]) as con:
        assert con.execute("SELECT count(*) FROM codings").fetchone()[0] == 1


def test_library_backup_into_a_folder(study, tmp_path) -> None:  # noqa: ANN001
    fill_study(study)
    out = study.store.backup(tmp_path)
    assert out.parent == tmp_path and out.name.startswith("thematic-") and out.suffix == ".db"
