"""A file ingest refuses without reading (E038 over max_file_mb, E030 a symlink out of the study) is never
opened afterwards, neither to remember the failure nor by `thematic status`; status still lists it as failed."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
from pathlib import Path

import pytest


def _limits(study, text: str) -> None:  # noqa: ANN001
    path = study.root / "thematic.toml"
    path.write_text(path.read_text(encoding="utf-8").split("[limits]")[0] + "[limits]\n" + text, encoding="utf-8")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path opened through open()/io.open()/os.open() while the test runs (resolved)."""
    seen: list[str] = []
    real_open, real_os_open = io.open, os.open

    def spy(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if isinstance(file, (str, bytes, os.PathLike)):
            seen.append(os.path.realpath(os.fsdecode(file)))
        return real_open(file, *args, **kwargs)

    def os_spy(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(os.path.realpath(os.fsdecode(path)))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(os, "open", os_spy)
    return seen


def test_refused_files_are_not_opened_to_hash_them(study, tmp_path: Path, opened: list[str]) -> None:  # noqa: ANN001
    from thematic.ingest.failures import failed_files
    from thematic.ingest.stale import stale_inputs
    from thematic.study import Study

    _limits(study, "max_file_mb = 1\n")
    big = study.paths.raw / "big.txt"
    big.write_text("Ash: " + "words " * 200_000 + "\n", encoding="utf-8")  # 1.2 MB, over the 1 MB limit
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Ash: a secret outside the study.\n", encoding="utf-8")
    (study.paths.raw / "secret.txt").symlink_to(secret)
    (study.paths.raw / "fine.txt").write_text("Ash: a few words.\n", encoding="utf-8")
    opened.clear()  # only what thematic opens from here on
    s = Study(study.root)
    report = s.ingest()
    by = {r.path: r for r in report.rows}
    assert by["data/raw/big.txt"].error.startswith("[E038]")
    assert by["data/raw/secret.txt"].error.startswith("[E030]")
    assert by["data/raw/fine.txt"].status == "new"
    stale = stale_inputs(s)
    failures = failed_files(s.store)
    s.close()
    assert str(big.resolve()) not in opened
    assert str(secret.resolve()) not in opened
    assert failures["data/raw/secret.txt"][0] != hashlib.sha256(secret.read_bytes()).hexdigest()
    assert {p for p, _ in stale["failed"]} == {"data/raw/big.txt", "data/raw/secret.txt"}
    assert stale["new"] == [] and stale["changed"] == []


def test_refused_file_that_changes_is_no_longer_failed(study, opened: list[str]) -> None:  # noqa: ANN001
    from thematic.ingest.stale import stale_inputs
    from thematic.study import Study

    _limits(study, "max_file_mb = 1\n")
    big = study.paths.raw / "big.txt"
    big.write_text("Ash: " + "words " * 200_000 + "\n", encoding="utf-8")
    s = Study(study.root)
    s.ingest()
    big.write_text("Ash: now short.\n", encoding="utf-8")
    os.utime(big, ns=(1_000_000_000, 1_000_000_000))
    assert stale_inputs(s)["new"] == ["data/raw/big.txt"]
    s.close()
