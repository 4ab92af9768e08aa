"""`export tables` to a CSV or Parquet folder named each file after its table with ASCII letters only, lower-cased
and never de-duplicated, so tables whose names differed only in non-ASCII letters (`By 性别`, `By 地区`),
punctuation (`age group`, `age-group`) or case (`Site`, `site`) went to one file and all but the last were lost,
while the CLI counted every one as written. Now every table gets its own file (letters of any script kept; a name
already taken gets `-2`, `-3`… in table order), and the count printed is the number of files in the folder."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.export.tables import write_tables
from thematic.study import init_study


def _tables() -> dict[str, pd.DataFrame]:
    names = ["By 性别", "By 地区", "By age group", "By age-group", "By Site", "By site", "By ---"]
    return {name: pd.DataFrame({"table": [name], "n": [i]}) for i, name in enumerate(names)}


def test_every_table_gets_its_own_file(tmp_path: Path) -> None:
    tables = _tables()
    paths = write_tables(tables, tmp_path / "tables", format="csv")
    assert len(paths) == len(tables)
    assert len({p.name.casefold() for p in paths}) == len(tables)  # distinct on a case-insensitive disk too
    assert sorted(p.name for p in (tmp_path / "tables").iterdir() if not p.name.startswith(".")) == \
        sorted(p.name for p in paths)
    for (name, _), path in zip(tables.items(), paths):
        assert pd.read_csv(path, encoding="utf-8-sig")["table"].tolist() == [name]
    assert paths[0].name == "by-性别.csv" and paths[1].name == "by-地区.csv"
    assert [p.name for p in paths[2:4]] == ["by-age-group.csv", "by-age-group-2.csv"]
    assert [p.name for p in paths[4:6]] == ["by-site.csv", "by-site-2.csv"]


def test_names_are_the_same_every_run(tmp_path: Path) -> None:
    first = [p.name for p in write_tables(_tables(), tmp_path / "a", format="parquet")]
    second = [p.name for p in write_tables(_tables(), tmp_path / "b", format="parquet")]
    assert first == second and len(set(first)) == len(first)


def test_cli_count_equals_files_written(tmp_path: Path) -> None:
    study = init_study(tmp_path / "study", name="collide")
    (study.codebook_path).write_text("name: cb\nversion: 1.0.0\nthemes:\n- {id: t, label: Theme, definition: d}\n"
                                     "codes:\n- {id: c, label: Code, parent: t, definition: d}\n", encoding="utf-8")
    raw = study.paths.raw
    for doc, pid, words in (("a", "P01", "I hope so."), ("b", "P02", "I hope too."), ("c", "P03", "Not me.")):
        (raw / f"{doc}.txt").write_text(f"Interviewer: Hi.\n{pid}: {words}\n", encoding="utf-8")
    (raw / "participants.csv").write_text("participant_id,性别,地区,age group,age-group\nP01,女,北京,18-30,young\n"
                                          "P02,男,上海,31-50,old\nP03,女,上海,18-30,young\n", encoding="utf-8")
    assert study.ingest().ok
    study.code("a:1", "c", coder="HT")
    study.close()
    out = tmp_path / "tables"
    r = CliRunner().invoke(app, ["export", "tables", "--out", str(out), "--study", str(tmp_path / "study")])
    assert r.exit_code == 0, r.output
    n = int(re.search(r"Wrote (\d+) file", r.output).group(1))
    files = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert n == len(files)
    by = sorted(p.name for p in files if p.name.startswith("by-"))
    assert by == ["by-age-group-2.csv", "by-age-group.csv", "by-地区.csv", "by-性别.csv"], by
