"""A thematic.toml saved as Latin-1/Windows-1252 made every command end in a UnicodeDecodeError traceback;
it is now E057, naming the file, the byte and where it is, and saying to save the file as UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.config import load_config
from thematic.errors import StudyError

runner = CliRunner()


def _latin1_config(study) -> Path:  # noqa: ANN001
    path = study.paths.config
    text = path.read_text(encoding="utf-8").replace('name = "test study"', 'name = "Étude café"')
    assert "Étude" in text
    path.write_bytes(text.encode("latin-1"))
    return path


def test_load_config_names_the_byte_and_its_place(study) -> None:  # noqa: ANN001
    path = _latin1_config(study)
    offset = path.read_bytes().index(b"\xc9")
    line = path.read_bytes()[:offset].count(b"\n") + 1
    with pytest.raises(StudyError) as info:
        load_config(path)
    msg = str(info.value)
    assert msg.startswith("[E057]") and str(path) in msg
    assert "0xc9" in msg and f"offset {offset}" in msg and f"line {line}" in msg and "UTF-8" in msg


def test_every_command_gives_the_coded_error_not_a_traceback(study) -> None:  # noqa: ANN001
    _latin1_config(study)
    study.close()
    r = runner.invoke(app, ["status", "--study", str(study.root)])
    assert r.exit_code == 1
    assert "[E057]" in r.output and "Traceback" not in r.output and r.exception is None or isinstance(r.exception, SystemExit)


def test_a_utf8_byte_order_mark_is_accepted(study) -> None:  # noqa: ANN001
    path = study.paths.config
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace('name = "test study"', 'name = "Étude"').encode())
    assert load_config(path).name == "Étude"
