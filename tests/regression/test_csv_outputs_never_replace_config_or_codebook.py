"""``thematic search --out`` and ``thematic codebook diff --csv`` took any file name: ``codebook diff 0.1.0 --csv
thematic.toml`` replaced the study's settings with a CSV (every later command stopped with E003), ``search money
--out codebooks/cb.yaml`` the codebook, and ``--out codebooks/.versions/cb-0.1.0.yaml`` the frozen release copy,
all with exit 0. Now both take a .csv file only (E405, as every other export refuses a suffix it does not write),
checked before anything is searched or coded, and no chosen output of any command may replace thematic.toml, a
codebook YAML in codebooks/ or anything in codebooks/.versions/ (E067): those files are left as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from regression.tiny_study import CODEBOOK, ENV, cli, study_with
from thematic._atomic import write_text_atomic
from thematic.cli.main import app
from thematic.errors import InputError

runner = CliRunner()


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """A coded study whose codebook 0.1.0 is released (its frozen copy in codebooks/.versions/)."""
    root = study_with(tmp_path / "s", CODEBOOK, {"int.txt": "Interviewer: Q.\nAnna: The funding ran out.\n"})
    cli(root, "ingest")
    cli(root, "code", "add", "int:1", "money", "--coder", "HT")
    cli(root, "codebook", "bump", "--current")
    assert list((root / "codebooks" / ".versions").glob("*.yaml"))
    return root


def _files(root: Path) -> dict[str, bytes]:
    """The study's settings and codebook files, byte for byte."""
    found = [root / "thematic.toml", *(root / "codebooks").rglob("*")]
    return {str(p.relative_to(root)): p.read_bytes() for p in found if p.is_file()}


def _targets(root: Path) -> list[str]:
    frozen = next((root / "codebooks" / ".versions").glob("*.yaml"))
    return ["thematic.toml", "codebooks/cb.yaml", str(frozen.relative_to(root))]


def _run(root: Path, *args: str) -> str:
    res = runner.invoke(app, [*args, "--study", str(root)], env=ENV)
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    return res.output


def test_search_out_refuses_the_settings_and_codebooks(released: Path) -> None:
    before = _files(released)
    for rel in _targets(released):
        out = _run(released, "search", "funding", "--out", str(released / rel))
        assert "E405" in out, out
    assert _files(released) == before
    cli(released, "status")


def test_search_out_checks_before_coding(released: Path) -> None:
    """A refused --out stops the command before --code stores anything."""
    before = cli(released, "status")
    out = _run(released, "search", "funding", "--code", "work", "--coder", "HT", "--out",
               str(released / "thematic.toml"))
    assert "E405" in out
    assert cli(released, "status") == before


def test_codebook_diff_csv_refuses_the_settings_and_codebooks(released: Path) -> None:
    before = _files(released)
    for rel in _targets(released):
        out = _run(released, "codebook", "diff", "0.1.0", "--csv", str(released / rel))
        assert "E405" in out, out
    assert _files(released) == before
    cli(released, "codebook", "diff", "0.1.0")


def test_a_csv_into_the_frozen_releases_is_refused(released: Path) -> None:
    """Even with a .csv name, codebooks/.versions/ is the study's own: E067, nothing added."""
    before = _files(released)
    for args in (["search", "funding", "--out"], ["codebook", "diff", "0.1.0", "--csv"],
                 ["export", "codings", "--out"], ["tables", "frequency", "--out"]):
        out = _run(released, *args, str(released / "codebooks" / ".versions" / "notes.csv"))
        assert "E067" in out and ".versions" in out, out
    assert _files(released) == before


def test_no_writer_replaces_the_settings_or_a_codebook(released: Path) -> None:
    before = _files(released)
    for rel in _targets(released):
        with pytest.raises(InputError, match="E067"):
            write_text_atomic(released / rel, "a,b\n")
    assert _files(released) == before


def test_a_csv_in_reports_still_works(released: Path) -> None:
    cli(released, "search", "funding", "--out", str(released / "reports" / "hits.CSV"))
    cli(released, "codebook", "diff", "0.1.0", "--csv", str(released / "reports" / "diff.csv"))
    assert "funding" in (released / "reports" / "hits.CSV").read_text(encoding="utf-8-sig")
    assert (released / "reports" / "diff.csv").is_file()
