"""A mistyped per-file ``kind`` (``kind = "intervew"`` under ``[ingest.files."couple.txt"]``) passed ``thematic
ingest`` silently when the file was unchanged (``kind`` does not make a file be read again), so E513 first
appeared at the next table, though docs/ingest.md says ingest raises it; a mistyped setting name in the same
table was reported by ingest (E111).

What is true now: every ingest run checks each file's ``[ingest.files]`` table, kind included, read again or not,
and reports E513 for that file as it reports E111; its stored segments are kept. A valid kind still leaves the
file unchanged."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import thematic
from regression.tiny_study import CODEBOOK, ENV, cli, study_with
from thematic.cli.main import app

COUPLE = "Interviewer: How do you manage?\nAna: The funding ran out.\nBen: I lost my job.\n"


def _set_kind(root: Path, kind: str) -> None:
    path = root / "thematic.toml"
    text = path.read_text(encoding="utf-8").split('\n[ingest.files."couple.txt"]')[0]
    path.write_text(text + f'\n[ingest.files."couple.txt"]\nkind = "{kind}"\n', encoding="utf-8")


def test_ingest_reports_a_mistyped_kind_on_an_unchanged_file(tmp_path: Path) -> None:
    root = study_with(tmp_path / "s", CODEBOOK, {"couple.txt": COUPLE})
    _set_kind(root, "interview")
    cli(root, "ingest")
    _set_kind(root, "intervew")
    res = CliRunner().invoke(app, ["ingest", "--study", str(root)], env=ENV)
    out = " ".join(res.output.split())
    assert "1 failed" in out and "[E513]" in out, out
    assert "'intervew'" in out and 'ingest.files."couple.txt"' in out and "thematic.toml" in out, out
    study = thematic.Study.open(root)
    assert len(study.store.segments()) == 3  # the stored transcript is kept
    study.close()
    _set_kind(root, "focus_group")
    out = " ".join(cli(root, "ingest").split())
    assert "1 unchanged, 0 failed" in out and "E513" not in out, out
