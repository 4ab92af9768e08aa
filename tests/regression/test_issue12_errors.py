"""Issue 12 item 5: hostile or broken input gives coded errors, never tracebacks."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.errors import CodebookError, InputError, StoreError

runner = CliRunner()


def _docx(path: Path, text: str) -> None:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(path)


def _corrupt_deflate(path: Path) -> None:
    """Flip bytes inside document.xml's compressed data: the zip opens, inflating it fails (zlib.error)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size - 5, 60)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def test_issue12_corrupt_docx_is_reported_and_the_rest_ingested(study) -> None:
    for i in range(4):
        _docx(study.paths.raw / f"talk{i}.docx", f"Interviewer: Question {i}?\nAsh: Answer number {i}.")
    _corrupt_deflate(study.paths.raw / "talk2.docx")
    report = study.ingest()
    by = {r.path: r for r in report.rows}
    assert [p for p, r in by.items() if r.status == "new"] == ["data/raw/talk0.docx", "data/raw/talk1.docx",
                                                                "data/raw/talk3.docx"]
    bad = by["data/raw/talk2.docx"]
    assert bad.status == "failed" and bad.error.startswith("[E104]") and "talk2.docx" in bad.error


def test_issue12_deeply_nested_codebook_yaml_is_a_coded_error(tmp_path: Path) -> None:
    from thematic.codebook import load_codebook

    path = tmp_path / "deep.yaml"
    path.write_text("name: x\nversion: 1.0.0\ncodes: " + "[" * 5_000 + "]" * 5_000 + "\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"E035|nested"):
        load_codebook(path)


def test_issue12_deeply_nested_refi_xml_is_a_coded_error(tmp_path: Path, study) -> None:
    from thematic.refi import load_refi

    depth = 5_000
    xml = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
           '<CodeBook><Codes>' + '<Code guid="{g}" name="c">' * depth + "</Code>" * depth
           + "</Codes></CodeBook></Project>")
    path = tmp_path / "deep.qde"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(InputError, match=r"^\[E035\]"):
        load_refi(path)
    r = runner.invoke(app, ["refi", "import", str(path), "--study", str(study.root)])
    assert r.exit_code == 1 and "[E035]" in r.output and "Traceback" not in r.output


def test_issue12_locked_store_is_a_coded_error(tmp_path: Path) -> None:
    from thematic.store import Store

    path = tmp_path / "t.db"
    Store(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        store = Store(path, timeout=0.2)
        with pytest.raises(StoreError, match=r"^\[E033\].*locked"):
            store.set_meta("x", "1")
        store.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_issue12_full_disk_keeps_the_first_error(study) -> None:
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi?\nAsh: Hello.\n", encoding="utf-8")
    study.ingest()
    store = study.store
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count={pages}")  # the database can grow no further: SQLITE_FULL
    with pytest.raises(StoreError) as info:
        with store.transaction():
            store.set_meta("big", "x" * 2_000_000)
    assert str(info.value).startswith("[E034]") and "full" in str(info.value)
    assert "rollback" not in str(info.value)
    store.set_meta("small", "ok")  # the store still works once there is room
    assert store.get_meta("small") == "ok"


def test_issue12_cli_turns_os_errors_into_one_line(study, tmp_path: Path) -> None:
    (study.paths.raw / "a.txt").write_text("Interviewer: Hi?\nAsh: Hello again.\n", encoding="utf-8")
    study.ingest()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    r = runner.invoke(app, ["search", "hello", "--out", str(blocker / "hits.csv"), "--study", str(study.root)])
    assert r.exit_code == 1, r.output
    assert "[E117]" in r.output and "hits.csv" in r.output and "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


@pytest.mark.parametrize("exc, code", [
    (OSError(28, "No space left on device", "/study/data/coded/thematic.db"), "[E031]"),
    (sqlite3.OperationalError("disk I/O error"), "[E032]"),
    (RecursionError("maximum recursion depth exceeded"), "[E035]"),
])
def test_issue12_error_boundary_turns_os_and_sqlite_errors_into_one_line(exc, code, capsys) -> None:  # noqa: ANN001
    import typer

    from thematic.cli._app import error_boundary

    with pytest.raises(typer.Exit) as info:
        with error_boundary():
            raise exc
    err = capsys.readouterr().err
    assert info.value.exit_code == 1 and code in err and len(err.strip().splitlines()) <= 2
