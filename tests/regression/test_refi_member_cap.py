"""`thematic refi import` capped only the project XML at [limits] max_file_mb; a source member could unpack
to 512 MiB (2 GiB in all). Every .qdpx member (and a loose source beside a .qde) now gets max_file_mb, and the
archive max_archive_mb, as the README says."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from thematic.errors import InputError

G = "22222222-2222-2222-2222-222222222222"
PROJECT = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
           f'<Sources><TextSource guid="{G}" name="s.txt" plainTextPath="internal://{G}.txt"/></Sources></Project>')


def _limits(study, text: str) -> None:  # noqa: ANN001
    path = study.root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8").split("[limits]")[0] + "[limits]\n" + text, encoding="utf-8")


def _qdpx(path: Path, *sources: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", PROJECT)
        for i, data in enumerate(sources):
            zf.writestr(f"Sources/{G if i == 0 else f'extra-{i}'}.txt", data)
    return path


def test_source_member_over_max_file_mb_is_refused(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.refi import import_refi

    _limits(study, "max_file_mb = 1\n")
    text = ("P01: " + os.urandom(800_000).hex() + "\n").encode()  # 1.6 MB that does not compress
    qdpx = _qdpx(tmp_path / "big.qdpx", text)
    with pytest.raises(InputError, match=r"^\[E503\].*Sources/.*1048576.*max_file_mb"):
        import_refi(qdpx, study.root)
    assert study.store.counts()["documents"] == 0


def test_archive_over_max_archive_mb_is_refused(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.refi import import_refi

    _limits(study, "max_file_mb = 1\nmax_archive_mb = 2\n")
    part = ("P01: " + os.urandom(400_000).hex() + "\n").encode()  # 0.8 MB each, 2.4 MB in all
    qdpx = _qdpx(tmp_path / "many.qdpx", part, part, part)
    with pytest.raises(InputError, match=r"^\[E503\].*in all.*max_archive_mb"):
        import_refi(qdpx, study.root)


def test_small_source_still_imports(study, tmp_path: Path) -> None:  # noqa: ANN001
    from thematic.refi import import_refi

    _limits(study, "max_file_mb = 1\n")
    report = import_refi(_qdpx(tmp_path / "ok.qdpx", b"P01: hello there.\n"), study.root)
    assert report.imported.get("documents", report.imported.get("sources")) == 1
