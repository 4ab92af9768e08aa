"""The CLI turned ``:x:`` in file names and messages into emoji (``smile ❌ face.txt``), and rich markup in a
name could restyle or break a message; user-supplied text now shows exactly as it is."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner


def _run(*args: str) -> str:
    from thematic.cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output


def test_emoji_codes_in_file_names_are_not_rendered(study) -> None:  # noqa: ANN001
    (study.paths.raw / "smile :x: face.txt").write_text("P01: hello\nInterviewer: hi\n", encoding="utf-8")
    (study.paths.raw / "empty :thumbs_up: file.txt").write_text("", encoding="utf-8")
    out = _run("ingest", "-s", str(study.root))
    assert "❌" not in out and "👍" not in out
    assert "empty :thumbs_up: file.txt" in out


def test_markup_in_a_refi_file_name_is_shown_literally(study, tmp_path: Path) -> None:  # noqa: ANN001
    name = tmp_path / "a [bold]x[red] :x:.qdpx"  # a name cannot hold the / of a closing tag
    with zipfile.ZipFile(name, "w") as zf:
        zf.writestr("project.qde", '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"/>')
    out = _run("refi", "import", str(name), "-s", str(study.root))
    assert "Traceback" not in out
    assert "a [bold]x[red] :x:.qdpx" in out.replace("\n", "")
