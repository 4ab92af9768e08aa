"""`export segments --format csv --out segments.xlsx` wrote CSV text into a .xlsx file, and `codebook export
--format md --out codebook.docx` Markdown into a .docx, both exit 0: a file whose name lies and that Excel or Word
then cannot open. Every export now refuses a --format that disagrees with a suffix thematic knows ([E412]), writes
nothing, and still writes what the suffix says when --format is left out. One rule (`thematic._formats`).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app

from .tiny_study import cli, methods_study

runner = CliRunner()


def _study(tmp_path: Path) -> Path:
    root = methods_study(tmp_path / "s", {"talk.txt": "Interviewer: How?\nAnn: We taught online in covid.\n"})
    cli(root, "ingest")
    return root


def test_export_segments_refuses_a_format_the_suffix_contradicts(tmp_path: Path) -> None:
    root = _study(tmp_path)
    out = tmp_path / "segments.xlsx"
    res = runner.invoke(app, ["export", "segments", "--format", "csv", "--out", str(out), "--study", str(root)])
    assert res.exit_code == 1, res.output
    assert "[E412]" in res.output and "ends in .xlsx" in res.output and "Traceback" not in res.output
    assert not out.exists()
    cli(root, "export", "segments", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"  # a real workbook when the suffix decides


def test_codebook_export_refuses_markdown_into_docx(tmp_path: Path) -> None:
    root = _study(tmp_path)
    out = tmp_path / "codebook.docx"
    res = runner.invoke(app, ["codebook", "export", "--format", "md", "--out", str(out), "--study", str(root)])
    assert res.exit_code == 1, res.output
    assert "[E412]" in res.output and "Traceback" not in res.output
    assert not out.exists()
    cli(root, "codebook", "export", "--format", "md", "--out", str(tmp_path / "codebook.md"))
    assert (tmp_path / "codebook.md").read_text(encoding="utf-8").lstrip().startswith("#")


def test_tables_keep_the_same_rule(tmp_path: Path) -> None:
    root = _study(tmp_path)
    res = runner.invoke(app, ["export", "codings", "--format", "xlsx", "--out", str(tmp_path / "c.csv"),
                              "--study", str(root)])
    assert res.exit_code == 1 and "[E412]" in res.output, res.output
