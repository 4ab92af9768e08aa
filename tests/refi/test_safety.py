"""Hostile and broken files are refused with a coded error, and nothing is half-written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from thematic.codebook import load_codebook
from thematic.refi import Limits, RefiError, export_refi, import_refi
from thematic.store import Store
from thematic.study import Study

GOOD = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="a" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="22222222-2222-2222-2222-222222222222" name="doc" plainTextPath="{ref}"/>
  </Sources>
</Project>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol4;"/>"""


def _refused(path: Path, code: str, target: Path, **kw: object) -> RefiError:
    with pytest.raises(RefiError, match=rf"\[{code}\]") as err:
        import_refi(path, target, **kw)  # type: ignore[arg-type]
    assert not target.exists()  # the study that would have been created is not left behind
    return err.value


@pytest.mark.parametrize("xml", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_safety_entities_are_refused_in_qde_and_qdpx(tmp_path: Path, xml: str, qdpx) -> None:
    qde = tmp_path / "hostile.qde"
    qde.write_text(xml, encoding="utf-8")
    err = _refused(qde, "E505", tmp_path / "new")
    assert "entities" in str(err) and "passwd" not in str(err)
    _refused(qdpx(tmp_path / "hostile.qdpx", xml), "E505", tmp_path / "new")


def test_safety_zip_slip_member_names_are_refused(tmp_path: Path, qdpx) -> None:
    path = qdpx(tmp_path / "slip.qdpx", GOOD.format(ref="internal://x.txt"), {"../../evil.txt": "pwned"})
    err = _refused(path, "E502", tmp_path / "new")
    assert "../../evil.txt" in str(err)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_safety_source_references_cannot_climb_out(tmp_path: Path, qdpx) -> None:
    path = qdpx(tmp_path / "slip.qdpx", GOOD.format(ref="internal://../../etc/passwd"), {"sources/x.txt": "x"})
    _refused(path, "E508", tmp_path / "new")


def test_safety_bare_paths_outside_the_import_folder_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private text", encoding="utf-8")
    folder = tmp_path / "export"
    folder.mkdir()
    qde = folder / "p.qde"
    qde.write_text(GOOD.format(ref=str(secret.parent / "elsewhere" / ".." / "secret.txt")), encoding="utf-8")
    report = import_refi(qde, tmp_path / "new")
    assert report.imported["documents"] == 0 and "[W500]" in report.not_carried_over[0]


def test_safety_zip_bomb_is_refused_by_ratio(tmp_path: Path, qdpx) -> None:
    path = qdpx(tmp_path / "bomb.qdpx", GOOD.format(ref="internal://x.txt"), {"sources/x.txt": b"\0" * (24 << 20)})
    err = _refused(path, "E503", tmp_path / "new")
    assert "zip bomb" in str(err)


def test_safety_decompressed_size_limits_are_enforced(tmp_path: Path, qdpx) -> None:
    text = "".join(f"line {i} of a long but ordinary transcript\n" for i in range(4000))
    path = qdpx(tmp_path / "big.qdpx", GOOD.format(ref="internal://x.txt"), {"sources/x.txt": text})
    _refused(path, "E503", tmp_path / "new", limits=Limits(max_total_bytes=50_000))
    _refused(path, "E503", tmp_path / "new", limits=Limits(max_member_bytes=50_000))
    assert import_refi(path, tmp_path / "ok").imported["documents"] == 1  # fine under the default limits


def test_safety_corrupt_and_truncated_archives_are_clear_errors(coded_study: Study, tmp_path: Path) -> None:
    good = tmp_path / "good.qdpx"
    export_refi(coded_study, good)
    data = good.read_bytes()
    (tmp_path / "cut.qdpx").write_bytes(data[: len(data) // 2])
    _refused(tmp_path / "cut.qdpx", "E501", tmp_path / "new")
    (tmp_path / "noise.qdpx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    _refused(tmp_path / "noise.qdpx", "E501", tmp_path / "new")
    damaged = bytearray(data)
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("project.qde")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
    damaged[body:body + 40] = b"\xff" * 40  # flip the compressed bytes of project.qde
    (tmp_path / "flipped.qdpx").write_bytes(bytes(damaged))
    _refused(tmp_path / "flipped.qdpx", "E501", tmp_path / "new")


def test_safety_truncated_xml_names_file_and_line(tmp_path: Path) -> None:
    qde = tmp_path / "cut.qde"
    qde.write_text(GOOD.format(ref="internal://x.txt")[:200], encoding="utf-8")
    err = _refused(qde, "E504", tmp_path / "new")
    assert "cut.qde:" in str(err)


@pytest.mark.parametrize(("content", "code"), [
    ("<html><body>not refi</body></html>", "E507"),
    ("just some text", "E500"),
])
def test_safety_files_that_are_not_refi(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "x.qde"
    path.write_text(content, encoding="utf-8")
    _refused(path, code, tmp_path / "new")


def test_safety_qdpx_without_project_file(tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("sources/a.txt", "hello")
    _refused(path, "E506", tmp_path / "new")


def test_safety_failed_import_leaves_existing_study_untouched(coded_study: Study, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.qdpx"
    export_refi(coded_study, good)
    other = Study(tmp_path / "study")
    before_files = sorted(p.relative_to(other.root) for p in other.root.rglob("*") if "coded" not in p.parts)
    before = other.store.counts()

    def fail(self: Store, *args: object, **kwargs: object) -> None:
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(Store, "add_codings", fail)
    coded_study.close()
    with pytest.raises(RuntimeError):
        import_refi(good, other)
    with pytest.raises(RuntimeError):
        import_refi(good, tmp_path / "fresh")
    assert not (tmp_path / "fresh").exists()
    after_files = sorted(p.relative_to(other.root) for p in other.root.rglob("*") if "coded" not in p.parts
                         and p.name != "pseudonym-key.csv.lock")  # the key's lock file, as any ingest leaves it
    assert after_files == before_files  # no codebook, raw text or temporary file left behind
    assert other.store.counts() == before  # the documents written before the failure were rolled back
    load_codebook(other.codebook_path)


def test_safety_windows_separators_are_read_but_cannot_climb_out(tmp_path: Path, qdpx) -> None:
    ok = qdpx(tmp_path / "win.qdpx", GOOD.format(ref="internal://x.txt"), {"Sources\\x.txt": "hello there"})
    assert import_refi(ok, tmp_path / "s").imported["documents"] == 1
    bad = qdpx(tmp_path / "bad.qdpx", GOOD.format(ref="internal://x.txt"), {"..\\..\\x.txt": "pwned"})
    _refused(bad, "E502", tmp_path / "new")
