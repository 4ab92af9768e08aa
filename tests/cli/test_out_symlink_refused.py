"""A symbolic link given as ``--out`` was followed by most exports (``export codings``, ``export tables``, ``report
quotes``, ``report workbook``, ``tables … --out/--chart``): the CLI resolved the path before the writer looked at it,
so the file the link points to (outside the study) was replaced, although docs/analysis.md promises E417. ``search
--out`` and ``codebook diff --csv`` wrote in place through the link, and blocked on a named pipe. Every one of them
now refuses such a target with E417 and leaves it as it is, and ``search --out`` replaces a file whole (a new file
renamed into place)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app

_spec = importlib.util.spec_from_file_location("_known", Path(__file__).parents[1] / "analysis" / "study_fixture.py")
_known = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_known)  # type: ignore[union-attr]
runner = CliRunner()

COMMANDS = {
    "a.csv": ["export", "codings", "--out"],
    "b.xlsx": ["export", "tables", "--out"],
    "c.docx": ["report", "quotes", "--out"],
    "c.md": ["report", "quotes", "--out"],
    "d.xlsx": ["report", "workbook", "--out"],
    "e.png": ["tables", "frequency", "--chart"],
    "f.csv": ["tables", "frequency", "--out"],
    "g.csv": ["search", "money", "--out"],
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _known.build_known_study(tmp_path_factory.mktemp("symlink") / "study")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_symlinked_out_is_refused_and_its_target_kept(root: Path, tmp_path: Path, name: str) -> None:
    elsewhere = tmp_path / "elsewhere" / name
    elsewhere.parent.mkdir()
    elsewhere.write_text("someone else's file", encoding="utf-8")
    link = root / "reports" / f"link-{name}"
    link.parent.mkdir(exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(elsewhere)
    r = runner.invoke(app, [*COMMANDS[name], str(link), "--study", str(root)])
    assert r.exit_code == 1, r.output
    assert "E417" in r.output, r.output
    assert elsewhere.read_text(encoding="utf-8") == "someone else's file"
    assert link.is_symlink()
    assert not [p for p in link.parent.iterdir() if p.name.endswith(".tmp")]


def test_codebook_diff_csv_refuses_a_symlink(root: Path, tmp_path: Path) -> None:
    old = root / "codebooks" / "old.yaml"
    old.write_text("name: cb\nversion: 1.0.0\nthemes:\n- {id: t, label: T, definition: d}\ncodes:\n"
                   "- {id: c, label: C, parent: t, definition: d}\n", encoding="utf-8")
    new = root / "codebooks" / "new.yaml"
    new.write_text(old.read_text(encoding="utf-8").replace("label: C,", "label: C2,"), encoding="utf-8")
    elsewhere = tmp_path / "diff.csv"
    elsewhere.write_text("someone else's file", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(elsewhere)
    r = runner.invoke(app, ["codebook", "diff", str(old), str(new), "--csv", str(link), "--study", str(root)])
    assert r.exit_code == 1 and "E417" in r.output, r.output
    assert elsewhere.read_text(encoding="utf-8") == "someone else's file"


def test_search_out_refuses_a_named_pipe(root: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "hits.csv"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so that a writer opening the pipe would not block
    try:
        r = runner.invoke(app, ["search", "money", "--out", str(pipe), "--study", str(root)])
        assert r.exit_code == 1 and "E417" in r.output, r.output
        try:
            written = os.read(reader, 1000)
        except BlockingIOError:
            written = b""
        assert written == b""
    finally:
        os.close(reader)


def test_search_out_replaces_a_file_whole(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    out.write_text("old", encoding="utf-8")
    before = out.stat().st_ino
    r = runner.invoke(app, ["search", "money", "--out", str(out), "--study", str(root)])
    assert r.exit_code == 0, r.output
    assert out.stat().st_ino != before  # a new file renamed into place, not the old one rewritten
    assert "money" in out.read_text(encoding="utf-8-sig").lower()
