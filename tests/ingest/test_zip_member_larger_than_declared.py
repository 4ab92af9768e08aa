"""A .docx, .xlsx or .odt whose zip directory declares a member far smaller than it really unpacks to passed
the size check (which trusted the declared sizes), and the readers then inflated the whole member in one call
(python-docx, openpyxl and the format sniffer read members whole): a 2 MB file could take 2 GB of memory before
failing with a CRC message, or an "unexpected ... please report" error for an .odt. Members are now measured as
they really unpack, in bounded steps and keeping nothing, before any reader opens the file: one that unpacks past
``max_file_mb`` is refused with E038 naming the file, the member and the setting, whatever its directory says.
The same holds for participants.xlsx, for a coding sheet sent back (``thematic import sheet``) and for one file
read through ``read_transcript``."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from thematic._limits import SizeLimits, check_archive, check_workbook
from thematic.errors import InputError


def _lying(members: dict[str, bytes], big: str | dict[str, int], padding: int = 0) -> bytes:
    """A zip of ``members`` where ``big`` gets ``padding`` trailing spaces (valid XML; or a name: padding mapping),
    while its directory entry still declares the size without them."""
    pads = big if isinstance(big, dict) else {big: padding}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data + b" " * pads.get(name, 0))
    out = bytearray(buf.getvalue())
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:
        n = struct.unpack_from("<H", out, i + 28)[0]
        name = bytes(out[i + 46:i + 46 + n]).decode()
        if name in pads:
            struct.pack_into("<I", out, i + 24, len(members[name]))
        i += 4
    return bytes(out)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _docx(tmp_path: Path) -> dict[str, bytes]:
    import docx

    d = docx.Document()
    d.add_paragraph("Interviewer: Hello.")
    d.add_paragraph("Ash: Hi there.")
    d.save(tmp_path / "model.docx")
    return _members(tmp_path / "model.docx")


def _xlsx(tmp_path: Path, rows: list[list[str]]) -> dict[str, bytes]:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "model.xlsx")
    return _members(tmp_path / "model.xlsx")


def _limits(study, text: str) -> None:  # noqa: ANN001
    path = study.root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8").split("[limits]")[0] + "[limits]\n" + text, encoding="utf-8")


MB = 1024 * 1024
ONE_MB = SizeLimits(max_file_mb=1, max_archive_mb=2)


def test_check_archive_measures_what_a_member_really_unpacks_to(tmp_path: Path) -> None:
    data = _lying(_docx(tmp_path), "word/document.xml", 3 * MB)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("word/document.xml").file_size < MB  # the directory says it is small
    with pytest.raises(InputError) as err:
        check_archive(data, "lie.docx", ONE_MB)
    msg = str(err.value)
    assert msg.startswith("[E038] lie.docx:") and "'word/document.xml'" in msg and "max_file_mb" in msg
    assert "1.0 MB" in msg


def test_an_honest_archive_under_the_limits_passes(tmp_path: Path) -> None:
    check_archive(_lying(_docx(tmp_path), "word/document.xml", 0), "fine.docx", ONE_MB)


def test_the_archive_total_counts_real_sizes(tmp_path: Path) -> None:
    members = {**_docx(tmp_path), "word/a.xml": b"<a/>", "word/b.xml": b"<b/>", "word/c.xml": b"<c/>"}
    data = _lying(members, {f"word/{c}.xml": MB - 100 for c in "abc"})
    with pytest.raises(InputError) as err:
        check_archive(data, "many.docx", ONE_MB)
    assert str(err.value).startswith("[E038] many.docx: the archive") and "max_archive_mb" in str(err.value)


@pytest.mark.parametrize("kind", ["docx", "odt", "xlsx"])
def test_ingest_refuses_the_lying_file_and_reads_the_rest(study, tmp_path: Path, kind: str) -> None:
    from thematic.study import Study

    _limits(study, "max_file_mb = 1\nmax_archive_mb = 2\n")
    if kind == "docx":
        data, member = _lying(_docx(tmp_path), "word/document.xml", 3 * MB), "word/document.xml"
    elif kind == "xlsx":
        rows = [["respondent_id", "What did you think?"], ["1", "It was fine."]]
        data, member = _lying(_xlsx(tmp_path, rows), "xl/workbook.xml", 3 * MB), "xl/workbook.xml"
    else:
        content = (b'<?xml version="1.0"?><office:document-content '
                   b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                   b'<text:p>Interviewer: Hello.</text:p></office:text></office:body></office:document-content>')
        data = _lying({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content},
                      "mimetype", 3 * MB)
        member = "mimetype"
    (study.paths.raw / f"lie.{kind}").write_bytes(data)
    (study.paths.raw / "fine.txt").write_text("Interviewer: Hi?\nAsh: A normal answer.\n", encoding="utf-8")
    report = Study(study.root).ingest()
    by = {r.path: r for r in report.rows}
    assert by["data/raw/fine.txt"].status == "new"
    err = by[f"data/raw/lie.{kind}"].error
    assert err.startswith(f"[E038] data/raw/lie.{kind}:") and repr(member) in err and "max_file_mb" in err


def test_participants_xlsx_with_a_lying_member_is_refused(tmp_path: Path) -> None:
    from thematic.ingest.participants import load_roster

    rows = [["participant_id", "site"], ["P01", "Leeds"]]
    (tmp_path / "participants.xlsx").write_bytes(_lying(_xlsx(tmp_path, rows), "xl/workbook.xml", 3 * MB))
    with pytest.raises(InputError) as err:
        load_roster(tmp_path / "participants.csv", ONE_MB)
    assert str(err.value).startswith("[E038]") and "participants.xlsx" in str(err.value)
    assert "'xl/workbook.xml'" in str(err.value)


def test_a_coding_sheet_with_a_lying_member_is_refused(tmp_path: Path) -> None:
    """A sheet sent back is held to the default limits (64 MB a member), so the lie here is 65 MB of spaces."""
    rows = [["segment_id", "decision"], ["s1", "yes"]]
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(_lying(_xlsx(tmp_path, rows), "xl/worksheets/sheet1.xml", 65 * MB))
    assert path.stat().st_size < 2 * MB
    with pytest.raises(InputError) as err:
        check_workbook(path, str(path))
    assert str(err.value).startswith("[E415]") and "'xl/worksheets/sheet1.xml'" in str(err.value)


def test_read_transcript_refuses_a_lying_docx(tmp_path: Path) -> None:
    """Reading one file through the library holds it to the default limits (64 MB a member)."""
    from thematic.config import IngestSettings
    from thematic.ingest import read_transcript

    path = tmp_path / "lie.docx"
    path.write_bytes(_lying(_docx(tmp_path), "word/document.xml", 65 * MB))
    with pytest.raises(InputError) as err:
        read_transcript(path, settings=IngestSettings(pseudonymise=False))
    assert str(err.value).startswith("[E038]") and "'word/document.xml'" in str(err.value)
