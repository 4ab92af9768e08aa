"""A folder scan silently skipped `.doc`, `.xls`, `.ods` and extension-less files in data/raw/: no error, no row,
not in `thematic status`, while docs/ingest.md promises that ingest reads every file there and says which it
could not read.

Now every visible file in data/raw/ goes to the readers (content first, extension second), except those the
docs name as not transcripts (participants.csv/.xlsx, README, REFI-QDA files with W507) and hidden or lock
files. An old Office file or an OpenDocument spreadsheet is a failed row with E103 and the conversion advice;
a file of an unknown type is a failed row with E102 naming it (E101 when it is binary); both are counted as failed
and listed by `thematic status`; a text file without an extension is read as text. Recordings and pictures kept
beside the transcripts (.m4a, .png) are passed over with one W535 each, not failed rows, so a study that keeps its
audio in data/raw/ still ingests cleanly. Real files written fresh in tmp_path.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from thematic.cli.main import app
from thematic.ingest import ingest
from thematic.study import Study


def _ods() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def _raw(study: Study) -> Path:
    raw = study.paths.raw
    (raw / "interview-01.txt").write_text("Interviewer: How was it?\nAnn: Fine, the vetting took months.\n",
                                          encoding="utf-8")
    (raw / "interview-02.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)  # old Word
    (raw / "interview-03.doc").write_text("Interviewer: How was it?\nBob: Awful.\n", encoding="utf-8")
    (raw / "survey.ods").write_bytes(_ods())
    (raw / "budget.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (raw / "interview-04").write_text("Interviewer: How was it?\nCat: Good.\n", encoding="utf-8")
    (raw / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (raw / "interview-01.M4A").write_bytes(b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 32)
    (raw / "blob.bin").write_bytes(b"\x00\x01\x02\xff" * 16)
    (raw / "notes.json").write_text('{"a": 1}', encoding="utf-8")
    # what stays silent: hidden and lock files, the roster, a README
    (raw / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (raw / "~$terview-05.docx").write_bytes(b"\x00lock")
    (raw / "README.md").write_text("Transcripts of the pilot.\n", encoding="utf-8")
    return raw


def test_every_unread_file_is_a_failed_row_with_its_code(study: Study) -> None:
    _raw(study)
    report = ingest(study)
    errors = {r.path: r.error for r in report.failed}
    assert set(errors) == {"data/raw/interview-02.doc", "data/raw/interview-03.doc", "data/raw/survey.ods",
                           "data/raw/budget.xls", "data/raw/blob.bin", "data/raw/notes.json"}
    for name in ("interview-02.doc", "interview-03.doc", "budget.xls"):
        assert errors[f"data/raw/{name}"].startswith(f"[E103] data/raw/{name}:"), errors[f"data/raw/{name}"]
        assert "save it as .docx or .xlsx" in errors[f"data/raw/{name}"]
    assert errors["data/raw/survey.ods"].startswith("[E103] data/raw/survey.ods:")
    assert "Save it as .xlsx" in errors["data/raw/survey.ods"]
    message = errors["data/raw/notes.json"]
    assert message.startswith("[E102] data/raw/notes.json: unknown format '.json', so it was not read")
    assert "move a file that is not one out of data/raw/" in message
    assert errors["data/raw/blob.bin"].startswith("[E101] data/raw/blob.bin: this is a binary file")
    media = sorted(w for w in report.warnings if w.startswith("[W535]"))
    assert [w.split(":")[0] for w in media] == ["[W535] data/raw/interview-01.M4A", "[W535] data/raw/photo.png"]
    assert "transcribe" in media[0]
    read = {r.path: r.status for r in report.rows if r.status != "failed"}
    assert read == {"data/raw/interview-01.txt": "new", "data/raw/interview-04": "new"}  # content first


def test_cli_summary_and_status_count_them(study: Study) -> None:
    _raw(study)
    root = str(study.root)
    result = CliRunner().invoke(app, ["ingest", "--study", root], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "6 failed" in result.output and "Traceback" not in result.output
    for name in ("interview-02.doc", "survey.ods", "blob.bin"):
        assert f"data/raw/{name}" in result.output
    assert "[W535] data/raw/photo.png" in result.output
    status = CliRunner().invoke(app, ["status", "--study", root], env={"COLUMNS": "200"})
    assert status.exit_code == 0, status.output
    for name in ("interview-02.doc", "interview-03.doc", "survey.ods", "budget.xls", "blob.bin", "notes.json"):
        assert f"data/raw/{name} could not be read" in status.output
    assert ".DS_Store" not in status.output and "README" not in status.output and "~$" not in status.output
